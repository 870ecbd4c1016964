import { formatText } from 'adaptivecards/lib/text-formatters';
import {
  type AdaptiveCard,
  renderApprovalCard,
  renderChannelSignInCard,
  renderErrorCard,
  renderMemoriesCard,
  renderPrivateResultCard,
  renderProgressCard,
  renderResultCard,
  type ResultRef,
} from '../../../bot/present/render';
import { expand } from '../../../bot/present/expand';
import type { ApprovalRecord } from '../../../src/persistence/ports';
import { AppError, ERROR_CODES } from '../../../src/errors';
import { buildApproval, buildGenieAnswer } from '../../fakes/bot-ports';

const REF: ResultRef = { resultId: 'r-1', askerOid: 'oid-1', askerName: 'Alice Wong', conversationId: 'c-1', messageId: 'm-1', attachmentId: 'a-1' };
const NOW = new Date('2026-12-01T12:00:00.000Z');
const CAROL = { tenantId: 't', objectId: 'o', name: 'Carol Diaz' };
const BIG = { rows: 115, description: '115 rows of main.retail.orders would be deleted', unbounded: false };

const approval = (overrides: Partial<ApprovalRecord>): ApprovalRecord =>
  buildApproval({ operation: 'DELETE', targetTables: ['main.retail.orders'], impact: BIG, expiresAt: '2026-12-01T12:46:47.038Z', ...overrides });
const decided = { decidedBy: CAROL, decidedAt: '2026-12-01T12:10:00.123Z' };

const timeSeries = buildGenieAnswer({
  text: 'Sales rose to a peak in May.',
  query: { attachmentId: 'att-1', sql: 'SELECT …', title: 'Total sales by month', description: undefined, statementId: 'st-1' },
  table: {
    columns: [{ name: 'month', type: 'DATE' }, { name: 'total_sales', type: 'DECIMAL(18,2)' }],
    rows: [['2026-01-01', '5198474.87'], ['2026-02-01', '310.50']],
    totalRowCount: 2,
    truncated: false,
  },
});
const orders = buildGenieAnswer({
  query: { attachmentId: 'att-1', sql: 'SELECT …', title: 'Latest orders', description: undefined, statementId: 'st-1' },
  table: {
    columns: [{ name: 'order_id', type: 'BIGINT' }, { name: 'created_at', type: 'TIMESTAMP' }, { name: 'amount', type: 'DECIMAL(18,2)' }],
    rows: [['100042', '2026-01-31T23:59:59.999Z', '5198474.87'], ['100043', '2026-02-28 20:00:00', '12.00']],
    totalRowCount: 2,
    truncated: false,
  },
});
const byRegion = buildGenieAnswer({
  table: { columns: [{ name: 'region', type: 'STRING' }, { name: 'total_sales', type: 'DECIMAL(18,2)' }], rows: [['West', '5198474.87'], ['East', '20.00'], ['North', null]], totalRowCount: 40, truncated: true },
});

const CARDS: Record<string, () => AdaptiveCard> = {
  'result, time series (1:1)': () => renderResultCard({ answer: timeSeries, ref: REF, audience: 'personal', askerName: 'Alice Wong', refreshUserIds: [], rowCap: 20 }),
  'result, order list with times': () => renderResultCard({ answer: orders, ref: REF, audience: 'personal', askerName: 'Alice Wong', refreshUserIds: [], rowCap: 20 }),
  'result, by region with more rows (private)': () => renderResultCard({ answer: byRegion, ref: REF, audience: 'private', askerName: 'Alice Wong', refreshUserIds: ['29:a'], rowCap: 20 }),
  'result, text only (shared)': () => renderResultCard({ answer: buildGenieAnswer({ table: undefined, query: undefined }), ref: REF, audience: 'shared', askerName: 'Alice Wong', refreshUserIds: [], rowCap: 20 }),
  'result, placeholder for others': () => renderPrivateResultCard({ ref: REF, askerName: 'Alice Wong', refreshUserIds: ['29:a'] }),
  'approval, pending': () => renderApprovalCard({ approval: approval({}), viewer: 'actor', refreshUserIds: [], now: NOW }),
  'approval, pending, needs an approver': () => renderApprovalCard({ approval: approval({ requiresApprover: true }), viewer: 'readonly', refreshUserIds: [], now: NOW }),
  'approval, pending, unbounded': () =>
    renderApprovalCard({
      approval: approval({ requiresApprover: true, impact: { rows: 7, description: '7 rows of main.retail.orders (all of them) would be deleted. Unbounded: there is no WHERE clause', unbounded: true } }),
      viewer: 'actor',
      refreshUserIds: [],
      now: NOW,
    }),
  'approval, expired': () => renderApprovalCard({ approval: approval({ expiresAt: '2026-12-01T11:00:00.000Z' }), viewer: 'actor', refreshUserIds: [], now: NOW }),
  'approval, approved, running (note)': () => renderApprovalCard({ approval: approval({ status: 'executing', ...decided }), viewer: 'readonly', refreshUserIds: [], note: 'Running the change…', now: NOW }),
  'approval, executed': () => renderApprovalCard({ approval: approval({ status: 'executed', rowsAffected: 115, ...decided }), viewer: 'readonly', refreshUserIds: [], now: NOW }),
  'approval, executed, count differs': () => renderApprovalCard({ approval: approval({ status: 'executed', rowsAffected: 116, ...decided }), viewer: 'readonly', refreshUserIds: [], now: NOW }),
  'approval, rejected': () => renderApprovalCard({ approval: approval({ status: 'rejected', ...decided }), viewer: 'readonly', refreshUserIds: [], now: NOW }),
  'approval, failed': () => renderApprovalCard({ approval: approval({ status: 'failed', error: { code: 'DATABRICKS.QUERY_FAILED', message: 'The warehouse refused the statement.' }, ...decided }), viewer: 'readonly', refreshUserIds: [], now: NOW }),
  progress: () => renderProgressCard({ title: "Working on Alice Wong's request", status: 'Asking Genie…' }),
  'sign in from a channel': () => renderChannelSignInCard({ botAppId: 'bot-1', userName: 'Alice Wong' }),
  memories: () => renderMemoriesCard([{ key: 'k', text: 'prefers EUR', createdAt: '2026-01-01' }]),
  ...Object.fromEntries(
    ERROR_CODES.map((code) => [
      `error ${code}`,
      () => renderErrorCard(new AppError(code, 'x', { details: { retryAfterSeconds: 12, object: 'sales.customers', timeoutSeconds: 30, consentUrl: 'https://login.example/adminconsent', signInUrl: 'https://login.example/' } }), 'corr-1'),
    ]),
  ),
};

