import { createAgentHarness } from '../../fakes/agent-harness';
import { buildContext, USERS } from '../../fakes/request-contexts';

/** The agent service checkpoints a new message once, at its end; a resumed approval still step by step. */
describe('checkpoint durability per run', () => {
  function spyOnPuts(h: ReturnType<typeof createAgentHarness>): { count: () => number; reset: () => void } {
    const put = jest.spyOn(h.checkpointer, 'put');
    return { count: () => put.mock.calls.length, reset: () => put.mockClear() };
  }

  it('when a question is answered, then its run stores one checkpoint (durability exit), and the follow-up still continues the Genie conversation', async () => {
    const h = createAgentHarness();
    const puts = spyOnPuts(h);
    await h.service.handleMessage(buildContext(USERS.alice), h.databricks.factory, 'orders per region');
    expect(puts.count()).toBe(1);
    await h.service.handleMessage(buildContext(USERS.alice), h.databricks.factory, 'only West');
    expect(h.databricks.genieCalls.map((c) => c.conversationId)).toEqual([undefined, 'conv-1']);
  });

  it('when a change is requested, then the run stores its checkpoint at the interrupt and the approval can be found and resumed', async () => {
    const h = createAgentHarness({ databricks: { countFor: () => 3 } });
    const puts = spyOnPuts(h);
    const requested = await h.service.handleMessage(buildContext(USERS.alice), h.databricks.factory, "run: DELETE FROM main.retail.orders WHERE order_id = 1");
    expect(requested.kind).toBe('approval-requested');
    if (requested.kind !== 'approval-requested') return;
    expect(puts.count()).toBe(1);
    expect(requested.approval.interruptId).toEqual(expect.any(String));

    puts.reset();
    const decided = await h.service.decide(buildContext(USERS.alice), h.databricks.factory, requested.approval.id, 'approve');
    expect(decided.kind).toBe('executed');
    expect(h.databricks.executions).toHaveLength(1);
    expect(puts.count()).toBeGreaterThan(1);
  });
});
