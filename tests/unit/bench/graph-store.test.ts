import { createAgentHarness } from '../../fakes/agent-harness';
import { buildContext, USERS } from '../../fakes/request-contexts';

/**
 * CPU hygiene: a graph compiled with a store wraps it, for every run, in LangGraph's
 * `AsyncBatchedStore`, whose loop re-arms `setTimeout(0)` until the run ends. The memory nodes get
 * the store from their dependencies instead, so the compiled graph has none, and memories still work.
 */
describe('agent graph and the memory store', () => {
  it('when the graph is built, then it is compiled without a store, and remembering and recalling still use the shared store', async () => {
    const h = createAgentHarness();
    expect(h.service.graph.store).toBeUndefined();
    const ctx = buildContext(USERS.alice);
    await h.service.handleMessage(ctx, h.databricks.factory, 'remember that my region is West');
    expect(await h.service.handleMessage(buildContext(USERS.alice), h.databricks.factory, 'what do you remember')).toEqual({
      kind: 'memories',
      items: [expect.objectContaining({ text: 'my region is West' })],
    });
    expect((await h.store.search([USERS.alice.tenantId, USERS.alice.objectId, 'memories'])).map((i) => i.value.text)).toEqual(['my region is West']);
  });
});
