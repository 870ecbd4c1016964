import type { AppError, ErrorCode } from '../../src/errors';
import { type AdaptiveCard, expand } from './expand';
import errorTemplate from './templates/error.json';

export type ErrorFamily =
  | 'admin-consent'
  | 'sign-in'
  | 'identity-unavailable'
  | 'permission-denied'
  | 'warehouse-unavailable'
  | 'rate-limited'
  | 'timed-out'
  | 'unexpected'
  | 'refused';

const FAMILY_BY_CODE: Partial<Record<ErrorCode, ErrorFamily>> = {
  'AUTH.CONSENT_REQUIRED': 'admin-consent',
  'AUTH.SIGN_IN_REQUIRED': 'sign-in',
  'AUTH.INTERACTION_REQUIRED': 'sign-in',
  'AUTH.ASSERTION_EXPIRED': 'sign-in',
  'DATABRICKS.UNAUTHENTICATED': 'sign-in',
  'TOKEN.EXPIRED': 'sign-in',
  'AUTH.IDENTITY_UNAVAILABLE': 'identity-unavailable',
  'DATABRICKS.PERMISSION_DENIED': 'permission-denied',
  'DATABRICKS.TABLE_NOT_FOUND': 'permission-denied',
  'APPROVAL.NOT_REQUESTER': 'permission-denied',
  'APPROVAL.APPROVER_REQUIRED': 'permission-denied',
  'DATABRICKS.WAREHOUSE_UNAVAILABLE': 'warehouse-unavailable',
  'DATABRICKS.UNAVAILABLE': 'warehouse-unavailable',
  'DATABRICKS.RATE_LIMITED': 'rate-limited',
  'STORAGE.THROTTLED': 'rate-limited',
  'THREAD.BUSY': 'rate-limited',
  'DATABRICKS.TIMEOUT': 'timed-out',
  'DATABRICKS.CANCELED': 'timed-out',
  'SQL.REFUSED': 'refused',
  'SQL.NOT_A_WRITE': 'refused',
  'DATABRICKS.SYNTAX': 'refused',
  'DATABRICKS.GENIE_FAILED': 'refused',
  'DATABRICKS.QUERY_FAILED': 'refused',
  'INPUT.INVALID': 'refused',
  'INPUT.TOO_LARGE': 'refused',
  'APPROVAL.ALREADY_DECIDED': 'refused',
  'APPROVAL.EXPIRED': 'refused',
  'APPROVAL.NOT_FOUND': 'refused',
  'APPROVAL.TAMPERED': 'refused',
  'APPROVAL.OUTCOME_UNKNOWN': 'refused',
  'APPROVAL.IMPACT_GREW': 'refused',
  'APPROVAL.OTHER_CONVERSATION': 'permission-denied',
  'CATALOG.SPACE_FORBIDDEN': 'permission-denied',
  'CATALOG.SPACE_UNREADABLE': 'refused',
  'CATALOG.UNAVAILABLE': 'warehouse-unavailable',
  'GENIE.SPACE_UNAVAILABLE': 'permission-denied',
  'GENIE.SPACE_NOT_ALLOWED': 'permission-denied',
  'GENIE.CONVERSATION_NOT_FOUND': 'permission-denied',
};

const TITLES: Record<ErrorFamily, string> = {
  'admin-consent': 'Administrator consent needed',
  'sign-in': 'Sign-in needed',
  'identity-unavailable': 'Microsoft sign-in unavailable',
  'permission-denied': 'Permission denied',
  'warehouse-unavailable': 'Databricks unavailable',
  'rate-limited': 'Busy at the moment',
  'timed-out': 'Timed out',
  unexpected: 'Unexpected error',
  refused: 'I could not do that',
};

export function errorFamilyOf(code: ErrorCode): ErrorFamily {
  return FAMILY_BY_CODE[code] ?? 'unexpected';
}

/** The card for an AppError: one layout per family, always with the correlation id. */
export function renderErrorCard(error: Pick<AppError, 'code' | 'userMessage' | 'details'>, correlationId: string): AdaptiveCard {
  const family = errorFamilyOf(error.code);
  const view: ErrorCardView = {
    title: TITLES[family],
    message: error.userMessage,
    color: family === 'rate-limited' || family === 'timed-out' || family === 'identity-unavailable' ? 'Warning' : 'Attention',
    // A fact the message already says ("… try again in a minute") is not said twice.
    facts: factsFor(family, error.details).filter((f) => !error.userMessage.toLowerCase().includes(f.value.toLowerCase())),
    link: linkFor(family, error.details),
    correlationId,
  };
  return renderErrorCardView(view);
}

function factsFor(family: ErrorFamily, details: Record<string, unknown>): ErrorCardView['facts'] {
  const facts: ErrorCardView['facts'] = [];
  if (family === 'permission-denied' && typeof details.object === 'string') facts.push({ name: 'Object', value: details.object });
  if (family === 'rate-limited') {
    const seconds = typeof details.retryAfterSeconds === 'number' ? Math.max(1, Math.ceil(details.retryAfterSeconds)) : undefined;
    facts.push({ name: 'Retry', value: seconds === undefined ? 'in a minute' : `in ${seconds} second${seconds === 1 ? '' : 's'}` });
  }
  if (family === 'identity-unavailable') facts.push({ name: 'Retry', value: 'in a minute' });
  if (family === 'timed-out' && typeof details.timeoutSeconds === 'number') facts.push({ name: 'Waited', value: `${details.timeoutSeconds} seconds` });
  return facts;
}

function linkFor(family: ErrorFamily, details: Record<string, unknown>): ErrorCardView['link'] {
  if (family === 'admin-consent' && typeof details.consentUrl === 'string') return { title: 'Open the admin consent page', url: details.consentUrl };
  if (family === 'sign-in' && typeof details.signInUrl === 'string') return { title: 'Sign in', url: details.signInUrl };
  return undefined;
}

interface ErrorCardView {
  title: string;
  message: string;
  color: 'Attention' | 'Warning';
  facts: { name: string; value: string }[];
  link: { title: string; url: string } | undefined;
  correlationId: string;
}

function renderErrorCardView(view: ErrorCardView): AdaptiveCard {
  return expand(errorTemplate, {
    title: view.title,
    message: view.message,
    color: view.color,
    hasFacts: view.facts.length > 0,
    facts: view.facts,
    hasLink: view.link !== undefined,
    linkTitle: view.link?.title ?? '',
    linkUrl: view.link?.url ?? '',
    reference: `Reference: ${view.correlationId}`,
  });
}
