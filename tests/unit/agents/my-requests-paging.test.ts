import { MY_REQUESTS_PAGE, listMyRequests, listOlderRequests, type MyRequestsDeps } from '../../../src/agents/my-requests';
import type { Principal } from '../../../src/approvals/record';
import { requesterKey } from '../../../src/persistence/approval-index';
import { InMemoryApprovalIndex } from '../../fakes/in-memory-approval-index';
import { InMemoryApprovals } from '../../fakes/in-memory-approvals';
import { InMemoryAuditLog } from '../../fakes/in-memory-audit';
import { buildContext, USERS } from '../../fakes/request-contexts';
import { buildChangeRequest, instantsWithTie, seedRequests } from '../../fakes/seeded-requests';

const principal = (u: typeof USERS.alice): Principal => ({ tenantId: u.tenantId, objectId: u.objectId, name: u.displayName });
const ALICE = principal(USERS.alice);
const BOB = principal(USERS.bob);

function setup(): { deps: MyRequestsDeps; approvals: InMemoryApprovals; index: InMemoryApprovalIndex; audit: InMemoryAuditLog } {
  const approvals = new InMemoryApprovals();
  const index = new InMemoryApprovalIndex();
  const audit = new InMemoryAuditLog();
  return { deps: { approvals, index, audit, isApprover: async () => false, now: () => new Date('2026-12-01T12:00:00.000Z') }, approvals, index, audit };
}

describe('requests, paged back ("Show older requests")', () => {
  it('when alice has 23 requests (7 in one millisecond across a page boundary), then pages of 10, 10 and 3 list each once, newest first, and only the last has no cursor', async () => {
    const { deps, approvals, index } = setup();
    const all = await seedRequests(approvals, index, ALICE, instantsWithTie(new Date('2026-11-01T09:00:00.000Z'), 23, 8, 7), 1000);
    const ctx = buildContext(USERS.alice);
    const first = await listMyRequests(deps, ctx);
    expect(first.mine).toHaveLength(MY_REQUESTS_PAGE);
    expect(first.older).toEqual({ createdAt: first.mine[9]?.createdAt, id: first.mine[9]?.id });
    const second = await listOlderRequests(deps, ctx, first.older!);
    expect(second.mine).toHaveLength(MY_REQUESTS_PAGE);
    const third = await listOlderRequests(deps, ctx, second.older!);
    expect(third.mine).toHaveLength(3);
    expect(third.older).toBeUndefined();
    expect([...first.mine, ...second.mine, ...third.mine].map((r) => r.id)).toEqual(all.map((r) => r.id));
  });

  it('when bob pages with alice’s cursor (her button, forged data), then he gets only his own requests older than it, never hers', async () => {
    const { deps, approvals, index } = setup();
    const alices = await seedRequests(approvals, index, ALICE, instantsWithTie(new Date('2026-11-01T09:00:00.000Z'), 15, 0, 0), 1000);
    const bobs = await seedRequests(approvals, index, BOB, instantsWithTie(new Date('2026-11-01T09:00:30.000Z'), 15, 0, 0), 2000);
    const alicesCursor = (await listMyRequests(deps, buildContext(USERS.alice))).older!;
    const page = await listOlderRequests(deps, buildContext(USERS.bob), alicesCursor);
    expect(page.mine.length).toBeGreaterThan(0);
    expect(page.mine.every((r) => r.requester.objectId === BOB.objectId)).toBe(true);
    expect(page.mine.map((r) => r.id)).toEqual(bobs.filter((r) => r.createdAt < alicesCursor.createdAt).map((r) => r.id));
    expect(page.mine.some((r) => alices.some((a) => a.id === r.id))).toBe(false);
  });

  it('when an entry in alice’s partition names a record that is not hers, or whose record is missing, then the page skips it', async () => {
    const { deps, approvals, index } = setup();
    const hers = await seedRequests(approvals, index, ALICE, instantsWithTie(new Date('2026-11-01T09:00:00.000Z'), 12, 0, 0), 1000);
    const bobs = await approvals.create(buildChangeRequest(BOB, 1), new Date('2026-11-01T08:00:00.000Z'));
    index.entries.push({ key: requesterKey(ALICE.tenantId, ALICE.objectId), id: bobs.id, createdAt: bobs.createdAt });
    index.entries.push({ key: requesterKey(ALICE.tenantId, ALICE.objectId), id: 'MissingRecordMissingReco', createdAt: '2026-11-01T07:00:00.000Z' });
    const ctx = buildContext(USERS.alice);
    const first = await listMyRequests(deps, ctx);
    const older = await listOlderRequests(deps, ctx, first.older!);
    expect(older.mine.map((r) => r.id)).toEqual(hers.slice(10).map((r) => r.id));
    expect(older.older).toBeUndefined();
  });

  it('when alice has exactly 10 requests, then the first page has no cursor (no button)', async () => {
    const { deps, approvals, index } = setup();
    await seedRequests(approvals, index, ALICE, instantsWithTie(new Date('2026-11-01T09:00:00.000Z'), 10, 0, 0), 1000);
    const first = await listMyRequests(deps, buildContext(USERS.alice));
    expect(first.mine).toHaveLength(10);
    expect(first.older).toBeUndefined();
  });

  it('when an older page is listed, then nothing is audited, as for the first listing of one’s own requests', async () => {
    const { deps, approvals, index, audit } = setup();
    await seedRequests(approvals, index, ALICE, instantsWithTie(new Date('2026-11-01T09:00:00.000Z'), 12, 0, 0), 1000);
    const ctx = buildContext(USERS.alice);
    const first = await listMyRequests(deps, ctx);
    await listOlderRequests(deps, ctx, first.older!);
    expect(audit.events).toEqual([]);
  });
});