type Node = Record<string, unknown>;

/** What a reader sees as prose: text blocks, text runs and facts, in order. Table cells and code are data, not prose. */
function proseOf(card: unknown): string[] {
  const out: string[] = [];
  const walk = (value: unknown): void => {
    if (Array.isArray(value)) return value.forEach(walk);
    if (!value || typeof value !== 'object') return;
    const node = value as Node;
    if (node.type === 'Table' || (typeof node.type === 'string' && node.type.startsWith('Chart.')) || node.fontType === 'Monospace') return;
    if ((node.type === 'TextBlock' || node.type === 'TextRun') && typeof node.text === 'string') out.push(node.text);
    if (node.type === 'FactSet' && Array.isArray(node.facts)) for (const f of node.facts as Node[]) out.push(`${String(f.title)}: ${String(f.value)}`);
    for (const [key, child] of Object.entries(node)) if (key !== 'actions' && key !== 'refresh') walk(child);
  };
  walk((card as Node).body);
  return out;
}

function buttonsOf(card: unknown): string[] {
  const out: string[] = [];
  const walk = (value: unknown): void => {
    if (Array.isArray(value)) return value.forEach(walk);
    if (!value || typeof value !== 'object') return;
    const node = value as Node;
    if (typeof node.type === 'string' && node.type.startsWith('Action.') && typeof node.title === 'string') out.push(node.title);
    Object.values(node).forEach(walk);
  };
  walk(card);
  return out;
}

const STOP = new Set('a an the of to in on by for and or is are be it its this that with as at from not no you your i me can will would only them they their so if was were has have our we'.split(' '));

/** Repeated phrases across a card's prose: any 3 words in a row, or 2 where neither is a filler word ("115 rows … 115 rows"). */
export function repeatedPhrases(texts: string[]): string[] {
  const BREAK = '¶';
  const words = texts.join(` ${BREAK} `).toLowerCase().split(/\s+/).map((w) => (w === BREAK ? w : w.replace(/^[^\p{L}\p{N}]+|[^\p{L}\p{N}]+$/gu, ''))).filter(Boolean);
  const seen = new Map<string, number>();
  const found = new Set<string>();
  for (let i = 0; i < words.length; i++) {
    for (const n of [2, 3]) {
      const gram = words.slice(i, i + n);
      if (gram.length < n || gram.includes(BREAK)) continue;
      if (n === 2 && gram.some((w) => STOP.has(w))) continue;
      const key = gram.join(' ');
      const last = seen.get(key);
      if (last !== undefined && i - last >= n) found.add(key);
      if (last === undefined) seen.set(key, i);
    }
  }
  return [...found];
}

