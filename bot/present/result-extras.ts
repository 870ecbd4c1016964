/**
 * What a result card shows beyond the template's first table: the query's description, Genie's
 * clarification question, every further query attachment (title, description, rows, SQL), a pager
 * (Previous / Next re-read the page as the asker; the card data holds only ids and a page number),
 * and a 👎 that opens a short comment field whose text goes to Genie's feedback call.
 */
import type { GenieAnswer, TableResult } from '../../src/databricks/types';
import { type AdaptiveCard, truncate } from './expand';
import type { ResultRef } from './result-card';
import { VERBS } from './verbs';

/** Longest comment the card's field takes: under Genie's 5,000 and well inside the 4 KB card data. */
export const FEEDBACK_COMMENT_CARD_MAX = 1000;
const CELL_MAX = 300;
const TEXT_MAX = 2000;

export interface ExtrasInput {
  answer: GenieAnswer;
  ref: ResultRef;
  audience: 'personal' | 'private' | 'shared';
  rowCap: number;
  /** Rows shown in the main table. */
  shown: number;
  /** The page shown (0 = the first); undefined on the card as first sent. */
  page: number | undefined;
  /** Rows Genie returns inline (pages end there); defaults to the answer's total. */
  inlineRowCount?: number;
}

type Element = Record<string, unknown>;

export function addResultExtras(card: AdaptiveCard, input: ExtrasInput): AdaptiveCard {
  const body = [...((card.body as Element[] | undefined) ?? [])];
  const { answer } = input;
  const extra: Element[] = [];
  if (answer.query?.description) body.splice(1, 0, { type: 'TextBlock', text: truncate(answer.query.description, TEXT_MAX), isSubtle: true, wrap: true, size: 'Small' });
  if (answer.clarification) {
    body.splice(1, 0, { type: 'TextBlock', text: `Genie asks: ${truncate(answer.clarification, TEXT_MAX)}`, weight: 'Bolder', color: 'Attention', wrap: true });
  }
  for (const [index, more] of (answer.moreQueries ?? []).entries()) extra.push(querySection(more.query, more.table, input.rowCap, index + 2));
  const pager = input.audience === 'shared' ? undefined : pagerOf(input, body);
  if (pager) extra.push(pager);
  const followUps = body.findIndex((e) => e.type === 'ActionSet');
  body.splice(followUps < 0 ? body.length : followUps, 0, ...extra);
  const actions = ((card.actions as Element[] | undefined) ?? []).map((a) => (isThumbsDown(a) ? commentAction(a) : a));
  return { ...card, body, actions };
}

function querySection(query: NonNullable<GenieAnswer['query']>, table: TableResult | undefined, rowCap: number, number: number): Element {
  const items: Element[] = [{ type: 'TextBlock', text: query.title ?? `Result ${number}`, weight: 'Bolder', wrap: true, separator: true }];
  if (query.description) items.push({ type: 'TextBlock', text: truncate(query.description, TEXT_MAX), isSubtle: true, wrap: true, size: 'Small' });
  if (table && table.columns.length > 0) {
    const rows = table.rows.slice(0, rowCap);
    items.push({
      type: 'Table',
      firstRowAsHeader: true,
      showGridLines: true,
      columns: table.columns.map(() => ({ width: 1 })),
      rows: [table.columns.map((c) => c.name), ...rows.map((r) => r.map((v) => (v === null ? '—' : truncate(v, CELL_MAX))))].map((cells, i) => ({
        type: 'TableRow',
        style: i === 0 ? 'accent' : 'default',
        cells: cells.map((value) => ({ type: 'TableCell', items: [{ type: 'TextBlock', text: value, wrap: true, size: 'Small' }] })),
      })),
    });
    const more = table.totalRowCount - rows.length;
    if (more > 0) items.push({ type: 'TextBlock', text: `${more} more row${more === 1 ? '' : 's'}`, isSubtle: true, size: 'Small', wrap: true });
  }
  items.push({ type: 'TextBlock', text: truncate(query.sql, 4000), fontType: 'Monospace', wrap: true, size: 'Small', isSubtle: true });
  return { type: 'Container', items };
}

/** "Rows a–b of N" plus Previous / Next, when the result has more rows than one page. */
function pagerOf(input: ExtrasInput, body: Element[]): Element | undefined {
  const table = input.answer.table;
  if (!table || input.answer.query === undefined || input.ref.attachmentId === '') return undefined;
  const page = input.page ?? 0;
  const size = input.rowCap;
  const inline = input.inlineRowCount ?? table.totalRowCount;
  const first = page * size;
  const hasNext = first + input.shown < Math.min(inline, table.totalRowCount) && input.shown === Math.min(size, table.rows.length);
  if (page === 0 && !hasNext) return undefined;
  const range = `Rows ${first + 1}–${first + input.shown} of ${table.totalRowCount}`;
  const moreRows = body.find((e) => e.type === 'TextBlock' && typeof e.text === 'string' && /^\d+ more rows?\b/.test(e.text));
  if (moreRows) moreRows.text = range;
  const actions: Element[] = [];
  if (page > 0) actions.push({ type: 'Action.Execute', title: '◀ Previous', verb: VERBS.resultPage, data: { ...input.ref, page: page - 1 } });
  if (hasNext) actions.push({ type: 'Action.Execute', title: 'Next ▶', verb: VERBS.resultPage, data: { ...input.ref, page: page + 1 } });
  return { type: 'ActionSet', actions };
}

function isThumbsDown(action: Element): boolean {
  const data = action.data as { rating?: unknown } | undefined;
  return action.type === 'Action.Execute' && action.verb === VERBS.resultFeedback && data?.rating === 'NEGATIVE';
}

/** 👎 opens a short comment field; its Send button carries the rating, the typed comment joins the data. */
function commentAction(thumbsDown: Element): Element {
  return {
    type: 'Action.ShowCard',
    title: thumbsDown.title,
    card: {
      type: 'AdaptiveCard',
      body: [
        {
          type: 'Input.Text',
          id: 'comment',
          label: 'What was wrong? (optional)',
          isMultiline: true,
          maxLength: FEEDBACK_COMMENT_CARD_MAX,
          placeholder: 'Tell Genie what it got wrong',
        },
      ],
      actions: [{ type: 'Action.Execute', title: 'Send feedback', verb: thumbsDown.verb, data: thumbsDown.data }],
    },
  };
}
