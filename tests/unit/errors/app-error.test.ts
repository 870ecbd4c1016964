import { AppError, ERROR_CODES, USER_MESSAGES, hasCode, isAppError, toAppError } from '../../../src/errors';

describe('AppError', () => {
  it('when built from a code, then it carries the code, the default user message and the cause', () => {
    const cause = new Error('socket hang up');
    const error = new AppError('DATABRICKS.UNAVAILABLE', 'warehouse call failed', { cause });
    expect(error.code).toBe('DATABRICKS.UNAVAILABLE');
    expect(error.userMessage).toBe(USER_MESSAGES['DATABRICKS.UNAVAILABLE']);
    expect(error.cause).toBe(cause);
    expect(hasCode(error, 'DATABRICKS.UNAVAILABLE')).toBe(true);
  });

  it('when every code is listed, then each has a non-empty user message', () => {
    for (const code of ERROR_CODES) expect(USER_MESSAGES[code].length).toBeGreaterThan(10);
  });
});

describe('toAppError', () => {
  it('when given an AppError, then it is returned unchanged', () => {
    const error = new AppError('THREAD.BUSY');
    expect(toAppError(error)).toBe(error);
  });

  it('when given a plain Error, then it becomes INTERNAL.UNEXPECTED with the cause kept', () => {
    const cause = new TypeError('x is undefined');
    const converted = toAppError(cause);
    expect(converted.code).toBe('INTERNAL.UNEXPECTED');
    expect(converted.cause).toBe(cause);
  });

  it('when given a non-error, then it is described without throwing', () => {
    expect(toAppError({ weird: true }).message).toContain('weird');
    expect(toAppError(undefined).code).toBe('INTERNAL.UNEXPECTED');
    const circular: Record<string, unknown> = {};
    circular.self = circular;
    expect(isAppError(toAppError(circular))).toBe(true);
  });

  it('when a look-alike object has an unknown code, then it is not taken for an AppError', () => {
    expect(isAppError({ name: 'AppError', code: 'NOPE' })).toBe(false);
  });
});
