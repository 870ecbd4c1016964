/**
 * The one mapping from Databricks failures (SQL warehouse over Thrift, REST APIs, HTTP status) to
 * our error codes. Databricks error messages carry `[ERROR_CLASS] … SQLSTATE: xxxxx`; the SQLSTATE
 * and error class decide the code, the message names the object (kept in `details.object`).
 */
import { AppError, isAppError, type ErrorCode } from '../errors';

export interface DatabricksErrorFacts {
  sqlState: string | undefined;
  errorClass: string | undefined;
  /** The securable the message names, e.g. `main.retail.orders`. */
  object: string | undefined;
  httpStatus: number | undefined;
  errorCode: string | undefined;
}

const SQLSTATE_CODES: Record<string, ErrorCode> = {
  '42501': 'DATABRICKS.PERMISSION_DENIED',
  '42P01': 'DATABRICKS.TABLE_NOT_FOUND',
  '42601': 'DATABRICKS.SYNTAX',
  '42000': 'DATABRICKS.SYNTAX',
  '57014': 'DATABRICKS.TIMEOUT',
};

const ERROR_CLASS_CODES: Record<string, ErrorCode> = {
  INSUFFICIENT_PERMISSIONS: 'DATABRICKS.PERMISSION_DENIED',
  PERMISSION_DENIED: 'DATABRICKS.PERMISSION_DENIED',
  TABLE_OR_VIEW_NOT_FOUND: 'DATABRICKS.TABLE_NOT_FOUND',
  SCHEMA_NOT_FOUND: 'DATABRICKS.TABLE_NOT_FOUND',
  PARSE_SYNTAX_ERROR: 'DATABRICKS.SYNTAX',
  UNAUTHENTICATED: 'DATABRICKS.UNAUTHENTICATED',
  RESOURCE_EXHAUSTED: 'DATABRICKS.RATE_LIMITED',
  REQUEST_LIMIT_EXCEEDED: 'DATABRICKS.RATE_LIMITED',
  TEMPORARILY_UNAVAILABLE: 'DATABRICKS.UNAVAILABLE',
  WAREHOUSE_STOPPED: 'DATABRICKS.WAREHOUSE_UNAVAILABLE',
  DEADLINE_EXCEEDED: 'DATABRICKS.TIMEOUT',
};

/** Reads `[ERROR_CLASS]`, `SQLSTATE: xxxxx` and the named object out of a Databricks message. */
export function parseDatabricksMessage(message: string): Pick<DatabricksErrorFacts, 'sqlState' | 'errorClass' | 'object'> {
  const errorClass = /\[([A-Z][A-Z0-9_]+)(?:\.[A-Z0-9_]+)?\]/.exec(message)?.[1];
  const sqlState = /SQLSTATE:\s*([0-9A-Z]{5})/.exec(message)?.[1];
  const on = /\bon\s+(?:table|view|schema|catalog|function|volume)\s+(?:'([^']+)'|"([^"]+)"|([\w`.]+[\w`]))/i.exec(message);
  const quoted = on?.[1] ?? on?.[2] ?? on?.[3] ?? /(?:table or view|table|schema)\s+((?:`[^`]+`\.?)+)/i.exec(message)?.[1];
  const object = quoted?.replace(/`/g, '');
  return { sqlState, errorClass, object };
}

/** Picks the code for a Databricks failure from its SQLSTATE, error class or HTTP status. */
export function codeForFacts(facts: Partial<DatabricksErrorFacts>): ErrorCode {
  if (facts.errorClass && ERROR_CLASS_CODES[facts.errorClass]) return ERROR_CLASS_CODES[facts.errorClass]!;
  if (facts.errorCode && ERROR_CLASS_CODES[facts.errorCode]) return ERROR_CLASS_CODES[facts.errorCode]!;
  if (facts.sqlState && SQLSTATE_CODES[facts.sqlState]) return SQLSTATE_CODES[facts.sqlState]!;
  const status = facts.httpStatus;
  if (status === 401) return 'DATABRICKS.UNAUTHENTICATED';
  if (status === 403) return 'DATABRICKS.PERMISSION_DENIED';
  if (status === 404) return 'DATABRICKS.TABLE_NOT_FOUND';
  if (status === 429) return 'DATABRICKS.RATE_LIMITED';
  if (status === 504 || status === 408) return 'DATABRICKS.TIMEOUT';
  if (status !== undefined && status >= 500) return 'DATABRICKS.UNAVAILABLE';
  return 'DATABRICKS.QUERY_FAILED';
}

