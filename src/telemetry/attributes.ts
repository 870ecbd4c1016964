/**
 * The only span and metric attributes the bot emits, and the filter every span passes before export.
 * Telemetry leaves the process (Application Insights), so it carries names, kinds, codes and counts:
 * never a token, SQL text, a row value, a question or an error message (those can quote any of them).
 */
import type { AttributeValue, Attributes } from '@opentelemetry/api';

export const ATTR = {
  activityType: 'turn.activity_type',
  conversationKind: 'turn.conversation_kind',
  turnPhase: 'turn.phase',
  work: 'turn.work',
  outcome: 'outcome',
  errorType: 'error.type',
  genieStatus: 'genie.status',
  genieRows: 'genie.rows',
  genieQueueWaitMs: 'genie.queue_wait_ms',
  sqlOperation: 'databricks.sql.operation',
  sqlRows: 'databricks.sql.rows',
  dbSystem: 'db.system',
  cosmosOperation: 'cosmos.operation',
  cosmosResource: 'cosmos.resource',
  cosmosStatus: 'cosmos.status_code',
  cosmosSubStatus: 'cosmos.sub_status',
  cosmosCharge: 'cosmos.request_charge',
  tokenKind: 'token.kind',
  tokenResource: 'token.resource',
  approvalDecision: 'approval.decision',
  approvalOutcome: 'approval.outcome',
  rowsChanged: 'approval.rows_changed',
  exceptionType: 'exception.type',
} as const;

export const REDACTED = '[redacted]';

const ALLOWED = new Set<string>(Object.values(ATTR));
/** Kinds, codes and enum values: short, no spaces, no quotes (SQL and messages have both; JWTs are longer). */
const SAFE_STRING = /^[A-Za-z0-9_.:/-]{1,48}$/;

/** True when `key`/`value` may leave the process. */
export function isSafeAttribute(key: string, value: AttributeValue | undefined): boolean {
  if (!ALLOWED.has(key)) return false;
  if (typeof value === 'number' || typeof value === 'boolean') return true;
  return typeof value === 'string' && SAFE_STRING.test(value);
}

/** The attributes with every unsafe value replaced (keys kept, so a dashboard shows that something was dropped). */
export function safeAttributes(attributes: Attributes): Attributes {
  const out: Attributes = {};
  for (const [key, value] of Object.entries(attributes)) out[key] = isSafeAttribute(key, value) ? value : REDACTED;
  return out;
}
