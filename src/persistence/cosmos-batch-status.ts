/**
 * @azure/cosmos 4.9.3 `Items.batch` rethrows any failed batch request as
 * `new Error('Batch request error: …')` (dist/commonjs/client/Item/Items.js), which drops the HTTP
 * status: a batch throttled past the SDK's retries would read as "no status" (STORAGE.UNAVAILABLE).
 * The operation's diagnostics survive (utils/diagnostics.js `withDiagnostics` sets `error.diagnostics`)
 * and list every attempt the SDK retried, with its status (retry/retryUtility.js records a failed attempt
 * before each retry). The throttling policy gives up only on a 429 it may not retry again, so a wrapped
 * batch error whose retried attempts were all 429 is a 429 after retries. Limitation: the final attempt
 * is not recorded, so a batch throttled and then failing otherwise is read as throttled, and with
 * retries off (maxRetryAttemptCount 0) nothing is recorded and the status stays unknown.
 */
const BATCH_ERROR_PREFIX = 'Batch request error:';

interface FailedAttempt {
  statusCode?: unknown;
}

function failedAttemptsOf(error: object): FailedAttempt[] {
  const diagnostics = (error as { diagnostics?: { clientSideRequestStatistics?: { retryDiagnostics?: { failedAttempts?: unknown } } } }).diagnostics;
  const attempts = diagnostics?.clientSideRequestStatistics?.retryDiagnostics?.failedAttempts;
  return Array.isArray(attempts) ? (attempts as FailedAttempt[]) : [];
}

/** The status of a batch error the SDK wrapped, when its diagnostics tell it; undefined otherwise. */
export function wrappedBatchStatus(error: unknown): number | undefined {
  if (!(error instanceof Error) || !error.message.startsWith(BATCH_ERROR_PREFIX)) return undefined;
  const attempts = failedAttemptsOf(error);
  if (attempts.length === 0) return undefined;
  return attempts.every((attempt) => attempt.statusCode === 429) ? 429 : undefined;
}
