/** Mutations for reliability-security §6 (issue 15): approval honesty and the trust boundary, cases 29–38. */
import type { Mutation } from './types';

const HONESTY = 'tests/unit/agents/approval-honesty.test.ts';
const LEXING = 'tests/unit/sql/spark-lexing.test.ts';
const BOUNDS = 'tests/unit/sql/bounds.test.ts';

export const HONESTY_MUTATIONS: Mutation[] = [
  {
    case: '29 lexer',
    protection: 'a lone CR ends a -- comment, as in Spark (src/sql/tokenize.ts)',
    patches: [{ file: 'src/sql/tokenize.ts', search: "else if (c === '\\r' || c === '\\n') break;", replace: "else if (c === '\\n') break;" }],
    test: { file: LEXING, name: 'CR alone ends' },
    tier: 'unit',
    quick: true,
  },
  {
    case: '29 canonical',
    protection: 'the canonical text, not the text as typed, is stored, counted and run (request-approval-node)',
    patches: [{ file: 'src/agents/task/request-approval-node.ts', search: '      sql: canonical,\n', replace: '      sql,\n' }],
    test: { file: HONESTY, name: 'stored, counted and run text is the canonical one' },
    tier: 'unit',
    quick: true,
  },
  {
    case: '30 by source',
    protection: 'MERGE … WHEN NOT MATCHED BY SOURCE is unbounded (src/sql/bounds.ts)',
    patches: [{ file: 'src/sql/bounds.ts', search: '  if (shape.merge?.bySource) reasons', replace: '  if (false) reasons' }],
    test: { file: BOUNDS, name: 'NOT MATCHED BY SOURCE' },
    tier: 'unit',
    quick: true,
  },
  {
    case: '30 other table',
    protection: 'a change that reads another table is unbounded (src/sql/bounds.ts)',
    patches: [{ file: 'src/sql/bounds.ts', search: '  if (others.length > 0) reasons', replace: '  if (false) reasons' }],
    test: { file: BOUNDS, name: 'customers' },
    tier: 'unit',
    quick: true,
  },
  {
    case: '30 changing call',
    protection: 'a change whose predicate calls now(), rand() or a UDF is unbounded (src/sql/bounds.ts)',
    patches: [{ file: 'src/sql/bounds.ts', search: '  if (calls.length > 0) reasons', replace: '  if (false) reasons' }],
    test: { file: BOUNDS, name: 'now\\(\\)' },
    tier: 'unit',
    quick: true,
  },
  {
    case: '31',
    protection: 'the change is counted again as the requester before it runs (src/agents/task/run-approved.ts)',
    patches: [{ file: 'src/agents/task/run-approved.ts', search: '  if (!recheck.ok) return fail(approvals, approved, recheck.error);\n', replace: '' }],
    test: { file: HONESTY, name: 'grow between request and approval' },
    tier: 'unit',
    quick: true,
  },
  {
    case: '32',
    protection: 'rows changed ≠ rows approved is audited (execute-write-node)',
    patches: [{ file: 'src/agents/task/execute-write-node.ts', search: 'if (approvedRows !== null && outcome.record.rowsAffected !== approvedRows) {', replace: 'if (false) {' }],
    test: { file: HONESTY, name: 'more rows than were approved' },
    tier: 'unit',
    quick: true,
  },
  {
    case: '33',
    protection: 'SQL longer than the card shows is refused (request-approval-node)',
    patches: [{ file: 'src/agents/task/request-approval-node.ts', search: '    if (canonical.length > MAX_APPROVAL_SQL_CHARS) {', replace: '    if (false) {' }],
    test: { file: HONESTY, name: 'longer than the card shows' },
    tier: 'unit',
    quick: true,
  },
  {
    case: '34',
    protection: 'only channelId msteams is served (bot/turns/trust-boundary.ts)',
    patches: [{ file: 'bot/turns/trust-boundary.ts', search: '  if (fields.channelId !== TEAMS_CHANNEL_ID) {', replace: '  if (false) {' }],
    test: { file: 'tests/unit/bot/trust-boundary.test.ts' },
    tier: 'unit',
    quick: true,
  },
  {
    case: '35',
    protection: 'an approval is used only in the conversation it was requested in (src/approvals/scope.ts)',
    patches: [{ file: 'src/approvals/scope.ts', search: "  if (record.conversationId !== ctx.conversation.id && !isDeliveredTo(record.delivery, ctx.conversation.id)) return 'conversation';\n", replace: '' }],
    test: { file: 'tests/unit/agents/approval-scope.test.ts' },
    tier: 'unit',
    quick: true,
  },
  {
    case: '36',
    protection: 'the sign-in exchange dedupe key names the sender (bot/sign-in/auth.ts)',
    patches: [{ file: 'bot/sign-in/auth.ts', search: 'deps.dedupe.claim(`signin:${id}:${sender}`)', replace: 'deps.dedupe.claim(`signin:${id}`)' }],
    test: { file: 'tests/unit/bot/auth-routes.test.ts', name: 'another member exchanges' },
    tier: 'unit',
    quick: true,
  },
  {
    case: '37',
    protection: 'a membership that cannot be verified is refused, never read as an answer (src/approvals/approvers.ts)',
    patches: [{ file: 'src/approvals/approvers.ts', search: '    } catch (error) {\n      const cause = toAppError(error);', replace: '    } catch (error) {\n      return true;\n      const cause = toAppError(error);' }],
    test: { file: 'tests/unit/agents/approvers.test.ts' },
    tier: 'unit',
    quick: true,
  },
  {
    case: '38',
    protection: 'personal answers in a group chat go to the asker’s 1:1 chat (bot/routes/background-turn.ts)',
    patches: [{ file: 'bot/routes/background-turn.ts', search: "  if (ctx.conversation.kind === 'personal') return reply;", replace: '  return reply;' }],
    test: { file: 'tests/unit/bot/memory-privacy.test.ts' },
    tier: 'unit',
    quick: true,
  },
];
