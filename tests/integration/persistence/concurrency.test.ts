import type { CosmosClient } from '@azure/cosmos';
import type { RunningEmulator } from '../../../emulators/shared/types';
import type { CosmosEmulatorInfo } from '../../../emulators/cosmos/server';
import { hasCode } from '../../../src/errors';
import { createCosmosClient } from '../../../src/persistence/cosmos-client';
import { createPersistence, type Persistence } from '../../../src/persistence/persistence';
import { newApprovalFor } from '../../support/cosmos-approval-graph';
import { cosmosConfigFor, startPrivateCosmos, uniqueDatabaseId } from '../../support/cosmos-emulator';

let emulator: RunningEmulator<CosmosEmulatorInfo>;
const clients: CosmosClient[] = [];
let instanceA: Persistence;
let instanceB: Persistence;
const TRIALS = 100;

beforeAll(async () => {
  emulator = await startPrivateCosmos();
  const databaseId = uniqueDatabaseId('race');
  for (let i = 0; i < 2; i += 1) clients.push(createCosmosClient(cosmosConfigFor(emulator.info, databaseId)));
  instanceA = await createPersistence(clients[0] as CosmosClient, databaseId);
  instanceB = await createPersistence(clients[1] as CosmosClient, databaseId);
});

afterAll(async () => {
  for (const client of clients) client.dispose();
  await emulator.stop();
});

describe('two instances deciding one approval at the same time', () => {
  it(`when both approve the same pending record (${TRIALS} trials), then exactly one wins each time and the loser gets STORAGE.CONFLICT`, async () => {
    let singleWinner = 0;
    for (let trial = 0; trial < TRIALS; trial += 1) {
      const created = await instanceA.approvals.create(newApprovalFor(`UPDATE t SET a = ${trial}`, 'thread'));
      const [seenByA, seenByB] = await Promise.all([instanceA.approvals.get(created.id), instanceB.approvals.get(created.id)]);
      const outcomes = await Promise.allSettled([
        instanceA.approvals.transition(seenByA!, 'approved', { decidedBy: { tenantId: 't', objectId: 'a', name: 'A' } }),
        instanceB.approvals.transition(seenByB!, 'rejected', { decidedBy: { tenantId: 't', objectId: 'b', name: 'B' } }),
      ]);
      const winners = outcomes.filter((o) => o.status === 'fulfilled');
      const losers = outcomes.filter((o): o is PromiseRejectedResult => o.status === 'rejected');
      const stored = await instanceA.approvals.get(created.id);
      if (winners.length === 1 && losers.length === 1 && hasCode(losers[0]?.reason, 'STORAGE.CONFLICT')) {
        const won = (winners[0] as PromiseFulfilledResult<{ status: string; decidedBy: unknown }>).value;
        if (stored?.status === won.status) singleWinner += 1;
      }
    }
    expect(singleWinner).toBe(TRIALS);
  }, 120_000);
});

describe('dedupe across instances', () => {
  it('when two instances claim the same key concurrently (50 trials), then exactly one claim is true', async () => {
    let exactlyOne = 0;
    for (let trial = 0; trial < 50; trial += 1) {
      const key = `activity/${trial}?#x`;
      const claims = await Promise.all([instanceA.dedupe.claim(key), instanceB.dedupe.claim(key)]);
      if (claims.filter(Boolean).length === 1) exactlyOne += 1;
    }
    expect(exactlyOne).toBe(50);
    expect(await instanceA.dedupe.claim('activity/0?#x')).toBe(false);
  });
});

describe('leases across instances', () => {
  it('when two instances acquire one thread lease concurrently (50 trials), then never both hold it', async () => {
    let exactlyOne = 0;
    for (let trial = 0; trial < 50; trial += 1) {
      const key = `thread:${trial}`;
      const [a, b] = await Promise.all([instanceA.leases.acquire(key, 'run-a', 10_000), instanceB.leases.acquire(key, 'run-b', 10_000)]);
      if ((a === undefined) !== (b === undefined)) exactlyOne += 1;
      const held = a ?? b;
      if (held) await (a ? instanceA : instanceB).leases.release(held);
    }
    expect(exactlyOne).toBe(50);
  });

  it('when a lease has expired, then another owner takes it and the stale release leaves the new lease alone', async () => {
    const first = await instanceA.leases.acquire('thread:expiring', 'run-a', 1);
    expect(first).toBeDefined();
    await new Promise((r) => setTimeout(r, 20));
    const second = await instanceB.leases.acquire('thread:expiring', 'run-b', 10_000);
    expect(second?.owner).toBe('run-b');
    await instanceA.leases.release(first!);
    expect(await instanceA.leases.acquire('thread:expiring', 'run-c', 10_000)).toBeUndefined();
    await instanceB.leases.release(second!);
    expect(await instanceA.leases.acquire('thread:expiring', 'run-c', 10_000)).toBeDefined();
  });
});
