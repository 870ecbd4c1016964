/**
 * Faults at the agent level over real emulators: a process that dies between SQL submit and the
 * checkpoint, a statement that outlives the wait (cancelled and rolled back by the warehouse, or
 * committed just before the cancel), warehouse 5xx and stopped, Genie FAILED and 429.
 * Nothing runs twice, nothing is lost, and each failure carries a code with a plain message.
 */
import type { AgentServiceWithGraph } from '../../../src/agents';
import type { SqlClient } from '../../../src/databricks/types';
import { AppError, isAppError } from '../../../src/errors';
import type { Persistence } from '../../../src/persistence/persistence';
import type { ApprovalRecord } from '../../../src/persistence/ports';
import { buildContext } from '../../fakes/request-contexts';
import { bumpQuantity, countSql, demoIdentity, startReliabilityStack, type ReliabilityStack } from './support/reliability-stack';

jest.setTimeout(120_000);

const alice = demoIdentity('alice');
const chat = { id: 'personal-alice-faults', kind: 'personal' as const };
const ctx = () => buildContext(alice, { conversation: chat });

let stack: ReliabilityStack;
let a: { service: AgentServiceWithGraph; persistence: Persistence };

beforeAll(async () => {
  stack = await startReliabilityStack();
  a = await stack.instance();
});
afterAll(async () => {
  await stack?.stop();
});
afterEach(async () => {
  await stack.control('reset', { data: false });
  await stack.agents.genie.control('rate-limit', { postsPerWindow: 100_000 });
});

async function requestChange(service: AgentServiceWithGraph, sql: string): Promise<ApprovalRecord> {
  const result = await service.handleMessage(ctx(), stack.databricks, `run: ${sql}`);
  if (result.kind !== 'approval-requested') throw new Error(`expected an approval, got ${JSON.stringify(result)}`);
  return result.approval;
}

async function codeOf(run: Promise<unknown>): Promise<string> {
  try {
    await run;
    return 'no error';
  } catch (error) {
    return isAppError(error) ? error.code : `not an AppError: ${String(error)}`;
  }
}

async function cancelsSent(): Promise<number> {
  const response = await fetch(`${stack.agents.genie.databricks.controlUrl}/state`);
  return ((await response.json()) as { counters: Record<string, number> }).counters['thrift.CancelOperation'] ?? 0;
}

type Counters = Record<string, number>;

async function counters(): Promise<Counters> {
  const response = await fetch(`${stack.agents.genie.databricks.controlUrl}/state`);
  return ((await response.json()) as { counters: Counters }).counters;
}

const delta = (from: Counters, to: Counters, key: string): number => (to[key] ?? 0) - (from[key] ?? 0);

/** Every warehouse history row (any status) whose SQL is exactly `sql`. */
async function historyOf(sql: string): Promise<{ status: string }[]> {
  const normalise = (x: string): string => x.replace(/\s+/g, ' ').trim().replace(/;$/, '');
  return (await stack.agents.genie.history()).filter((q) => q.source === 'warehouse' && normalise(q.sql) === normalise(sql));
}

async function waitUntil(check: () => Promise<boolean>, timeoutMs = 20_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await check())) {
    if (Date.now() > deadline) throw new Error('condition not met in time');
    await new Promise((r) => setTimeout(r, 100));
  }
}

