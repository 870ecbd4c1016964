/**
 * The whole agent graph with a chat model: the supervisor hands the router a catalog loader bound
 * to the validated user of the turn, the view is read through the production clients against the
 * emulators (space GET, information_schema as the user) and cached per user. The model here only
 * records what it is sent; the prompt is the product's.
 */
import { FakeListChatModel } from '@langchain/core/utils/testing';
import { DEMO_DIRECTORY, findUser } from '../../../emulators/shared/directory';
import { UserCatalogCache } from '../../../src/catalog';
import type { UserIdentity } from '../../../src/context/request-context';
import { createChatModelRouter } from '../../../src/llm';
import { buildContext } from '../../fakes/request-contexts';
import { startAgentStack, type AgentStack } from './agent-stack';

jest.setTimeout(120_000);

let stack: AgentStack;

function demoUser(shortName: string): UserIdentity {
  const u = findUser(DEMO_DIRECTORY, shortName)!;
  return { tenantId: DEMO_DIRECTORY.tenantId, objectId: u.objectId, upn: u.upn, displayName: u.displayName };
}

beforeAll(async () => {
  stack = await startAgentStack();
});

afterAll(async () => {
  await stack?.stop();
});

describe('model-routed turns use the asking user catalog view', () => {
  it("when alice then bob then alice write to the bot, then each prompt names only that user's tables and alice's view is read once", async () => {
    const model = new FakeListChatModel({ responses: ['{"intent":"help"}'] });
    const spy = jest.spyOn(model, 'invoke');
    const { service } = await stack.newInstance({ router: createChatModelRouter(model, { fallback: null }), catalog: new UserCatalogCache({ spaceId: stack.genie.spaceId }) });
    const turn = (user: string) => service.handleMessage(buildContext(demoUser(user), { conversation: { id: `personal-${user}-catalog`, kind: 'personal' } }), stack.databricks, 'what are our sales targets by region?');

    await turn('alice');
    await turn('bob');
    await turn('alice');
    const prompts = spy.mock.calls.map((call) => String((call[0] as { content: unknown }[])[0]?.content));
    expect(prompts).toHaveLength(3);
    expect(prompts[0]).toContain('main.retail.orders');
    expect(prompts[0]).not.toContain('region_targets');
    expect(prompts[1]).toContain('main.retail.region_targets');
    expect(prompts[2]).toBe(prompts[0]);

    const reads = (await stack.genie.history()).filter((h) => /information_schema/i.test(h.sql));
    expect(reads.map((h) => h.upn)).toEqual(['alice@contoso.example', 'bob@contoso.example']);
  });
});
