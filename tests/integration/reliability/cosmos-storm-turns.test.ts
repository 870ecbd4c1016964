/**
 * §4 case 25 through the real agent turn: the agent service (graph, Cosmos checkpointer, store,
 * ledger, audit, thread leases) talks to Cosmos through a proxy that answers 429 with
 * `x-ms-retry-after-ms`. Half of all calls throttled → every turn finishes (question answered,
 * change requested, approved and run once) and nothing it saved is lost. Every call throttled → the
 * turn says "busy" (STORAGE.THROTTLED with its message), nothing half-done, and once the storm ends
 * the same thread carries on.
 */
import type { AgentServiceWithGraph } from '../../../src/agents';
import { AppError, isAppError } from '../../../src/errors';
import type { Persistence } from '../../../src/persistence/persistence';
import { buildContext } from '../../fakes/request-contexts';
import { startThrottleProxy, type ThrottleProxy } from '../../support/cosmos-throttle-proxy';
import { bumpQuantity, countSql, demoIdentity, startReliabilityStack, type ReliabilityStack } from './support/reliability-stack';

jest.setTimeout(180_000);

const alice = demoIdentity('alice');
const chat = { id: 'personal-alice-storm', kind: 'personal' as const };
const ctx = () => buildContext(alice, { conversation: chat });

let stack: ReliabilityStack;
let proxy: ThrottleProxy;
let stormy: { service: AgentServiceWithGraph; persistence: Persistence };
let direct: { service: AgentServiceWithGraph; persistence: Persistence };

beforeAll(async () => {
  stack = await startReliabilityStack();
  direct = await stack.instance();
  proxy = await startThrottleProxy(stack.agents.cosmosEndpoint, { retryAfterMs: 5 });
  proxy.shouldThrottle = () => false;
  stormy = await stack.agents.newInstance({ cosmosEndpoint: proxy.endpoint });
});
afterAll(async () => {
  await proxy?.stop();
  await stack?.stop();
});

async function outcomeOf<T>(run: Promise<T>): Promise<T | { error: string; message: string }> {
  try {
    return await run;
  } catch (error) {
    return isAppError(error) ? { error: error.code, message: error.userMessage } : { error: `not an AppError: ${String(error)}`, message: '' };
  }
}

describe('a Cosmos 429 storm during real agent turns', () => {
  it('when every second Cosmos call is answered 429, then a question is answered and a change is requested, approved and run once; every checkpoint and audit record is kept', async () => {
    const change = bumpQuantity(101_501);
    const rows = await stack.scalar(countSql(101_501));
    const before = await stack.scalar(change.sumSql);
    proxy.shouldThrottle = (sequence) => sequence % 2 === 0;
    const throttledBefore = proxy.stats.throttled;

    const question = await outcomeOf(stormy.service.handleMessage(ctx(), stack.databricks, 'What are total sales by region?'));
    const requested = await outcomeOf(stormy.service.handleMessage(ctx(), stack.databricks, `run: ${change.sql}`));
    if (!('kind' in requested) || requested.kind !== 'approval-requested') throw new Error(`expected an approval, got ${JSON.stringify(requested)}`);
    const decided = await outcomeOf(stormy.service.decide(ctx(), stack.databricks, requested.approval.id, 'approve'));
    proxy.shouldThrottle = () => false;

    expect(proxy.stats.throttled - throttledBefore).toBeGreaterThan(20);
    expect(question).toMatchObject({ kind: 'genie', answer: { table: { rows: [['West', expect.any(String)]] } } });
    expect(decided).toMatchObject({ kind: 'executed', approval: { status: 'executed', rowsAffected: rows } });
    expect(await stack.executions(change.sql)).toHaveLength(1);
    expect(await stack.scalar(change.sumSql)).toBe(before + rows);
    // Read back without the proxy: the ledger, the audit trail and the thread's checkpoint all hold what the stormy turns wrote.
    expect(await direct.service.getApproval(requested.approval.id)).toMatchObject({ status: 'executed', rowsAffected: rows });
    expect((await direct.persistence.audit.listByApproval(requested.approval.id)).map((e) => e.kind)).toEqual(['write.requested', 'approval.approved', 'write.executed']);
    const next = await direct.service.handleMessage(ctx(), stack.databricks, 'How many orders are pending?');
    expect(next.kind).toBe('genie');
  });

  it('when every Cosmos call is answered 429, then the turn says busy (STORAGE.THROTTLED and its message), nothing is half-done, and after the storm the same thread carries on', async () => {
    const change = bumpQuantity(101_601);
    proxy.shouldThrottle = () => true;
    const question = await outcomeOf(stormy.service.handleMessage(ctx(), stack.databricks, 'What are total sales by region?'));
    const requested = await outcomeOf(stormy.service.handleMessage(ctx(), stack.databricks, `run: ${change.sql}`));
    proxy.shouldThrottle = () => false;

    const busy = { error: 'STORAGE.THROTTLED', message: new AppError('STORAGE.THROTTLED').userMessage };
    expect(question).toEqual(busy);
    expect(requested).toEqual(busy);
    expect(busy.message).toBe('I am busy right now. Please try again in a few seconds.');
    expect((await stack.agents.genie.history()).filter((q) => q.sql.includes('101601'))).toEqual([]);

    const again = await stormy.service.handleMessage(ctx(), stack.databricks, `run: ${change.sql}`);
    expect(again.kind).toBe('approval-requested');
  });
});
