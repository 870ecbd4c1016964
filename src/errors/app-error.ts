import { type ErrorCode, USER_MESSAGES, isErrorCode } from './codes';

export interface AppErrorOptions {
  /** Overrides the code's default user-facing message; must not contain secrets or data rows. */
  userMessage?: string;
  cause?: unknown;
  /** Extra facts for logs and cards (e.g. `object`, `retryAfterSeconds`, `consentUrl`, `claims`). */
  details?: Record<string, unknown>;
}

/** The one error type of the product: a code from the closed union, a message for people, a cause. */
export class AppError extends Error {
  readonly code: ErrorCode;
  readonly userMessage: string;
  readonly details: Record<string, unknown>;

  constructor(code: ErrorCode, message?: string, options: AppErrorOptions = {}) {
    super(message ?? code, options.cause === undefined ? undefined : { cause: options.cause });
    this.name = 'AppError';
    this.code = code;
    this.userMessage = options.userMessage ?? USER_MESSAGES[code];
    this.details = options.details ?? {};
  }
}

/** Matches by shape, not `instanceof`, so errors crossing module copies still match. */
export function isAppError(error: unknown): error is AppError {
  return (
    typeof error === 'object' &&
    error !== null &&
    (error as { name?: unknown }).name === 'AppError' &&
    isErrorCode((error as { code?: unknown }).code)
  );
}

export function hasCode(error: unknown, code: ErrorCode): boolean {
  return isAppError(error) && error.code === code;
}