describe('faults around an approved change', () => {
  it('when the process dies after the SQL was submitted and before the checkpoint, then another instance settles it from the statement id and the rows change once', async () => {
    const change = bumpQuantity(100_501);
    const rows = await stack.scalar(countSql(100_501));
    const before = await stack.scalar(change.sumSql);
    const doomed = await stack.instance({ lease: { ttlMs: 1500 } });
    const approval = await requestChange(doomed.service, change.sql);

    let submitted: string | undefined;
    const dead: SqlClient[] = [];
    const dieAfterSubmit = (real: SqlClient): SqlClient => {
      dead.push(real);
      return {
        ...real,
        execute: (sql, params, hooks) => {
          void real.execute(sql, params, {
            onSubmitted: async (id) => {
              await hooks?.onSubmitted?.(id);
              submitted = id;
            },
          }).catch(() => undefined);
          return new Promise<never>(() => undefined);
        },
      };
    };
    void doomed.service.decide(ctx(), stack.databricksWith({ wrapSql: dieAfterSubmit }), approval.id, 'approve');
    await waitUntil(async () => submitted !== undefined && (await stack.executions(change.sql)).length === 1);
    doomed.kill();
    expect((await a.service.getApproval(approval.id))?.status).toBe('executing');

    const restarted = await stack.instance();
    const settled = await restarted.service.decide(ctx(), stack.databricks, approval.id, 'approve');

    expect(settled).toMatchObject({ kind: 'executed', approval: { status: 'executed', statementId: submitted, rowsAffected: rows } });
    expect(await stack.executions(change.sql)).toHaveLength(1);
    expect(await stack.scalar(change.sumSql)).toBe(before + rows);
    const again = await restarted.service.decide(ctx(), stack.databricks, approval.id, 'approve');
    expect(again).toMatchObject({ kind: 'refused', code: 'APPROVAL.ALREADY_DECIDED' });
    await Promise.all(dead.map((c) => c.close()));
  });

  it('when the statement outlives the wait (timeout), then the client cancels it, the warehouse rolls it back, and the approval is failed once: rows unchanged, never resubmitted', async () => {
    const change = bumpQuantity(100_601);
    const before = await stack.scalar(change.sumSql);
    const approval = await requestChange(a.service, change.sql);
    await stack.control('latency', { operation: 'execute.dml', ms: 6000 });
    const started = Date.now();

    const first = await a.service.decide(ctx(), stack.databricksWith({ queryTimeoutMs: 3000 }), approval.id, 'approve');
    await new Promise((r) => setTimeout(r, Math.max(0, 6500 - (Date.now() - started))));
    const again = await a.service.decide(ctx(), stack.databricks, approval.id, 'approve');

    expect(first).toMatchObject({ kind: 'failed', code: 'DATABRICKS.CANCELED', approval: { status: 'failed', statementId: expect.any(String) } });
    expect(first.kind === 'failed' && first.message).toBe(new AppError('DATABRICKS.CANCELED').userMessage);
    expect(await cancelsSent()).toBe(1);
    expect(await stack.executions(change.sql, 'CANCELED')).toEqual([expect.objectContaining({ statementId: first.approval?.statementId })]);
    expect(await stack.executions(change.sql)).toHaveLength(0);
    expect(await stack.scalar(change.sumSql)).toBe(before);
    expect(again).toMatchObject({ kind: 'refused', code: 'APPROVAL.ALREADY_DECIDED' });
    expect((await a.persistence.audit.listByApproval(approval.id)).map((e) => e.kind)).toContain('write.failed');
  });

  it('when the statement commits just before the client gives up and cancels it, then the cancel changes nothing and the approval is settled executed once from its statement id', async () => {
    const change = bumpQuantity(100_641);
    const rows = await stack.scalar(countSql(100_641));
    const before = await stack.scalar(change.sumSql);
    const approval = await requestChange(a.service, change.sql);
    // The statement commits at ~2.5 s; the client's first status poll answers only after 6 s, so its 5 s wait runs out first.
    await stack.control('latency', { latencyMs: { 'execute.dml': 2500, GetOperationStatus: 6000 } });

    const result = await a.service.decide(ctx(), stack.databricksWith({ queryTimeoutMs: 5000 }), approval.id, 'approve');
    await stack.control('latency', { latencyMs: { 'execute.dml': 0, GetOperationStatus: 0 } });
    const again = await a.service.decide(ctx(), stack.databricks, approval.id, 'approve');

    expect(result).toMatchObject({ kind: 'executed', approval: { status: 'executed', statementId: expect.any(String), rowsAffected: rows } });
    expect(await cancelsSent()).toBe(1);
    expect(await stack.executions(change.sql)).toEqual([expect.objectContaining({ statementId: result.approval?.statementId })]);
    expect(await stack.executions(change.sql, 'CANCELED')).toHaveLength(0);
    expect(await stack.scalar(change.sumSql)).toBe(before + rows);
    expect(again).toMatchObject({ kind: 'refused', code: 'APPROVAL.ALREADY_DECIDED' });
  });

  it('when the warehouse answers 503 to the ExecuteStatement of an approved change, then the approval fails with DATABRICKS.UNAVAILABLE, the statement is sent once and never again, and nothing runs', async () => {
    const change = bumpQuantity(100_701);
    const before = await stack.scalar(change.sumSql);
    const approval = await requestChange(a.service, change.sql);
    const start = await counters();
    await stack.control('fail', { count: 1, status: 503, scope: 'thrift', method: 'ExecuteStatement' });

    const result = await a.service.decide(ctx(), stack.databricks, approval.id, 'approve');
    const again = await a.service.decide(ctx(), stack.databricks, approval.id, 'approve');
    const end = await counters();

    expect(result).toMatchObject({ kind: 'failed', code: 'DATABRICKS.UNAVAILABLE', approval: { status: 'failed' } });
    expect(result.kind === 'failed' && result.message).toBe(new AppError('DATABRICKS.UNAVAILABLE').userMessage);
    expect(again).toMatchObject({ kind: 'refused', code: 'APPROVAL.ALREADY_DECIDED' });
    expect(delta(start, end, 'injected.ExecuteStatement')).toBe(1);
    expect(delta(start, end, 'thrift.ExecuteStatement')).toBe(0);
    expect(await historyOf(change.sql)).toEqual([]);
    expect(await stack.scalar(change.sumSql)).toBe(before);
    expect((await a.persistence.audit.listByApproval(approval.id)).map((e) => e.kind)).toContain('write.failed');
  });

  it('when the warehouse is stopped at execution, then the approval fails with WAREHOUSE_UNAVAILABLE after one connection attempt (OpenSession is not retried by the driver), no statement is sent, and a second click does not retry', async () => {
    const change = bumpQuantity(100_801);
    const before = await stack.scalar(change.sumSql);
    const approval = await requestChange(a.service, change.sql);
    const start = await counters();
    await stack.control('warehouse', { state: 'STOPPED' });

    const result = await a.service.decide(ctx(), stack.databricks, approval.id, 'approve');
    const stopped = await counters();
    await stack.control('warehouse', { state: 'RUNNING' });
    const again = await a.service.decide(ctx(), stack.databricks, approval.id, 'approve');
    const end = await counters();

    expect(result).toMatchObject({ kind: 'failed', code: 'DATABRICKS.WAREHOUSE_UNAVAILABLE', approval: { status: 'failed' } });
    expect(again).toMatchObject({ kind: 'refused', code: 'APPROVAL.ALREADY_DECIDED' });
    expect(delta(start, stopped, 'requests.thrift')).toBe(1);
    expect(delta(start, end, 'requests.thrift')).toBe(1);
    expect(delta(start, end, 'thrift.ExecuteStatement')).toBe(0);
    expect(await historyOf(change.sql)).toEqual([]);
    expect(await stack.scalar(change.sumSql)).toBe(before);
  });

  it('when an approved UPDATE is refused by the warehouse with 42501, then the approval is failed with a plain message, the statement ran once (one FAILED history row) and is never retried', async () => {
    const where = `region = 'West' AND order_id BETWEEN 100951 AND 101000`;
    const moveEast = `UPDATE main.retail.orders SET region = 'East' WHERE ${where}`;
    const westRows = await stack.scalar(`SELECT count(*) FROM main.retail.orders WHERE ${where}`);
    expect(westRows).toBeGreaterThan(0);
    const approval = await requestChange(a.service, moveEast);
    const start = await counters();

    const result = await a.service.decide(ctx(), stack.databricks, approval.id, 'approve');
    const again = await a.service.decide(ctx(), stack.databricks, approval.id, 'approve');
    const end = await counters();

    expect(result).toMatchObject({ kind: 'failed', code: 'DATABRICKS.PERMISSION_DENIED', approval: { status: 'failed', error: { code: 'DATABRICKS.PERMISSION_DENIED' } } });
    expect(result.kind === 'failed' && result.message).toBe(new AppError('DATABRICKS.PERMISSION_DENIED').userMessage);
    expect(again).toMatchObject({ kind: 'refused', code: 'APPROVAL.ALREADY_DECIDED' });
    // Two statements: the re-count as alice just before running, then the change once; never a retry.
    expect(delta(start, end, 'thrift.ExecuteStatement')).toBe(2);
    expect((await historyOf(moveEast)).map((q) => q.status)).toEqual(['FAILED']);
    expect(await stack.scalar(`SELECT count(*) FROM main.retail.orders WHERE ${where}`)).toBe(westRows);
    expect((await a.persistence.audit.listByApproval(approval.id)).map((e) => e.kind).filter((k) => k === 'write.failed' || k === 'write.executed')).toEqual(['write.failed']);
  });
});

