/** Wrong inputs to the page and feedback actions: each gets a clear answer, and Genie is not called. */
import { ALICE, BOB, buildCardAction, buildMessage } from '../../fakes/bot-activities';
import { createBotHarness } from '../../fakes/bot-harness';
import { buildGenieAnswer } from '../../fakes/bot-ports';

const json = (value: unknown): string => JSON.stringify(value ?? null);

async function groupResult(h: ReturnType<typeof createBotHarness>): Promise<Record<string, unknown>> {
  h.agents.onMessage = async () => ({ kind: 'genie', answer: buildGenieAnswer() });
  await h.send(buildMessage('sales by region', { where: 'groupChat' }));
  const card = h.adapter.updated.at(-1)?.attachments?.[0]?.content as { refresh: { action: { data: Record<string, unknown> } } };
  return card.refresh.action.data;
}

describe('result page and feedback inputs', () => {
  it.each([
    ['a negative page', -1],
    ['a fractional page', 1.5],
    ['a page as text', '1'],
    ['a page past any result', 5001],
    ['no page', undefined],
  ])('when the page action carries %s, then it is refused with a clear message and Genie is not called', async (_name, page) => {
    const h = createBotHarness({ signedIn: [ALICE.oid] });
    const ref = await groupResult(h);
    const response = await h.send(buildCardAction('result.page', { ...ref, page }, { where: 'groupChat' }));
    expect(json(response?.body)).toContain('The card action has no valid \\"page\\".');
    expect(h.databricks.calls).toEqual([]);
  });

  it('when the asker pages, then the page is read as them; when another member pages, then they get the no-rows card and Genie is not called', async () => {
    const h = createBotHarness({ signedIn: [ALICE.oid, BOB.oid] });
    const ref = await groupResult(h);
    const mine = await h.send(buildCardAction('result.page', { ...ref, page: 0 }, { where: 'groupChat' }));
    expect(json(mine?.body)).toContain('west');
    expect(h.databricks.calls.filter((c) => c.op === 'readPage')).toEqual([{ op: 'readPage', asUser: ALICE.oid, args: ['conv-1', 'msg-1', 'att-1', 0, 20] }]);
    const calls = h.databricks.calls.length;
    const bobs = await h.send(buildCardAction('result.page', { ...ref, page: 0 }, { where: 'groupChat', from: BOB }));
    expect(json(bobs?.body)).toContain('Answer for Alice Wong');
    expect(json(bobs?.body)).not.toContain('west');
    expect(json(bobs?.body)).toContain('Only the person who asked can see this result');
    expect(h.databricks.calls).toHaveLength(calls);
  });

  it.each([
    ['a comment that is not text', 42, /The feedback comment is not text/],
    ['a comment over 1,000 characters', 'y'.repeat(1001), /1001 characters; please shorten it to at most 1000/],
  ])('when 👎 carries %s, then nothing is sent and the asker is told why', async (_name, comment, message) => {
    const h = createBotHarness({ signedIn: [ALICE.oid] });
    const ref = await groupResult(h);
    const response = await h.send(buildCardAction('result.feedback', { ...ref, rating: 'NEGATIVE', comment }, { where: 'groupChat' }));
    expect(json(response?.body)).toMatch(message);
    expect(h.databricks.calls).toEqual([]);
  });

  it('when 👎 carries a blank comment, then the rating alone is sent and the asker is told so', async () => {
    const h = createBotHarness({ signedIn: [ALICE.oid] });
    const ref = await groupResult(h);
    const response = await h.send(buildCardAction('result.feedback', { ...ref, rating: 'NEGATIVE', comment: '   ' }, { where: 'groupChat' }));
    expect(json(response?.body)).toContain('without a comment');
    expect(h.databricks.calls).toEqual([{ op: 'sendFeedback', asUser: ALICE.oid, args: ['conv-1', 'msg-1', 'NEGATIVE'] }]);
  });
});
