import type { CosmosClient } from '@azure/cosmos';
import type { RunningEmulator } from '../../../emulators/shared/types';
import type { CosmosEmulatorInfo } from '../../../emulators/cosmos/server';
import { hasCode } from '../../../src/errors';
import { createCosmosClient } from '../../../src/persistence/cosmos-client';
import { CosmosAuditLog } from '../../../src/persistence/audit-log';
import { createPersistence } from '../../../src/persistence/persistence';
import type { AuditEvent } from '../../../src/persistence/ports';
import { buildApprovalGraph, Command } from '../../support/cosmos-approval-graph';
import { cosmosConfigFor, startPrivateCosmos, uniqueDatabaseId } from '../../support/cosmos-emulator';
import { startThrottleProxy, type ThrottleProxy } from '../../support/cosmos-throttle-proxy';

let emulator: RunningEmulator<CosmosEmulatorInfo>;
let proxy: ThrottleProxy;
const clients: CosmosClient[] = [];
const databaseId = uniqueDatabaseId('storm');

function clientVia(endpoint: string, retry?: Parameters<typeof createCosmosClient>[1]): CosmosClient {
  const client = createCosmosClient({ ...cosmosConfigFor(emulator.info, databaseId), endpoint }, retry);
  clients.push(client);
  return client;
}

function auditEvent(i: number): AuditEvent {
  return {
    kind: 'sql.read', at: new Date(Date.UTC(2026, 0, 1, 0, 0, i)).toISOString(), tenantId: 't-1', userObjectId: 'storm-user',
    userName: 'Storm', correlationId: `corr-${i}`, threadId: 'thread-storm', approvalId: undefined, sql: `SELECT ${i}`,
    genie: undefined, statementId: undefined, rowsAffected: undefined, outcome: 'ok', detail: undefined,
  };
}

beforeAll(async () => {
  emulator = await startPrivateCosmos();
  proxy = await startThrottleProxy(emulator.info.endpoint, { retryAfterMs: 5 });
  await createPersistence(clientVia(emulator.info.endpoint), databaseId);
});

afterAll(async () => {
  for (const client of clients) client.dispose();
  await proxy.stop();
  await emulator.stop();
});

describe('a 429 storm (every second request answered 429 with x-ms-retry-after-ms)', () => {
  it('when a graph runs to an interrupt and resumes and 40 audit events are appended, then no checkpoint and no audit record is lost', async () => {
    proxy.shouldThrottle = (sequence) => sequence % 2 === 0;
    const stormy = await createPersistence(clientVia(proxy.endpoint), databaseId);
    const savedIds: string[] = [];
    const put = stormy.checkpointer.put.bind(stormy.checkpointer);
    stormy.checkpointer.put = async (config, checkpoint, metadata, versions) => {
      const saved = await put(config, checkpoint, metadata, versions);
      savedIds.push(checkpoint.id);
      return saved;
    };
    const threadId = 't-1:conv-storm:alice';
    const graph = buildApprovalGraph({ ...stormy, threadId });
    await graph.invoke({ sql: 'UPDATE t SET a = 1 WHERE id = 1' }, { configurable: { thread_id: threadId }, durability: 'async' });
    const done = await graph.invoke(new Command({ resume: { approve: true, by: 'alice' } }), { configurable: { thread_id: threadId }, durability: 'async' });
    expect(done.outcome).toBe('executed');
    // One after another: with every second request throttled by a global counter, parallel appends can
    // keep landing on the throttled turn until the SDK's 9 retries run out (seen on a loaded CI run).
    for (let i = 0; i < 40; i += 1) await stormy.audit.append(auditEvent(i));
    const before = { ...proxy.stats };
    if (process.env.SHOW_FIGURES) process.stdout.write(`storm: ${JSON.stringify({ ...before, checkpoints: savedIds.length })}\n`);
    expect(before.throttled).toBeGreaterThan(50);
    expect(before.throttled).toBeGreaterThanOrEqual(before.forwarded - 1);

    const direct = await createPersistence(clientVia(emulator.info.endpoint), databaseId);
    const stored: string[] = [];
    for await (const tuple of direct.checkpointer.list({ configurable: { thread_id: threadId } })) stored.push(tuple.checkpoint.id);
    expect(savedIds.length).toBeGreaterThanOrEqual(5);
    expect(new Set(stored)).toEqual(new Set(savedIds));
    const events = await direct.audit.listByUser('t-1', 'storm-user');
    expect(events.map((e) => e.correlationId).sort()).toEqual(Array.from({ length: 40 }, (_, i) => `corr-${i}`).sort());
    const approvalTrail = await direct.audit.listByApproval(done.approvalId ?? '');
    expect(approvalTrail.map((e) => e.kind)).toEqual(['write.requested', 'approval.approved', 'write.executed']);
  }, 120_000);

  it('when every request is throttled, then the SDK retries exactly maxRetryAttemptCount times and the caller gets STORAGE.THROTTLED', async () => {
    const stormy = await createPersistence(clientVia(emulator.info.endpoint), databaseId);
    const throttledOnly = clientVia(proxy.endpoint, { maxRetryAttemptCount: 3, fixedRetryIntervalInMilliseconds: 0, maxWaitTimeInSeconds: 5 });
    const container = throttledOnly.database(databaseId).container(stormy.containers.audit.id);
    proxy.shouldThrottle = () => true;
    const start = proxy.stats.requests;
    const failure = await container.items.create({ id: 'never', userKey: 'x' }).then(
      () => undefined,
      (error: unknown) => error,
    );
    const sent = proxy.stats.requests - start;
    const appended = await new CosmosAuditLog(container).append(auditEvent(99)).then(
      () => undefined,
      (error: unknown) => error,
    );
    proxy.shouldThrottle = (sequence) => sequence % 2 === 0;
    expect((failure as { code?: unknown }).code).toBe(429);
    expect(sent).toBe(4);
    expect(hasCode(appended, 'STORAGE.THROTTLED')).toBe(true);
  }, 60_000);
});