describe('faults around a question', () => {
  it('when Genie ends the message FAILED, then GENIE_FAILED is raised and audited, and the next question on the same thread is answered', async () => {
    await stack.agents.genie.control('fail-messages', { count: 1 });
    expect(await codeOf(a.service.handleMessage(ctx(), stack.databricks, 'What are total sales by region?'))).toBe('DATABRICKS.GENIE_FAILED');
    const next = await a.service.handleMessage(ctx(), stack.databricks, 'What are total sales by region?');
    expect(next.kind === 'genie' && next.answer.table?.rows.map((r) => r[0])).toEqual(['West']);
  });

  it('when Genie answers 429 to every POST, then the user gets RATE_LIMITED (not a crash), and after it clears the thread still works', async () => {
    const injected = async (): Promise<number> => ((await stack.agents.genie.control('counters')) as { injectedHttpFailures: number }).injectedHttpFailures;
    const before = await injected();
    await stack.agents.genie.control('fail-requests', { count: 2, status: 429, retryAfterSeconds: 1 });
    expect(await codeOf(a.service.handleMessage(ctx(), stack.databricks, 'What are total sales by region?'))).toBe('DATABRICKS.RATE_LIMITED');
    expect((await injected()) - before).toBe(2);
    const next = await a.service.handleMessage(ctx(), stack.databricks, 'How many orders are pending?');
    expect(next.kind).toBe('genie');
  });

  it('when the warehouse answers 5xx during a change request’s dry run, then the impact is unknown, so it fails closed: only another approver may approve, and nothing runs', async () => {
    await stack.control('fail', { count: 50, status: 502, scope: 'thrift' });
    const change = bumpQuantity(100_901);
    const result = await a.service.handleMessage(ctx(), stack.databricks, `run: ${change.sql}`);
    await stack.control('fail', { count: 0 });
    if (result.kind !== 'approval-requested') throw new Error(`expected an approval, got ${result.kind}`);
    expect(result.approval).toMatchObject({ impact: { rows: null }, requiresApprover: true });
    expect(result.approval.impact.description).toMatch(/Could not be counted/);
    const self = await a.service.decide(ctx(), stack.databricks, result.approval.id, 'approve');
    expect(self).toMatchObject({ kind: 'refused', code: 'APPROVAL.APPROVER_REQUIRED' });
    expect(await stack.executions(change.sql)).toHaveLength(0);
  });
});
