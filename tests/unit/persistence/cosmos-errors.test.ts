import { AppError } from '../../../src/errors';
import { cosmosStatus, mapCosmosError } from '../../../src/persistence/cosmos-errors';

function sdkError(code: number | string, extra: Record<string, unknown> = {}): Error {
  return Object.assign(new Error(`status ${code}`), { code, ...extra });
}

describe('mapCosmosError', () => {
  it.each([
    [429, 'STORAGE.THROTTLED'],
    [409, 'STORAGE.CONFLICT'],
    [412, 'STORAGE.CONFLICT'],
    [413, 'STORAGE.TOO_LARGE'],
    [503, 'STORAGE.UNAVAILABLE'],
    [500, 'STORAGE.UNAVAILABLE'],
    [408, 'STORAGE.UNAVAILABLE'],
    [403, 'STORAGE.UNAVAILABLE'],
    [400, 'INTERNAL.UNEXPECTED'],
  ] as const)('when the SDK fails with %i, then the code is %s', (status, code) => {
    const mapped = mapCosmosError(sdkError(status), 'op');
    expect(mapped.code).toBe(code);
    expect(mapped.details).toMatchObject({ operation: 'op', status });
  });

  it('when the failure is a network error without a status, then the code is STORAGE.UNAVAILABLE', () => {
    expect(mapCosmosError(sdkError('ECONNREFUSED'), 'op').code).toBe('STORAGE.UNAVAILABLE');
  });

  it('when a throttled error carries retryAfterInMs, then the details say how long to wait in seconds', () => {
    expect(mapCosmosError(sdkError(429, { retryAfterInMs: 1500 }), 'op').details.retryAfterSeconds).toBe(2);
  });

  it('when the error is already an AppError, then it passes through unchanged', () => {
    const original = new AppError('STORAGE.TOO_LARGE', 'x');
    expect(mapCosmosError(original, 'op')).toBe(original);
  });

  it('when statusCode is set instead of code, then it is used', () => {
    expect(cosmosStatus({ statusCode: 404 })).toBe(404);
    expect(cosmosStatus('nope')).toBeUndefined();
  });
});
