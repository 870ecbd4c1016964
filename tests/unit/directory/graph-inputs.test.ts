import { parseGraphFaultRule } from '../../../emulators/graph/controls';
import { createGraphClient, MAX_GROUP_IDS } from '../../../src/directory';
import { isAppError } from '../../../src/errors';

describe('Graph client input', () => {
  const client = createGraphClient({ baseUrl: 'https://graph.invalid' });
  const group = '9a000000-0000-4000-8000-000000000006';

  it.each([
    ['no group ids', []],
    [`more than ${MAX_GROUP_IDS} group ids`, Array.from({ length: MAX_GROUP_IDS + 1 }, () => group)],
  ])('when asked with %s, then it refuses before calling Graph', async (_name, ids) => {
    const error = await client.checkMemberGroups('token', { kind: 'me' }, ids).then(() => undefined, (e: unknown) => e);
    expect(isAppError(error) && error.code).toBe('INPUT.INVALID');
  });
});

describe('Graph emulator fault rules', () => {
  it.each([
    [{}, /mode must be one of/],
    [{ mode: 'explode' }, /mode must be one of/],
    [{ mode: 'delay' }, /needs delayMs/],
    [{ mode: 'http_503', count: 0 }, /count must be a positive integer/],
    [{ mode: 'http_503', count: 1.5 }, /count must be a positive integer/],
    [{ mode: 'delay', delayMs: -1 }, /delayMs must be/],
    [{ mode: 'http_429', retryAfterSeconds: 'soon' }, /retryAfterSeconds must be/],
    [{ mode: 'reset', user: 42 }, /user must be a string/],
  ])('when the rule is %j, then it is refused with a reason', (input, reason) => {
    expect(parseGraphFaultRule(input as Record<string, unknown>)).toEqual(expect.stringMatching(reason));
  });

  it('when the rule is complete, then it is kept as given', () => {
    expect(parseGraphFaultRule({ mode: 'http_429', count: 2, retryAfterSeconds: 5, user: 'carol' })).toEqual({ mode: 'http_429', count: 2, retryAfterSeconds: 5, user: 'carol' });
  });
});
