import { AppError, isAppError } from './app-error';

/**
 * The only converter from unknown failures. Modules that talk to a dependency map that dependency's
 * errors to codes themselves (they know the shapes); whatever reaches here unmapped is unexpected.
 */
export function toAppError(error: unknown): AppError {
  if (isAppError(error)) return error;
  if (error instanceof Error) {
    return new AppError('INTERNAL.UNEXPECTED', error.message, { cause: error });
  }
  return new AppError('INTERNAL.UNEXPECTED', `Non-error thrown: ${safeString(error)}`);
}

function safeString(value: unknown): string {
  try {
    return typeof value === 'string' ? value : JSON.stringify(value) ?? String(value);
  } catch {
    return String(value);
  }
}
