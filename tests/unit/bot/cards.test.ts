import { CARD_BYTE_LIMIT, cardBytes, renderApprovalCard, renderChannelSignInCard, renderErrorCard, renderMemoriesCard, renderPrivateResultCard, renderProgressCard, renderResultCard, type ResultRef } from '../../../bot/present/render';
import { chartOf } from '../../../bot/present/chart';
import { AppError } from '../../../src/errors';
import { buildApproval, buildGenieAnswer } from '../../fakes/bot-ports';

const REF: ResultRef = { resultId: 'r-1', askerOid: 'oid-1', askerName: 'Alice Wong', conversationId: 'c-1', messageId: 'm-1', attachmentId: 'a-1' };
const NOW = new Date('2026-01-01T10:30:00.000Z');

const SAMPLES: Record<string, () => Record<string, unknown>> = {
  'result (1:1)': () => renderResultCard({ answer: buildGenieAnswer(), ref: REF, audience: 'personal', askerName: 'Alice Wong', refreshUserIds: [], rowCap: 20 }),
  'result (private view in a chat)': () => renderResultCard({ answer: buildGenieAnswer(), ref: REF, audience: 'private', askerName: 'Alice Wong', refreshUserIds: ['29:alice'], rowCap: 20 }),
  'result (shared view)': () => renderPrivateResultCard({ ref: REF, askerName: 'Alice Wong', refreshUserIds: ['29:alice'] }),
  'approval (pending, actor)': () => renderApprovalCard({ approval: buildApproval({ expiresAt: '2026-01-01T11:00:00.000Z' }), viewer: 'actor', refreshUserIds: [], now: NOW }),
  'approval (executed)': () =>
    renderApprovalCard({
      approval: buildApproval({ status: 'executed', rowsAffected: 1, expiresAt: '2026-01-01T11:00:00.000Z', decidedAt: '2026-01-01T10:31:00.000Z', decidedBy: { tenantId: 't', objectId: 'o', name: 'Alice Wong' } }),
      viewer: 'readonly',
      refreshUserIds: [],
      now: NOW,
    }),
  progress: () => renderProgressCard({ title: "Working on Alice Wong's request", status: 'Asking Genie…' }),
  'error (admin consent)': () => renderErrorCard(new AppError('AUTH.CONSENT_REQUIRED', 'x', { details: { consentUrl: 'https://login.example/adminconsent' } }), 'corr-1'),
  'error (sign-in)': () => renderErrorCard(new AppError('AUTH.INTERACTION_REQUIRED'), 'corr-2'),
  'error (identity provider unavailable)': () => renderErrorCard(new AppError('AUTH.IDENTITY_UNAVAILABLE'), 'corr-8'),
  'error (permission denied)': () => renderErrorCard(new AppError('DATABRICKS.PERMISSION_DENIED', 'x', { details: { object: 'sales.customers' } }), 'corr-3'),
  'error (warehouse unavailable)': () => renderErrorCard(new AppError('DATABRICKS.WAREHOUSE_UNAVAILABLE'), 'corr-4'),
  'error (rate limited)': () => renderErrorCard(new AppError('DATABRICKS.RATE_LIMITED', 'x', { details: { retryAfterSeconds: 12 } }), 'corr-5'),
  'error (timed out)': () => renderErrorCard(new AppError('DATABRICKS.TIMEOUT'), 'corr-6'),
  'error (unexpected)': () => renderErrorCard(new AppError('INTERNAL.UNEXPECTED'), 'corr-7'),
  'sign in from a channel': () => renderChannelSignInCard({ botAppId: 'bot-1', userName: 'Alice Wong' }),
  memories: () => renderMemoriesCard([{ key: 'k', text: 'prefers EUR', createdAt: '2026-01-01' }]),
};

describe('card templates', () => {
  it.each(Object.keys(SAMPLES))('when the %s card is rendered with sample data, then it is bound, small and stable', (name) => {
    const card = SAMPLES[name]!();
    const text = JSON.stringify(card);
    expect(text).not.toMatch(/\$\{/);
    expect(text).not.toContain('$when');
    expect(text).not.toContain('$data');
    expect(cardBytes(card)).toBeLessThan(CARD_BYTE_LIMIT);
    expect(card).toMatchObject({ type: 'AdaptiveCard' });
    expect(card).toMatchSnapshot();
  });

  it('when a result has 500 wide rows, then the card keeps under 28 KB and says how many rows are left out', () => {
    const wide = 'x'.repeat(280);
    const rows = Array.from({ length: 500 }, (_, i) => [String(i), wide, wide, wide]);
    const answer = buildGenieAnswer({
      table: { columns: ['id', 'a', 'b', 'c'].map((name) => ({ name, type: 'STRING' })), rows, totalRowCount: 12_000, truncated: true },
    });
    const card = renderResultCard({ answer, ref: REF, audience: 'personal', askerName: 'A', refreshUserIds: [], rowCap: 500 });
    expect(cardBytes(card)).toBeLessThanOrEqual(CARD_BYTE_LIMIT);
    const shown = (JSON.stringify(card).match(/"TableRow"/g) ?? []).length - 1;
    expect(shown).toBeGreaterThan(0);
    expect(JSON.stringify(card)).toContain(`${12_000 - shown} more rows`);
  });

  it('when a user-specific shared view is rendered, then it carries ids only: no rows, no answer text, no SQL', () => {
    const text = JSON.stringify(SAMPLES['result (shared view)']!());
    expect(text).not.toMatch(/west|West sold|SELECT/);
    expect(text).toContain('"userIds":["29:alice"]');
  });

  it('when a pending approval has passed its expiry, then no buttons are shown', () => {
    const card = renderApprovalCard({ approval: buildApproval({ expiresAt: '2026-01-01T10:00:00.000Z' }), viewer: 'actor', refreshUserIds: [], now: NOW });
    expect(JSON.stringify(card)).not.toContain('Action.Execute');
    expect(JSON.stringify(card)).toContain('Expired');
  });

  it('when the approval card is rendered, then the only data its actions carry is the approval id', () => {
    const card = SAMPLES['approval (pending, actor)']!() as { actions: { data: unknown }[] };
    expect(card.actions.map((a) => a.data)).toEqual([{ approvalId: 'appr-1' }, { approvalId: 'appr-1' }]);
  });
});

describe('charts', () => {
  const table = (labelType: string, rows: [string, string][], measure = 'sales') => ({
    columns: [{ name: 'label', type: labelType }, { name: measure, type: 'BIGINT' }],
    rows,
    totalRowCount: rows.length,
    truncated: false,
  });

  it('when the result is one label and one number, then a vertical bar chart is chosen', () => {
    expect(chartOf(table('STRING', [['a', '1'], ['b', '2']]))?.kind).toBe('bar');
  });
  it('when the label is a date, then a line chart is chosen', () => {
    expect(chartOf(table('DATE', [['2026-01-01', '1'], ['2026-01-02', '2']]))?.kind).toBe('line');
  });
  it('when a few positive counts are shown, then a pie chart is chosen', () => {
    expect(chartOf(table('STRING', [['a', '1'], ['b', '2'], ['c', '3']], 'order_count'))?.kind).toBe('pie');
  });
  it('when there are three columns or a non-number, then there is no chart', () => {
    expect(chartOf({ ...table('STRING', [['a', '1'], ['b', '2']]), columns: [{ name: 'a', type: 'STRING' }, { name: 'b', type: 'INT' }, { name: 'c', type: 'INT' }] })).toBeUndefined();
    expect(chartOf(table('STRING', [['a', 'n/a'], ['b', '2']]))).toBeUndefined();
  });
});
