/**
 * Approval attacks against the real ledger (Cosmos emulator) and warehouse (Databricks emulator):
 * every attempt is refused or deduplicated, audited, and the warehouse's query history shows no
 * unauthorised and no duplicate execution.
 */
import { createHash } from 'node:crypto';
import type { AgentServiceWithGraph } from '../../../src/agents';
import type { Persistence } from '../../../src/persistence/persistence';
import type { ApprovalRecord } from '../../../src/persistence/ports';
import { buildContext } from '../../fakes/request-contexts';
import { bumpQuantity, demoIdentity, startReliabilityStack, type ReliabilityStack } from './support/reliability-stack';

jest.setTimeout(120_000);

const alice = demoIdentity('alice');
const bob = demoIdentity('bob');
const carol = demoIdentity('carol');
const aliceChat = { id: 'personal-alice-attacks', kind: 'personal' as const };
const groupChat = { id: 'group-attacks', kind: 'groupChat' as const };

let stack: ReliabilityStack;
let a: { service: AgentServiceWithGraph; persistence: Persistence };
let b: { service: AgentServiceWithGraph; persistence: Persistence };

beforeAll(async () => {
  stack = await startReliabilityStack();
  a = await stack.instance();
  b = await stack.instance();
});
afterAll(async () => {
  await stack?.stop();
});

async function requestChange(sql: string, conversation: { id: string; kind: 'personal' | 'groupChat' } = aliceChat): Promise<ApprovalRecord> {
  const result = await a.service.handleMessage(buildContext(alice, { conversation }), stack.databricks, `run: ${sql}`);
  if (result.kind !== 'approval-requested') throw new Error(`expected an approval, got ${JSON.stringify(result)}`);
  return result.approval;
}

async function deniedBy(approvalId: string): Promise<string[]> {
  const events = await a.persistence.audit.listByApproval(approvalId);
  return events.filter((e) => e.kind === 'approval.denied').map((e) => `${e.userObjectId} ${e.detail ?? ''}`);
}

