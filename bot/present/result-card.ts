import type { GenieAnswer, TableResult } from '../../src/databricks/types';
import { type AdaptiveCard, CARD_BYTE_LIMIT, cardBytes, expand, truncate } from './expand';
import { chartOf } from './chart';
import { addResultExtras } from './result-extras';
import { chartItems } from './chart-element';
import { cellText } from './format';
import privateTemplate from './templates/result-private.json';
import resultTemplate from './templates/result.json';
import { VERBS } from './verbs';

/** The opaque references a result card carries: ids only, never rows. */
export interface ResultRef {
  resultId: string;
  askerOid: string;
  /** Display only; never used to decide anything. */
  askerName: string;
  conversationId: string;
  messageId: string;
  attachmentId: string;
  /** The Genie space of the answer (absent on cards made before spaces: the default space). Re-checked on every click. */
  spaceId?: string;
}

export interface ResultCardInput {
  answer: GenieAnswer;
  ref: ResultRef;
  /** `personal`: 1:1; `private`: the asker's view of a user-specific card; `shared`: shown to the whole chat. */
  audience: 'personal' | 'private' | 'shared';
  askerName: string;
  /** Teams user ids (`29:…`) that refresh automatically; only for `private`. */
  refreshUserIds: string[];
  rowCap: number;
  /** The page of rows `answer.table` holds (0-based), when the card shows a page read again by the pager. */
  page?: number;
  /** Rows Genie returns inline (the pager ends there). */
  inlineRowCount?: number;
}

const CELL_MAX = 300;
const SQL_MAX = 4000;
const TEXT_MAX = 4000;

/** The full result. Rows are cut until the card fits under the Teams size limit, with "N more rows". */
export function renderResultCard(input: ResultCardInput): AdaptiveCard {
  let shown = Math.min(input.rowCap, input.answer.table?.rows.length ?? 0);
  for (;;) {
    const card = addResultExtras(expand(resultTemplate, resultData(input, shown)), { ...input, shown, page: input.page });
    if (cardBytes(card) <= CARD_BYTE_LIMIT || shown === 0) return card;
    shown = Math.floor(shown * 0.75);
  }
}

/** What everyone else in a group chat or channel sees: no rows, no answer text. */
export function renderPrivateResultCard(input: Pick<ResultCardInput, 'ref' | 'askerName' | 'refreshUserIds'>): AdaptiveCard {
  return expand(privateTemplate, {
    title: `Answer for ${input.askerName}`,
    note: 'Only the person who asked can see this result; they can share it with the chat.',
    refreshVerb: VERBS.resultRefresh,
    ref: input.ref,
    refreshUserIds: input.refreshUserIds,
  });
}

function resultData(input: ResultCardInput, shown: number): Record<string, unknown> {
  const { answer, ref } = input;
  const table = answer.table;
  const rows = table ? table.rows.slice(0, shown) : [];
  const chart = table ? chartOf({ ...table, rows }) : undefined;
  const more = table ? table.totalRowCount - rows.length : 0;
  const isPrivate = input.audience === 'private';
  const canExport = answer.query !== undefined && table !== undefined && table.totalRowCount > 0;
  return {
    title: answer.query?.title ?? (input.audience === 'personal' ? 'Answer' : `Answer for ${input.askerName}`),
    hasText: Boolean(answer.text),
    text: truncate(answer.text ?? '', TEXT_MAX),
    isPrivate,
    privacyNote: `Only you can see this. Others in the chat see that you asked, without the answer.`,
    hasRefresh: isPrivate,
    refreshVerb: VERBS.resultRefresh,
    refreshUserIds: input.refreshUserIds,
    ref,
    hasChart: chart !== undefined,
    chartItems: chart ? chartItems(chart, answer.query?.title) : [],
    hasTable: table !== undefined && table.columns.length > 0,
    columns: table ? table.columns.map(() => ({})) : [],
    rows: table ? tableRows(table, rows) : [],
    hasMoreRows: more > 0,
    moreRows: `${more} more row${more === 1 ? '' : 's'}${canExport ? ' (use Export CSV for the full result)' : ''}`,
    hasSql: Boolean(answer.query?.sql),
    sql: truncate(answer.query?.sql ?? '', SQL_MAX),
    hasFollowUps: answer.suggestedQuestions.length > 0,
    followUps: answer.suggestedQuestions.slice(0, 3).map((q) => ({ question: truncate(q, 200), verb: VERBS.resultFollowUp })),
    hasFeedback: input.audience !== 'shared',
    feedbackVerb: VERBS.resultFeedback,
    feedbackUp: { ...ref, rating: 'POSITIVE' },
    feedbackDown: { ...ref, rating: 'NEGATIVE' },
    canExport: canExport && input.audience !== 'shared',
    exportVerb: VERBS.resultExport,
    canShare: isPrivate,
    shareVerb: VERBS.resultShare,
  };
}

function tableRows(table: TableResult, rows: TableResult['rows']): { style: string; cells: { value: string }[] }[] {
  const header = { style: 'accent', cells: table.columns.map((c) => ({ value: c.name })) };
  const body = rows.map((row) => ({ style: 'default', cells: row.map((cell, i) => ({ value: cell === null ? '—' : truncate(cellText(table.columns[i] ?? { name: '', type: 'STRING' }, cell), CELL_MAX) })) }));
  return [header, ...body];
}
