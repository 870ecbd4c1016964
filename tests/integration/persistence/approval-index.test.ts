import type { CosmosClient } from '@azure/cosmos';
import type { RunningEmulator } from '../../../emulators/shared/types';
import type { CosmosEmulatorInfo } from '../../../emulators/cosmos/server';
import type { NewApproval } from '../../../src/approvals/record';
import { createCosmosClient } from '../../../src/persistence/cosmos-client';
import { createPersistence, type Persistence } from '../../../src/persistence/persistence';
import { cosmosConfigFor, startPrivateCosmos, uniqueDatabaseId } from '../../support/cosmos-emulator';

/**
 * Issue 17 items 7-8 on the Cosmos emulator: approvals indexed by requester (one partition per
 * person, newest first, paged by a cursor on creation time and id), four-eyes approvals per tenant, the
 * delivery copies and the audit fields stored with the record, and conversation references.
 */
let emulator: RunningEmulator<CosmosEmulatorInfo>;
let client: CosmosClient;
let p: Persistence;
const databaseId = uniqueDatabaseId('approval-index');
const TENANT = 't-index';
const alice = { tenantId: TENANT, objectId: 'alice', name: 'Alice' };
const bob = { tenantId: TENANT, objectId: 'bob', name: 'Bob' };

function request(requester: typeof alice, n: number, requiresApprover = false): NewApproval {
  return {
    threadId: `thread-${requester.objectId}`, conversationId: 'conv', requester, sql: `UPDATE t SET x = ${n} WHERE id = ${n}`, operation: 'UPDATE',
    targetTables: ['main.t'], impact: { rows: 1, description: '1 row', unbounded: false }, requiresApprover, ttlMinutes: 30,
  };
}

beforeAll(async () => {
  emulator = await startPrivateCosmos();
  client = createCosmosClient(cosmosConfigFor(emulator.info, databaseId));
  p = await createPersistence(client, databaseId);
});

afterAll(async () => {
  client.dispose();
  await emulator.stop();
});

