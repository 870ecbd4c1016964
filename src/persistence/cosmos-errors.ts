import { AppError, isAppError, type ErrorCode } from '../errors';
import { wrappedBatchStatus } from './cosmos-batch-status';

/**
 * The one place that turns @azure/cosmos failures into product codes. A 429 that reaches here has
 * already exhausted the SDK's throttling retries (see `cosmos-client.ts`).
 */

/** HTTP status of a Cosmos SDK error (`code` or `statusCode`), undefined for non-HTTP failures. */
export function cosmosStatus(error: unknown): number | undefined {
  if (typeof error !== 'object' || error === null) return undefined;
  const { code, statusCode } = error as { code?: unknown; statusCode?: unknown };
  if (typeof statusCode === 'number') return statusCode;
  if (typeof code === 'number') return code;
  return wrappedBatchStatus(error);
}

export function isCosmosStatus(error: unknown, status: number): boolean {
  return cosmosStatus(error) === status;
}

function codeForStatus(status: number | undefined): ErrorCode {
  if (status === undefined) return 'STORAGE.UNAVAILABLE';
  if (status === 429) return 'STORAGE.THROTTLED';
  if (status === 409 || status === 412) return 'STORAGE.CONFLICT';
  if (status === 413) return 'STORAGE.TOO_LARGE';
  if (status === 408 || status === 410 || status === 449 || status === 503 || status >= 500) return 'STORAGE.UNAVAILABLE';
  if (status === 401 || status === 403) return 'STORAGE.UNAVAILABLE';
  return 'INTERNAL.UNEXPECTED';
}

/** Maps any failure of a Cosmos call to an AppError; AppErrors pass through unchanged. */
export function mapCosmosError(error: unknown, operation: string): AppError {
  if (isAppError(error)) return error;
  const status = cosmosStatus(error);
  const code = codeForStatus(status);
  const retryAfterInMs = (error as { retryAfterInMs?: unknown } | null)?.retryAfterInMs;
  const details: Record<string, unknown> = { operation, status };
  if (typeof retryAfterInMs === 'number') details.retryAfterSeconds = Math.ceil(retryAfterInMs / 1000);
  const reason = error instanceof Error ? error.message.split('\n')[0] : String(error);
  return new AppError(code, `Cosmos ${operation} failed (${status ?? 'no status'}): ${reason}`, { cause: error, details });
}

/** Runs one Cosmos call and maps whatever it throws. */
export async function cosmosCall<T>(operation: string, call: () => Promise<T>): Promise<T> {
  try {
    return await call();
  } catch (error) {
    throw mapCosmosError(error, operation);
  }
}