describe('approval attacks (real ledger and warehouse)', () => {
  it('when bob clicks Approve and Reject on alice’s change in a group chat, then both are refused, audited as bob, and nothing runs', async () => {
    const change = bumpQuantity(100_001);
    const approval = await requestChange(change.sql, groupChat);
    const before = await stack.scalar(change.sumSql);

    const approve = await b.service.decide(buildContext(bob, { conversation: groupChat }), stack.databricks, approval.id, 'approve');
    const reject = await a.service.decide(buildContext(bob, { conversation: groupChat }), stack.databricks, approval.id, 'reject');

    expect(approve).toMatchObject({ kind: 'refused', code: 'APPROVAL.NOT_REQUESTER' });
    expect(reject).toMatchObject({ kind: 'refused', code: 'APPROVAL.NOT_REQUESTER' });
    expect((await a.service.getApproval(approval.id))?.status).toBe('pending');
    expect(await deniedBy(approval.id)).toEqual([`${bob.objectId} approve: APPROVAL.NOT_REQUESTER`, `${bob.objectId} reject: APPROVAL.NOT_REQUESTER`]);
    expect(await stack.executions(change.sql)).toHaveLength(0);
    expect(await stack.scalar(change.sumSql)).toBe(before);
  });

  it('when card data is forged with another person’s approval id or with SQL, then it is refused, audited, and no forged SQL reaches the warehouse', async () => {
    const carolsChange = `UPDATE main.retail.orders SET quantity = quantity + 1 WHERE region = 'East' AND order_id BETWEEN 100002 AND 100021`;
    const carols = await b.service.handleMessage(buildContext(carol, { conversation: { id: 'personal-carol-attacks', kind: 'personal' } }), stack.databricks, `run: ${carolsChange}`);
    if (carols.kind !== 'approval-requested') throw new Error(`expected an approval, got ${carols.kind}`);
    const injected = "x' OR 1=1; DELETE FROM main.retail.orders; --";
    const countBefore = await stack.scalar('SELECT count(*) FROM main.retail.orders');

    const stolen = await a.service.decide(buildContext(alice, { conversation: aliceChat }), stack.databricks, carols.approval.id, 'approve');
    const forged = await a.service.decide(buildContext(alice, { conversation: aliceChat }), stack.databricks, injected, 'approve');
    const forgedLong = await b.service.decide(buildContext(alice, { conversation: aliceChat }), stack.databricks, 'A'.repeat(30_000), 'approve');

    expect(stolen).toEqual({ kind: 'refused', approval: undefined, code: 'APPROVAL.OTHER_CONVERSATION' });
    expect(forged).toEqual({ kind: 'refused', approval: undefined, code: 'APPROVAL.NOT_FOUND' });
    expect(forgedLong).toMatchObject({ kind: 'refused', code: 'APPROVAL.NOT_FOUND' });
    expect(await deniedBy(carols.approval.id)).toEqual([`${alice.objectId} approve: APPROVAL.OTHER_CONVERSATION (used from another conversation)`]);
    expect(await deniedBy(injected)).toEqual([`${alice.objectId} approve: APPROVAL.NOT_FOUND`]);
    expect(await stack.executions(carolsChange)).toHaveLength(0);
    expect((await stack.agents.genie.history()).filter((q) => q.source === 'warehouse' && /DELETE/i.test(q.sql))).toHaveLength(0);
    expect(await stack.scalar('SELECT count(*) FROM main.retail.orders')).toBe(countBefore);
  });

  it('when alice clicks Approve on two instances 50 ms apart, then the change runs exactly once and the click replayed later is refused', async () => {
    const change = bumpQuantity(100_101);
    const rows = await stack.scalar(`SELECT count(*) FROM main.retail.orders WHERE region = 'West' AND order_id BETWEEN 100101 AND 100120`);
    const before = await stack.scalar(change.sumSql);
    const approval = await requestChange(change.sql);

    const first = a.service.decide(buildContext(alice, { conversation: aliceChat }), stack.databricks, approval.id, 'approve');
    await new Promise((r) => setTimeout(r, 50));
    const second = b.service.decide(buildContext(alice, { conversation: aliceChat }), stack.databricks, approval.id, 'approve');
    const outcomes = await Promise.allSettled([first, second]);
    const replay = await b.service.decide(buildContext(alice, { conversation: aliceChat }), stack.databricks, approval.id, 'approve');

    const kinds = outcomes.map((o) => (o.status === 'fulfilled' ? o.value.kind : `rejected ${String((o.reason as { code?: string }).code)}`));
    expect(kinds).toContain('executed');
    expect(kinds.every((k) => k === 'executed' || k === 'refused' || k === 'rejected THREAD.BUSY')).toBe(true);
    expect(replay).toMatchObject({ kind: 'refused', code: 'APPROVAL.ALREADY_DECIDED' });
    expect(await stack.executions(change.sql)).toHaveLength(1);
    expect(await stack.scalar(change.sumSql)).toBe(before + rows);
    const audit = (await a.persistence.audit.listByApproval(approval.id)).map((e) => e.kind);
    expect(audit.filter((k) => k === 'approval.approved')).toHaveLength(1);
    expect(audit.filter((k) => k === 'write.executed')).toHaveLength(1);
    expect(audit).toContain('approval.denied');
  });

  it('when alice clicks after the approval expired, then it is refused, marked expired, audited, and nothing runs', async () => {
    const change = bumpQuantity(100_201);
    const approval = await requestChange(change.sql);
    const later = await stack.instance({ now: () => new Date(Date.now() + 61 * 60_000) });

    const late = await later.service.decide(buildContext(alice, { conversation: aliceChat }), stack.databricks, approval.id, 'approve');
    const retried = await a.service.decide(buildContext(alice, { conversation: aliceChat }), stack.databricks, approval.id, 'approve');

    expect(late).toMatchObject({ kind: 'refused', code: 'APPROVAL.EXPIRED' });
    expect(retried).toMatchObject({ kind: 'refused', code: 'APPROVAL.EXPIRED' });
    expect((await a.service.getApproval(approval.id))?.status).toBe('expired');
    expect((await a.persistence.audit.listByApproval(approval.id)).map((e) => e.kind)).toEqual(expect.arrayContaining(['approval.expired', 'approval.denied']));
    expect(await stack.executions(change.sql)).toHaveLength(0);
  });

  it('when the SQL in the ledger is changed between the interrupt and the click (hash recomputed), then neither statement runs', async () => {
    const change = bumpQuantity(100_301);
    const approval = await requestChange(change.sql);
    const evil = `UPDATE main.retail.orders SET quantity = 0 WHERE region = 'West'`;
    const item = a.persistence.containers.approvals.item(approval.id, approval.id);
    const { resource } = await item.read<Record<string, unknown>>();
    await item.replace({ ...resource, sql: evil, sqlSha256: createHash('sha256').update(evil, 'utf8').digest('hex') });

    const result = await b.service.decide(buildContext(alice, { conversation: aliceChat }), stack.databricks, approval.id, 'approve');

    expect(result).toMatchObject({ kind: 'refused', code: 'APPROVAL.TAMPERED' });
    expect(await stack.executions(evil)).toHaveLength(0);
    expect(await stack.executions(change.sql)).toHaveLength(0);
    expect((await a.persistence.audit.listByApproval(approval.id)).map((e) => e.kind)).toContain('write.refused');
  });

  it('when only the SQL in the ledger is changed (hash left alone), then the click is refused before any claim and the record stays pending', async () => {
    const change = bumpQuantity(100_401);
    const approval = await requestChange(change.sql);
    const evil = `DELETE FROM main.retail.orders WHERE region = 'West'`;
    const item = a.persistence.containers.approvals.item(approval.id, approval.id);
    const { resource } = await item.read<Record<string, unknown>>();
    await item.replace({ ...resource, sql: evil });

    const result = await a.service.decide(buildContext(alice, { conversation: aliceChat }), stack.databricks, approval.id, 'approve');

    expect(result).toMatchObject({ kind: 'refused', code: 'APPROVAL.TAMPERED' });
    expect((await a.service.getApproval(approval.id))?.status).toBe('pending');
    expect(await deniedBy(approval.id)).toEqual([`${alice.objectId} approve: APPROVAL.TAMPERED`]);
    expect(await stack.executions(evil)).toHaveLength(0);
  });
});