describe('approval index', () => {
  it('when alice and bob make requests, then alice’s pages hold only hers, newest first, and each page’s cursor reaches the rest once', async () => {
    const mine: string[] = [];
    for (let n = 0; n < 5; n += 1) {
      mine.push((await p.approvals.create(request(alice, n), new Date(Date.UTC(2026, 11, 1, 10, n)))).id);
      await p.approvals.create(request(bob, n, n % 2 === 0), new Date(Date.UTC(2026, 11, 1, 10, n, 30)));
    }
    const first = await p.approvalIndex.byRequester(TENANT, 'alice', 2);
    expect(first.approvalIds).toEqual([mine[4], mine[3]]);
    expect(first.next).toEqual({ createdAt: '2026-12-01T10:03:00.000Z', id: mine[3] });
    const second = await p.approvalIndex.byRequester(TENANT, 'alice', 2, first.next);
    const third = await p.approvalIndex.byRequester(TENANT, 'alice', 2, second.next);
    expect([...second.approvalIds, ...third.approvalIds]).toEqual([mine[2], mine[1], mine[0]]);
    expect(third.next).toBeUndefined();
    const fourEyes = await p.approvalIndex.fourEyes(TENANT, 10);
    expect(fourEyes.approvalIds).toHaveLength(3);
    expect(await p.approvalIndex.fourEyes('another-tenant', 10)).toEqual({ approvalIds: [], continuation: undefined });
  });

  it('when many requests share a millisecond across page boundaries, then the pages are newest first, then greatest id first, with no overlap and no gap', async () => {
    const carol = { tenantId: TENANT, objectId: 'carol-ties', name: 'Carol' };
    const instants = [0, 1, 1, 1, 1, 1, 2, 3, 3, 3, 3, 3, 3, 3, 4].map((s) => new Date(Date.UTC(2026, 10, 1, 9, 0, s)));
    const created = [];
    for (const [n, at] of instants.entries()) created.push(await p.approvals.create(request(carol, n), at));
    const expected = created.sort((a, b) => (a.createdAt === b.createdAt ? (a.id < b.id ? 1 : -1) : a.createdAt < b.createdAt ? 1 : -1)).map((r) => r.id);
    for (const size of [1, 2, 3, 4, 5, 7]) {
      const seen: string[] = [];
      let page = await p.approvalIndex.byRequester(TENANT, carol.objectId, size);
      seen.push(...page.approvalIds);
      while (page.next) {
        expect(page.approvalIds).toHaveLength(size);
        page = await p.approvalIndex.byRequester(TENANT, carol.objectId, size, page.next);
        seen.push(...page.approvalIds);
      }
      expect(seen).toEqual(expected);
    }
  });

  it.each([0, 51, 2.5])('when a page of %s entries is asked for, then it is refused', async (size) => {
    await expect(p.approvalIndex.byRequester(TENANT, 'alice', size)).rejects.toMatchObject({ code: 'INPUT.INVALID' });
  });

  it('when copies are stored with a record, then they are read back as stored', async () => {
    const record = await p.approvals.create(request(alice, 99, true));
    const copy = { kind: 'approver' as const, conversationId: 'a:carol', activityId: '123', serviceUrl: 'https://smba/', viewer: { objectId: 'carol', name: 'Carol' } };
    await p.approvals.update(record, { delivery: { copies: [copy], approvers: [{ objectId: 'carol', name: 'Carol' }], channel: false, unreachable: [] } });
    expect((await p.approvals.get(record.id))?.delivery?.copies).toEqual([copy]);
  });

  it('when an audit event carries an activity id and an approver, then both are stored as fields', async () => {
    await p.audit.append({
      kind: 'approval.approved', at: '2026-12-01T10:00:00.000Z', tenantId: TENANT, userObjectId: 'carol', userName: 'Carol', correlationId: 'c', threadId: undefined,
      approvalId: 'appr-fields', sql: undefined, genie: undefined, statementId: undefined, rowsAffected: undefined, outcome: 'ok', detail: undefined,
      activityId: '1700000000001', approverObjectId: 'carol', approverName: 'Carol',
    });
    expect((await p.audit.listByApproval('appr-fields'))[0]).toMatchObject({ activityId: '1700000000001', approverObjectId: 'carol', approverName: 'Carol' });
  });
});

describe('conversation references', () => {
  it('when 1:1 chats and a channel are remembered, then the tenant’s 1:1 chats and the channel are read back, and a second write replaces the first', async () => {
    const at = '2026-12-01T10:00:00.000Z';
    await p.references.remember({ tenantId: TENANT, kind: 'personal', conversationId: 'a:1', serviceUrl: 'https://old/', user: { objectId: 'carol', name: 'Carol', teamsId: '29:c' }, updatedAt: at });
    await p.references.remember({ tenantId: TENANT, kind: 'personal', conversationId: 'a:1', serviceUrl: 'https://new/', user: { objectId: 'carol', name: 'Carol', teamsId: '29:c' }, updatedAt: at });
    await p.references.remember({ tenantId: 'other', kind: 'personal', conversationId: 'a:2', serviceUrl: 'https://x/', user: { objectId: 'eve', name: 'Eve', teamsId: '29:e' }, updatedAt: at });
    await p.references.remember({ tenantId: TENANT, kind: 'channel', conversationId: '19:ch/with?odd#chars@thread.tacv2', serviceUrl: 'https://ch/', updatedAt: at });
    expect((await p.references.personal(TENANT)).map((r) => [r.user?.objectId, r.serviceUrl])).toEqual([['carol', 'https://new/']]);
    expect((await p.references.channel(TENANT, '19:ch/with?odd#chars@thread.tacv2'))?.serviceUrl).toBe('https://ch/');
    expect(await p.references.channel(TENANT, '19:unknown@thread.tacv2')).toBeUndefined();
  });
});
