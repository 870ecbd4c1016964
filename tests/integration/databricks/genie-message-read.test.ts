import { isAppError } from '../../../src/errors';
import { generousLimiter, startGenieHarness, type GenieHarness } from './genie-harness';

jest.setTimeout(60_000);

let h: GenieHarness;

beforeAll(async () => {
  h = await startGenieHarness({ latency: { submittedMs: 10, askingAiMs: 20, executingQueryMs: 10 }, rateLimit: { postsPerWindow: 1000, windowMs: 60_000 } });
});

afterAll(async () => {
  await h?.stop();
});

describe('reading a Genie message again, against the emulator over HTTPS', () => {
  it('when alice reads her answered message again, then she gets the same SQL, title, follow-ups and rows, with no new question asked or query run', async () => {
    const alice = h.client('alice', generousLimiter());
    const asked = await alice.ask('What are total sales by region?');
    expect(asked.table?.rows.length).toBeGreaterThan(0);
    const before = (await h.control('counters')) as { questions: number; queriesRun: number };

    const again = await alice.getMessage(asked.conversationId, asked.messageId);
    expect(again).toEqual(asked);
    const after = (await h.control('counters')) as { questions: number; queriesRun: number };
    expect(after.questions).toBe(before.questions);
    expect(after.queriesRun).toBe(before.queriesRun);
  });

  it('when Genie answered alice in words only, then reading the message again gives the same text', async () => {
    const alice = h.client('alice', generousLimiter());
    const asked = await alice.ask('Tell me a joke about penguins');
    expect(asked.text).toMatch(/could not match/);
    expect(await alice.getMessage(asked.conversationId, asked.messageId)).toEqual(asked);
  });

  it('when bob reads alice’s message with his own token, then Genie does not serve it (GENIE_FAILED) and he gets nothing of hers', async () => {
    const asked = await h.client('alice', generousLimiter()).ask('What are total sales by region?');
    const error = await h.client('bob', generousLimiter()).getMessage(asked.conversationId, asked.messageId).then(
      () => undefined,
      (e: unknown) => e,
    );
    expect(isAppError(error) && error.code).toBe('DATABRICKS.GENIE_FAILED');
    expect(JSON.stringify(error)).not.toContain(asked.text ?? 'no text');
  });
});
