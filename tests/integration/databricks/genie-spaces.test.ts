import { HR_SPACE_ID, SANDBOX_SPACE_ID } from '../../../emulators/databricks/genie';
import { createGenieConversationsClient } from '../../../src/databricks/genie-conversations';
import { createGenieSpacesClient } from '../../../src/databricks/genie-spaces';
import { isAppError } from '../../../src/errors';
import { generousLimiter, startGenieHarness, type GenieHarness } from './genie-harness';

jest.setTimeout(60_000);

let h: GenieHarness;

beforeAll(async () => {
  h = await startGenieHarness({ latency: { submittedMs: 5, askingAiMs: 5, executingQueryMs: 5 }, rateLimit: { postsPerWindow: 1000, windowMs: 60_000 } });
});
afterAll(async () => {
  await h?.stop();
});

const options = (user: string) => ({ host: h.baseUrl, getToken: () => h.tokenFor(user) });
const spacesOf = (user: string) => createGenieSpacesClient(options(user));
const conversationsOf = (user: string) => createGenieConversationsClient(options(user));

async function raw(user: string, path: string): Promise<{ status: number; body: Record<string, unknown> }> {
  const response = await fetch(`${h.baseUrl}${path}`, { headers: { authorization: `Bearer ${await h.tokenFor(user)}` } });
  return { status: response.status, body: (await response.json()) as Record<string, unknown> };
}

describe('Genie spaces and conversation lists, as each user, against the emulator over HTTPS', () => {
  it('when each user lists spaces, then they get only the spaces they hold a permission on', async () => {
    expect((await spacesOf('alice').listSpaces()).map((s) => s.title)).toEqual(['Retail sales']);
    expect((await spacesOf('bob').listSpaces()).map((s) => s.title)).toEqual(['Retail sales', 'People (HR)']);
    expect((await spacesOf('carol').listSpaces()).map((s) => s.spaceId)).toContain(SANDBOX_SPACE_ID);
  });

  it('when the space list is paged, then next_page_token leads to the rest and the client follows it', async () => {
    const first = await raw('carol', '/api/2.0/genie/spaces?page_size=1');
    expect((first.body.spaces as unknown[]).length).toBe(1);
    expect(typeof first.body.next_page_token).toBe('string');
    const second = await raw('carol', `/api/2.0/genie/spaces?page_size=1&page_token=${String(first.body.next_page_token)}`);
    expect((second.body.spaces as { space_id: string }[])[0]?.space_id).not.toBe((first.body.spaces as { space_id: string }[])[0]?.space_id);
    expect(first.body.spaces).not.toHaveProperty('0.serialized_space');
  });

  it('when alice opens the HR space directly, then the service answers 404 RESOURCE_DOES_NOT_EXIST and the client says GENIE.SPACE_UNAVAILABLE', async () => {
    const direct = await raw('alice', `/api/2.0/genie/spaces/${HR_SPACE_ID}`);
    expect(direct).toEqual({ status: 404, body: { error_code: 'RESOURCE_DOES_NOT_EXIST', message: expect.stringContaining(HR_SPACE_ID) } });
    const error = await spacesOf('alice').getSpace(HR_SPACE_ID).catch((e: unknown) => e);
    expect(isAppError(error) && error.code).toBe('GENIE.SPACE_UNAVAILABLE');
    const ask = await h.client('alice', generousLimiter(), { spaceId: HR_SPACE_ID }).ask('List all employees').catch((e: unknown) => e);
    expect(isAppError(ask) && ask.details.httpStatus).toBe(404);
  });

  it('when a CAN RUN user asks for the sample questions, then they get none (403 on serialized_space) while a manager gets them', async () => {
    expect((await raw('bob', `/api/2.0/genie/spaces/${HR_SPACE_ID}?include_serialized_space=true`)).status).toBe(403);
    expect((await spacesOf('bob').getSpace(HR_SPACE_ID, { sampleQuestions: true })).sampleQuestions).toBeUndefined();
    expect((await spacesOf('carol').getSpace(HR_SPACE_ID, { sampleQuestions: true })).sampleQuestions).toContain('What is the headcount by department?');
  });

  it('when bob and carol ask in HR, then each lists only their own conversations, paged; include_all needs CAN MANAGE', async () => {
    const bobAsks = await Promise.all(['List all employees', 'Who joined after 2022?'].map((q) => h.client('bob', generousLimiter(), { spaceId: HR_SPACE_ID }).ask(q)));
    const carolAsk = await h.client('carol', generousLimiter(), { spaceId: HR_SPACE_ID }).ask('What is the headcount by department?');
    const bobList = await conversationsOf('bob').list(HR_SPACE_ID, 10);
    expect(bobList.map((c) => c.conversationId).sort()).toEqual(bobAsks.map((a) => a.conversationId).sort());
    expect(bobList.map((c) => c.title)).toContain('List all employees');
    expect(await conversationsOf('bob').findOwn(HR_SPACE_ID, carolAsk.conversationId)).toBeUndefined();

    const page = await raw('bob', `/api/2.0/genie/spaces/${HR_SPACE_ID}/conversations?page_size=1`);
    expect((page.body.conversations as unknown[]).length).toBe(1);
    expect(typeof page.body.next_page_token).toBe('string');
    expect((await raw('bob', `/api/2.0/genie/spaces/${HR_SPACE_ID}/conversations?include_all=true`)).status).toBe(403);
    const all = await raw('carol', `/api/2.0/genie/spaces/${HR_SPACE_ID}/conversations?include_all=true`);
    expect((all.body.conversations as unknown[]).length).toBe(3);

    const deleteOther = await conversationsOf('bob').delete(HR_SPACE_ID, carolAsk.conversationId).catch((e: unknown) => e);
    expect(isAppError(deleteOther)).toBe(true);
    expect(await conversationsOf('carol').findOwn(HR_SPACE_ID, carolAsk.conversationId)).toBeDefined();
    await conversationsOf('bob').delete(HR_SPACE_ID, bobAsks[0]!.conversationId);
    expect((await conversationsOf('bob').list(HR_SPACE_ID, 10)).map((c) => c.conversationId)).toEqual([bobAsks[1]!.conversationId]);
  });
});
