import type { CosmosClient } from '@azure/cosmos';
import type { RunningEmulator } from '../../../emulators/shared/types';
import type { CosmosEmulatorInfo } from '../../../emulators/cosmos/server';
import { hasCode } from '../../../src/errors';
import { isExpired, sqlMatchesHash } from '../../../src/approvals/rules';
import { CONTAINERS, ensureContainers } from '../../../src/persistence/containers';
import { createCosmosClient } from '../../../src/persistence/cosmos-client';
import { createPersistence, type Persistence } from '../../../src/persistence/persistence';
import { newApprovalFor } from '../../support/cosmos-approval-graph';
import { cosmosConfigFor, startPrivateCosmos, uniqueDatabaseId } from '../../support/cosmos-emulator';

let emulator: RunningEmulator<CosmosEmulatorInfo>;
let client: CosmosClient;
let p: Persistence;
const databaseId = uniqueDatabaseId('stores');

beforeAll(async () => {
  emulator = await startPrivateCosmos();
  client = createCosmosClient(cosmosConfigFor(emulator.info, databaseId));
  p = await createPersistence(client, databaseId);
});

afterAll(async () => {
  client.dispose();
  await emulator.stop();
});

describe('containers', () => {
  it('when ensureContainers runs twice, then it succeeds and every container has the partition key of CONTAINERS', async () => {
    const again = await ensureContainers(client, databaseId);
    for (const [name, path] of Object.entries(CONTAINERS)) {
      const { resource } = await again[name as keyof typeof CONTAINERS].read();
      expect(resource?.partitionKey?.paths).toEqual([path]);
    }
  });
});

describe('CosmosStore (memory)', () => {
  const alice = ['t-1', 'alice', 'memories'];
  const bob = ['t-1', 'bob', 'memories'];
  /** Not bundled (memory-bundle.ts): one item per key, beside alice's bundle in her partition. */
  const notes = ['t-1', 'alice', 'notes'];

  beforeAll(async () => {
    await p.store.put(alice, 'region', { text: 'Alice works on the west region', kind: 'fact', weight: 3 });
    await p.store.put(alice, 'format', { text: 'Prefers tables over charts', kind: 'preference', weight: 1 });
    await p.store.put(notes, 'old', { text: 'old west note', kind: 'fact', weight: 5 });
    await p.store.put(bob, 'region', { text: 'Bob works on the east region', kind: 'fact', weight: 2 });
  });

  it('when an item is put and read back, then get returns it with its namespace and times, and a second put keeps createdAt', async () => {
    const first = await p.store.get(alice, 'region');
    expect(first?.value).toEqual({ text: 'Alice works on the west region', kind: 'fact', weight: 3 });
    await p.store.put(alice, 'region', { text: 'Alice works on the west region', kind: 'fact', weight: 4 });
    const second = await p.store.get(alice, 'region');
    expect(second?.createdAt.getTime()).toBe(first?.createdAt.getTime());
    expect(second?.value.weight).toBe(4);
    expect(await p.store.get(alice, 'missing')).toBeNull();
  });

  it('when searching one user prefix, then only that user\'s items come back, filtered, text-matched and paged', async () => {
    const all = await p.store.search(['t-1', 'alice']);
    expect(all.map((i) => i.key).sort()).toEqual(['format', 'old', 'region']);
    expect((await p.store.search(['t-1', 'alice'], { filter: { kind: 'fact' } })).map((i) => i.key).sort()).toEqual(['old', 'region']);
    expect((await p.store.search(['t-1', 'alice'], { filter: { weight: { $gte: 4 } } })).map((i) => i.key).sort()).toEqual(['old', 'region']);
    const text = await p.store.search(['t-1', 'alice'], { query: 'west region' });
    expect(text[0]?.key).toBe('region');
    expect(text.map((i) => i.key)).not.toContain('format');
    const page = await p.store.search(['t-1', 'alice'], { limit: 2, offset: 1 });
    expect(page).toHaveLength(2);
    expect((await p.store.search(['t-1', 'ali'])).length).toBe(0);
  });

  it('when deleting, then the item is gone', async () => {
    await p.store.put(bob, 'temp', { text: 'temporary' });
    await p.store.delete(bob, 'temp');
    expect(await p.store.get(bob, 'temp')).toBeNull();
  });

  it('when listing namespaces, then prefix, suffix, maxDepth, limit and offset apply', async () => {
    expect(await p.store.listNamespaces({ prefix: ['t-1', 'alice'] })).toEqual([alice, notes]);
    expect(await p.store.listNamespaces({ suffix: ['memories'] })).toEqual([alice, bob]);
    expect(await p.store.listNamespaces({ prefix: ['t-1', '*', 'memories'], maxDepth: 2 })).toEqual([['t-1', 'alice'], ['t-1', 'bob']]);
    expect(await p.store.listNamespaces({ limit: 1, offset: 1 })).toEqual([notes]);
  });
});