function appErrorFrom(facts: Partial<DatabricksErrorFacts>, message: string, cause: unknown): AppError {
  const code = codeForFacts(facts);
  const details: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(facts)) if (value !== undefined) details[key] = value;
  return new AppError(code, message, { cause, details });
}

/** A failure the SQL engine reported with a SQLSTATE (Thrift operation status, Statement Execution status). */
export function fromSqlFailure(sqlState: string | undefined, message: string, cause?: unknown): AppError {
  const parsed = parseDatabricksMessage(message);
  return appErrorFrom({ ...parsed, sqlState: sqlState || parsed.sqlState }, message, cause);
}

/** A failed REST call: HTTP status plus the Databricks body `{ error_code, message }` when present. */
export function fromRestFailure(status: number, body: unknown, cause?: unknown): AppError {
  const record = typeof body === 'object' && body !== null ? (body as Record<string, unknown>) : {};
  const errorCode = typeof record.error_code === 'string' ? record.error_code : undefined;
  const message = typeof record.message === 'string' ? record.message : `Databricks answered HTTP ${status}`;
  const parsed = parseDatabricksMessage(message);
  const errorClass = parsed.errorClass ?? (status === 503 && /warehouse/i.test(message) && /stopp/i.test(message) ? 'WAREHOUSE_STOPPED' : undefined);
  return appErrorFrom({ ...parsed, errorClass, errorCode, httpStatus: status }, message, cause);
}

interface ResponseLike {
  status: number;
  headers?: { get(name: string): string | null };
}

function responseOf(value: unknown): ResponseLike | undefined {
  if (typeof value !== 'object' || value === null) return undefined;
  const record = value as Record<string, unknown>;
  const candidate = (record.response ?? (record.payload as Record<string, unknown> | undefined)?.response) as unknown;
  if (typeof candidate === 'object' && candidate !== null && typeof (candidate as ResponseLike).status === 'number') {
    return candidate as ResponseLike;
  }
  return undefined;
}

const NETWORK_CODES = new Set(['ECONNREFUSED', 'ECONNRESET', 'ETIMEDOUT', 'EHOSTUNREACH', 'ENETUNREACH', 'ENOTFOUND', 'EAI_AGAIN', 'EPIPE']);

/**
 * Maps anything `@databricks/sql` (or a fetch to a Databricks REST API) throws to an AppError.
 * Handles: OperationStateError (`response.sqlState`, `displayMessage`), StatusError (message only),
 * THTTPException (`statusCode`), RetryError (`payload.response` after retries ran out), network errors.
 */
export function mapDatabricksError(error: unknown): AppError {
  if (isAppError(error)) return error;
  const record = (typeof error === 'object' && error !== null ? error : {}) as Record<string, unknown>;
  const message = typeof record.message === 'string' && record.message ? record.message : String(error);

  const opResponse = record.response as Record<string, unknown> | undefined;
  if (opResponse && typeof opResponse === 'object' && ('sqlState' in opResponse || 'operationState' in opResponse)) {
    const text = String(opResponse.displayMessage ?? opResponse.errorMessage ?? message);
    const sqlState = typeof opResponse.sqlState === 'string' ? opResponse.sqlState : undefined;
    return fromSqlFailure(sqlState, text, error);
  }
  if (record.errorCode === 'TIMEOUT') return new AppError('DATABRICKS.TIMEOUT', message, { cause: error });

  const response = responseOf(error);
  if (response) {
    const header = response.headers?.get('x-thriftserver-error-message') ?? response.headers?.get('x-databricks-error-message') ?? '';
    const errorCode = response.headers?.get('x-databricks-error-code') ?? undefined;
    const text = header || message;
    return fromRestFailure(response.status, { error_code: errorCode, message: text }, error);
  }
  if (typeof record.statusCode === 'number') return fromRestFailure(record.statusCode, { message }, error);

  const code = typeof record.code === 'string' ? record.code : undefined;
  const causeCode = (record.cause as Record<string, unknown> | undefined)?.code;
  if ((code && NETWORK_CODES.has(code)) || (typeof causeCode === 'string' && NETWORK_CODES.has(causeCode)) || record.type === 'system') {
    return new AppError('DATABRICKS.UNAVAILABLE', message, { cause: error, details: { errno: code ?? causeCode } });
  }
  if (/timed? ?out|timeout/i.test(message)) return new AppError('DATABRICKS.TIMEOUT', message, { cause: error });
  if (/SQLSTATE|^\[[A-Z_]+\]/.test(message)) return fromSqlFailure(undefined, message, error);
  return new AppError('DATABRICKS.QUERY_FAILED', message, { cause: error });
}
