import { FakeListChatModel } from '@langchain/core/utils/testing';
import { createChatModelRouter } from '../../../src/llm';

function routerWith(...responses: string[]) {
  const model = new FakeListChatModel({ responses });
  return { model, router: createChatModelRouter(model) };
}

describe('chat model router (scripted fake model)', () => {
  it('when the model says question, then the intent is a Genie question', async () => {
    const { router } = routerWith('{"intent":"question","question":"revenue by region"}');
    expect(await router.route('how is revenue split across regions?', { memories: [] })).toEqual({ kind: 'question', question: 'revenue by region' });
  });

  it('when the model drafts SQL for a change, then the intent carries it as LLM SQL', async () => {
    const { router } = routerWith('```json\n{"intent":"change","sql":"DELETE FROM main.retail.orders WHERE status = \'returned\'"}\n```');
    expect(await router.route('get rid of the returned orders', { memories: [] })).toEqual({
      kind: 'change',
      sql: "DELETE FROM main.retail.orders WHERE status = 'returned'",
      source: 'llm',
    });
  });

  it('when the model calls a change request a question, then it still never goes to Genie', async () => {
    const { router } = routerWith('{"intent":"question","question":"delete cancelled orders"}');
    const intent = await router.route('delete the cancelled orders in East', { memories: [] });
    expect(intent.kind).toBe('change');
  });

  it('when the model answers garbage, then the deterministic router decides', async () => {
    const { router } = routerWith('I think you want to know about sales!');
    expect(await router.route('what were sales last month?', { memories: [] })).toEqual({ kind: 'question', question: 'what were sales last month?' });
  });

  it('when the message is explicit SQL, then the model is not consulted and the SQL is kept verbatim', async () => {
    const { router } = routerWith('{"intent":"change","sql":"DROP TABLE x"}');
    expect(await router.route('run: UPDATE t SET a = 1 WHERE id = 2', { memories: [] })).toEqual({
      kind: 'change',
      sql: 'UPDATE t SET a = 1 WHERE id = 2',
      source: 'user',
    });
  });

  it('when the model throws, then the deterministic router decides', async () => {
    const model = new FakeListChatModel({ responses: ['x'] });
    jest.spyOn(model, 'invoke').mockRejectedValue(new Error('429'));
    const router = createChatModelRouter(model);
    expect((await router.route('delete the cancelled orders in East', { memories: [] })).kind).toBe('change');
  });

  it('when the user has memories, then they are given to the model', async () => {
    const { model, router } = routerWith('{"intent":"question","question":"orders in West"}');
    const spy = jest.spyOn(model, 'invoke');
    await router.route('orders in my region', { memories: ['my region is West'] });
    const messages = spy.mock.calls[0]?.[0] as { content: unknown }[];
    expect(String(messages[0]?.content)).toContain('my region is West');
  });
});
