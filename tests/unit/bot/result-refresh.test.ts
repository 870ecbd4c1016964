import type { Activity } from 'botbuilder';
import { ALICE, BOB, buildCardAction, buildMessage } from '../../fakes/bot-activities';
import { createBotHarness, type BotHarness } from '../../fakes/bot-harness';
import { buildGenieAnswer } from '../../fakes/bot-ports';
import { AppError } from '../../../src/errors';
import { ResultCache } from '../../../bot/turns/result-cache';

const ANSWER = buildGenieAnswer({ text: 'West sold 10, East sold 20.', suggestedQuestions: ['Sales by month?'] });

function json(value: unknown): string {
  return JSON.stringify(value ?? null);
}

/** Alice asks in a group chat on instance `h`; returns the shared card and the result ref its refresh carries. */
async function askInGroup(h: BotHarness): Promise<{ shared: Partial<Activity>; ref: Record<string, unknown> }> {
  h.agents.onMessage = async () => ({ kind: 'genie', answer: ANSWER });
  await h.send(buildMessage('sales by region', { where: 'groupChat' }));
  const shared = h.adapter.updated.at(-1) as Partial<Activity>;
  const card = shared.attachments?.[0]?.content as { refresh: { action: { data: Record<string, unknown> } } };
  return { shared, ref: card.refresh.action.data };
}

/** Two bot instances: each has its own result cache; Genie (the fake) serves the message only to Alice. */
function twoInstances(): { a: BotHarness; b: BotHarness } {
  const a = createBotHarness({ signedIn: [ALICE.oid, BOB.oid] });
  const b = createBotHarness({ signedIn: [ALICE.oid, BOB.oid] });
  b.databricks.message = ANSWER;
  b.databricks.messageOwner = ALICE.oid;
  return { a, b };
}

describe('refreshing a private result card on another instance', () => {
  it('when the asker refreshes on another instance, then she gets the same card as on the first (text, SQL, rows), read once from Genie with her own token', async () => {
    const { a, b } = twoInstances();
    const { ref } = await askInGroup(a);
    const onA = await a.send(buildCardAction('result.refresh', ref, { where: 'groupChat' }));
    expect(a.databricks.calls).toEqual([]);

    const onB = await b.send(buildCardAction('result.refresh', ref, { where: 'groupChat' }));
    expect(b.databricks.calls).toEqual([{ op: 'getMessage', asUser: ALICE.oid, args: ['conv-1', 'msg-1'] }]);
    expect(onB?.status).toBe(200);
    expect(onB?.body).toEqual(onA?.body);
    const card = json(onB?.body);
    expect(card).toContain('West sold 10, East sold 20.');
    expect(card).toContain('SELECT region, SUM(amount) AS sales FROM sales GROUP BY region');
    expect(card).toContain('west');
    expect(card).not.toContain('no longer available');
  });

  it('when the asker refreshes again on that instance, then the answer comes from its cache without asking Genie', async () => {
    const { a, b } = twoInstances();
    const { ref } = await askInGroup(a);
    const first = await b.send(buildCardAction('result.refresh', ref, { where: 'groupChat' }));
    const second = await b.send(buildCardAction('result.refresh', ref, { where: 'groupChat' }));
    expect(second?.body).toEqual(first?.body);
    expect(b.databricks.calls).toHaveLength(1);
  });

  it('when another member refreshes on another instance, then they get neither rows nor text and Genie is not called', async () => {
    const { a, b } = twoInstances();
    const { ref } = await askInGroup(a);
    const theirs = await b.send(buildCardAction('result.refresh', ref, { where: 'groupChat', from: BOB }));
    const card = json(theirs?.body);
    expect(card).toContain('Only the person who asked can see this result');
    expect(card).not.toContain('West sold');
    expect(card).not.toContain('west');
    expect(card).not.toContain('SELECT');
    expect(b.databricks.calls).toEqual([]);
  });

  it('when a member forges the card data to claim to be the asker, then Genie is asked with their own token, refuses, and they see neither rows nor text', async () => {
    const { a, b } = twoInstances();
    const { ref } = await askInGroup(a);
    const forged = await b.send(buildCardAction('result.refresh', { ...ref, askerOid: BOB.oid }, { where: 'groupChat', from: BOB }));
    expect(b.databricks.calls).toEqual([{ op: 'getMessage', asUser: BOB.oid, args: ['conv-1', 'msg-1'] }]);
    const card = json(forged?.body);
    expect(card).not.toContain('West sold');
    expect(card).not.toContain('west');
    expect(card).toMatch(/reference [0-9a-f-]{36}/);
  });

  it('when Genie no longer has the message, then the asker is told with a reference and nothing is cached, so the next refresh asks Genie again', async () => {
    const { a, b } = twoInstances();
    const { ref } = await askInGroup(a);
    b.databricks.messageError = new AppError('DATABRICKS.GENIE_FAILED', 'Conversation conv-1 does not exist.');
    const failed = await b.send(buildCardAction('result.refresh', ref, { where: 'groupChat' }));
    expect(json(failed?.body)).toMatch(/reference [0-9a-f-]{36}/);
    expect(json(failed?.body)).not.toContain('west');
    b.databricks.messageError = undefined;
    const recovered = await b.send(buildCardAction('result.refresh', ref, { where: 'groupChat' }));
    expect(json(recovered?.body)).toContain('West sold 10, East sold 20.');
    expect(b.databricks.calls.map((c) => c.op)).toEqual(['getMessage', 'getMessage']);
  });
});

describe('result cache', () => {
  it('when an entry is read by another user, after its lifetime, or after being pushed out, then it is not returned', () => {
    const cache = new ResultCache(2, 1000);
    cache.put('r1', 'alice', ANSWER, 0);
    expect(cache.get('r1', 'alice', 10)).toBe(ANSWER);
    expect(cache.get('r1', 'bob', 10)).toBeUndefined();
    expect(cache.get('r1', 'alice', 1000)).toBeUndefined();
    cache.put('r1', 'alice', ANSWER, 0);
    cache.put('r2', 'alice', ANSWER, 0);
    cache.put('r3', 'alice', ANSWER, 0);
    expect(cache.get('r1', 'alice', 10)).toBeUndefined();
    expect(cache.get('r3', 'alice', 10)).toBe(ANSWER);
  });
});