describe('cards read at a glance', () => {
  it('the repeated-phrase scan finds the wording the issue reported', () => {
    expect(repeatedPhrases(['115 rows: 115 rows of main.retail.orders that would be deleted'])).toEqual(['115 rows']);
    expect(repeatedPhrases(['Approved, running the change…', 'Running the change…'])).toContain('running the change');
    expect(repeatedPhrases(['Total sales by month', 'Line chart of total sales by month'])).toContain('total sales');
  });

  it.each(Object.keys(CARDS))('when the %s card is rendered, then no phrase is repeated in its text or its buttons', (name) => {
    const card = CARDS[name]!();
    expect(repeatedPhrases(proseOf(card))).toEqual([]);
    expect(repeatedPhrases(buttonsOf(card))).toEqual([]);
  });

  it.each(Object.keys(CARDS))('when the %s card is rendered, then every date/time function is one the Adaptive Cards renderer formats', (name) => {
    for (const text of proseOf(CARDS[name]!())) expect(formatText('en-US', text)).not.toMatch(/\{\{(DATE|TIME)\(/);
  });

  it('when a result has timestamps and money, then its cells carry DATE()/TIME() and grouped numbers, and no raw ISO time is shown', () => {
    const json = JSON.stringify(CARDS['result, order list with times']!());
    expect(json).toContain('{{DATE(2026-01-31T23:59:59Z, SHORT)}} {{TIME(2026-01-31T23:59:59Z)}}');
    expect(json).toContain('{{DATE(2026-02-28T20:00:00Z, SHORT)}} {{TIME(2026-02-28T20:00:00Z)}}');
    expect(json).toContain('"5,198,474.87"');
    expect(json).toContain('"100042"');
    expect(json).not.toMatch(/\d{2}:\d{2}:\d{2}\.\d{3}Z/);
  });

  it('when a time series is answered, then its chart is a Chart.Line led by a sentence that does not repeat the title', () => {
    const card = CARDS['result, time series (1:1)']!();
    const json = JSON.stringify(card);
    expect(json).toContain('"type":"Chart.Line"');
    expect(proseOf(card)).toContain('Line chart, 2026-01 to 2026-02; highest 2026-01: 5,198,474.87, lowest 2026-02: 310.50.');
  });

  it.each(['approval, approved, running (note)', 'approval, executed', 'approval, rejected', 'approval, failed'])(
    'when the approval is decided (%s), then the card never shows its expiry and says who decided, when, right under the status',
    (name) => {
      const prose = proseOf(CARDS[name]!());
      expect(prose.join('\n')).not.toMatch(/expire/i);
      expect(prose[2]).toMatch(/^(Approved|Rejected) by Carol Diaz, \{\{DATE\(2026-12-01T12:10:00Z, SHORT\)\}\} \{\{TIME\(2026-12-01T12:10:00Z\)\}\}$/);
    },
  );

  it('when the approval is pending, then the line under the status is its expiry in the reader’s own time', () => {
    expect(proseOf(CARDS['approval, pending']!())[2]).toBe('Expires {{DATE(2026-12-01T12:46:47Z, SHORT)}} {{TIME(2026-12-01T12:46:47Z)}}');
  });

  it('when the approval expired unanswered, then “Expired” is said once and the line under it says since when', () => {
    const prose = proseOf(CARDS['approval, expired']!());
    expect(prose.slice(1, 3)).toEqual(['Expired', 'Since {{DATE(2026-12-01T11:00:00Z, SHORT)}} {{TIME(2026-12-01T11:00:00Z)}}']);
  });

  it('when the change is running after approval, then the note “Running the change…” is not shown under the same status', () => {
    expect(proseOf(CARDS['approval, approved, running (note)']!()).filter((t) => /running the change/i.test(t))).toEqual(['Running the change…']);
  });

  it('when a change of 5,198,474 rows is shown, then its counts are grouped, before and after it ran', () => {
    const impact = { rows: 5198474, description: '5198474 rows of main.retail.orders would be deleted', unbounded: false };
    const render = (overrides: Partial<ApprovalRecord>) => proseOf(renderApprovalCard({ approval: approval({ impact, ...overrides }), viewer: 'readonly', refreshUserIds: [], now: NOW }));
    expect(render({})).toContain('Impact: 5,198,474 rows of main.retail.orders would be deleted');
    expect(render({ status: 'executed', rowsAffected: 5198474, ...decided })).toContain('Done: 5,198,474 rows changed');
    expect(render({ status: 'executed', rowsAffected: 5198475, ...decided })).toContain('Done: 5,198,475 rows changed, not the 5,198,474 approved (recorded in the audit log)');
  });

  it('when any card has a 👍 or 👎 button, then a word stands beside the glyph', () => {
    const titles = buttonsOf(CARDS['result, time series (1:1)']!());
    expect(titles).toEqual(expect.arrayContaining(['👍 Helpful', '👎 Not helpful']));
    const other = expand({ type: 'AdaptiveCard', actions: [{ type: 'Action.Submit', title: '👎\uFE0F' }, { type: 'Action.Execute', title: 'Approve' }] }, {});
    expect(buttonsOf(other)).toEqual(['👎 Not helpful', 'Approve']);
  });
});