describe('CosmosApprovalsRepository', () => {
  it('when created, then the id is opaque base64url of 144 bits, the SQL hash matches and expiry is createdAt + ttl', async () => {
    const now = new Date('2026-11-28T10:00:00.000Z');
    const record = await p.approvals.create(newApprovalFor('DELETE FROM t WHERE id = 3', 'th'), now);
    expect(record.id).toMatch(/^[A-Za-z0-9_-]{24}$/);
    expect(sqlMatchesHash(record)).toBe(true);
    expect(record.expiresAt).toBe('2026-11-28T10:30:00.000Z');
    expect(record.status).toBe('pending');
    expect(await p.approvals.get(record.id)).toEqual(record);
    expect(await p.approvals.get('../../etc')).toBeUndefined();
  });

  it('when a pending approval is past expiresAt, then readers see it expired and approving it is refused', async () => {
    const record = await p.approvals.create(newApprovalFor('DELETE FROM t WHERE id = 4', 'th'), new Date(Date.now() - 31 * 60_000));
    expect(isExpired(record)).toBe(true);
    const refused = await p.approvals.transition(record, 'approved').catch((e: unknown) => e);
    expect(hasCode(refused, 'APPROVAL.EXPIRED')).toBe(true);
    const expired = await p.approvals.transition(record, 'expired');
    expect(expired.status).toBe('expired');
  });

  it('when a move is not in APPROVAL_TRANSITIONS, then it is refused; update keeps the status and checks the ETag', async () => {
    const record = await p.approvals.create(newApprovalFor('UPDATE t SET a = 5', 'th'));
    const rejected = await p.approvals.transition(record, 'rejected');
    expect(hasCode(await p.approvals.transition(rejected, 'approved').catch((e: unknown) => e), 'APPROVAL.ALREADY_DECIDED')).toBe(true);
    const withCard = await p.approvals.update(rejected, { card: { activityId: 'a-1' } });
    expect(withCard.status).toBe('rejected');
    expect(withCard.card).toEqual({ activityId: 'a-1' });
    expect(hasCode(await p.approvals.update(rejected, { statementId: 's' }).catch((e: unknown) => e), 'STORAGE.CONFLICT')).toBe(true);
  });
});

describe('CosmosAuditLog', () => {
  const event = (i: number, approvalId?: string) => ({
    kind: 'sql.read' as const, at: new Date(Date.UTC(2026, 10, 1, i)).toISOString(), tenantId: 't-1', userObjectId: 'auditor', userName: undefined,
    correlationId: `c-${i}`, threadId: undefined, approvalId, sql: 'SELECT 1', genie: undefined, statementId: undefined,
    rowsAffected: undefined, outcome: 'ok' as const, detail: undefined,
  });

  it('when events are appended, then they are listed by user and time range and by approval, oldest first', async () => {
    for (const i of [3, 1, 2, 4]) await p.audit.append(event(i, i % 2 === 0 ? 'appr-1' : undefined));
    await p.audit.append(event(1));
    const all = await p.audit.listByUser('t-1', 'auditor');
    expect(all.map((e) => e.correlationId)).toEqual(['c-1', 'c-1', 'c-2', 'c-3', 'c-4']);
    expect(all[0]).toEqual(event(1));
    const ranged = await p.audit.listByUser('t-1', 'auditor', { from: new Date(Date.UTC(2026, 10, 1, 2)), to: new Date(Date.UTC(2026, 10, 1, 4)) });
    expect(ranged.map((e) => e.correlationId)).toEqual(['c-2', 'c-3']);
    expect((await p.audit.listByApproval('appr-1')).map((e) => e.correlationId)).toEqual(['c-2', 'c-4']);
    expect(await p.audit.listByUser('t-1', 'someone-else')).toEqual([]);
  });
});

describe('token cache store', () => {
  it('when a value is written, read, overwritten and removed, then each read reflects it and users never share an item', async () => {
    await p.tokenCache.write('t-1:alice', 'enc:v1');
    await p.tokenCache.write('t-1:bob', 'enc:bob');
    expect(await p.tokenCache.read('t-1:alice')).toBe('enc:v1');
    await p.tokenCache.write('t-1:alice', 'enc:v2');
    expect(await p.tokenCache.read('t-1:alice')).toBe('enc:v2');
    await p.tokenCache.remove('t-1:alice');
    await p.tokenCache.remove('t-1:alice');
    expect(await p.tokenCache.read('t-1:alice')).toBeUndefined();
    expect(await p.tokenCache.read('t-1:bob')).toBe('enc:bob');
  });
});
