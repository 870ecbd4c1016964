import { renderResultCard, type ResultRef } from '../../../bot/present/render';
import { activityText, renderAdaptiveCard } from '../../../emulators/teams/card-text';
import type { TableResult } from '../../../src/databricks/types';
import { buildGenieAnswer } from '../../fakes/bot-ports';

const REF: ResultRef = { resultId: 'r-1', askerOid: 'oid-1', askerName: 'Alice Wong', conversationId: 'c-1', messageId: 'm-1', attachmentId: 'a-1' };

function table(total: number, rows = Math.min(total, 20)): TableResult {
  return { columns: [{ name: 'n', type: 'INT' }], rows: Array.from({ length: rows }, (_, i) => [String(i + 1)]), totalRowCount: total, truncated: rows < total };
}

const render = (overrides: Parameters<typeof buildGenieAnswer>[0], extra: { page?: number; audience?: 'personal' | 'private' | 'shared' } = {}) =>
  renderResultCard({ answer: buildGenieAnswer(overrides), ref: REF, audience: extra.audience ?? 'personal', askerName: 'Alice Wong', refreshUserIds: [], rowCap: 20, ...(extra.page === undefined ? {} : { page: extra.page }) });
const textOf = (card: Record<string, unknown>): string => activityText({ type: 'message', attachments: [{ contentType: 'application/vnd.microsoft.card.adaptive', content: card }] });
const buttons = (card: Record<string, unknown>) => renderAdaptiveCard(card).buttons;

describe('result card extras', () => {
  it('when Genie answered with two query attachments, a clarification and a description, then the card shows each of them', () => {
    const card = render({
      query: { attachmentId: 'att-1', sql: 'SELECT 1', title: 'Sales by region', description: 'Sums sales per region.', statementId: 's-1' },
      moreQueries: [{ query: { attachmentId: 'att-2', sql: 'SELECT 2', title: 'Pending orders', description: 'Counts pending orders.', statementId: 's-2' }, table: table(1) }],
      clarification: 'Which region do you mean?',
      suggestedQuestions: ['What about West?'],
    });
    const text = textOf(card);
    for (const part of ['Sums sales per region.', 'Pending orders', 'Counts pending orders.', 'SELECT 2', 'Genie asks: Which region do you mean?']) expect(text).toContain(part);
    expect(JSON.stringify(card).match(/"type":"Table"/g)).toHaveLength(2);
    expect(buttons(card).find((b) => b.title === 'What about West?')?.verb).toBe('result.followup');
  });

  it('when the result has more rows than a page, then the first page says which rows it shows (not “N more rows” beside Next), Next carries only ids and the page number; the last page has no Next; the shared view has no pager', () => {
    const first = render({ table: table(45) });
    const next = buttons(first).find((b) => b.title === 'Next ▶');
    expect(next?.data).toEqual({ ...REF, page: 1 });
    expect(buttons(first).some((b) => b.title === '◀ Previous')).toBe(false);
    expect(textOf(first)).toContain('Rows 1–20 of 45');
    expect(textOf(first)).not.toMatch(/more rows/);
    const last = render({ table: { ...table(45, 5), rows: table(45, 5).rows } }, { page: 2 });
    expect(textOf(last)).toContain('Rows 41–45 of 45');
    expect(buttons(last).map((b) => b.title)).toContain('◀ Previous');
    expect(buttons(last).map((b) => b.title)).not.toContain('Next ▶');
    expect(buttons(render({ table: table(45) }, { audience: 'shared' })).some((b) => /Next|Previous/.test(b.title))).toBe(false);
    expect(buttons(render({ table: table(20) })).some((b) => /Next|Previous/.test(b.title))).toBe(false);
  });

  it('when the asker presses 👎, then a comment field opens whose Send button carries the rating and ids only', () => {
    const card = render({});
    const down = (card.actions as Record<string, unknown>[]).find((a) => String(a.title).startsWith('👎'));
    expect(down?.type).toBe('Action.ShowCard');
    expect(JSON.stringify(down)).toContain('"type":"Input.Text","id":"comment"');
    expect(buttons(card).find((b) => b.title === 'Send feedback')?.data).toEqual({ ...REF, rating: 'NEGATIVE' });
  });
});
