import { reuseTokenWithinTurn } from '../../../bot/turns/turn-token';

describe('reuseTokenWithinTurn', () => {
  it('when a turn asks for its token three times within the reuse window, then the identity service is asked once', async () => {
    const clock = { now: 0 };
    const fetch = jest.fn(async () => 'token-1');
    const get = reuseTokenWithinTurn(fetch, 60_000, () => clock.now);
    clock.now = 10;
    await expect(Promise.all([get(), get()])).resolves.toEqual(['token-1', 'token-1']);
    clock.now = 59_000;
    await expect(get()).resolves.toBe('token-1');
    expect(fetch).toHaveBeenCalledTimes(1);
  });

  it('when the reuse window has passed, then the next call asks the identity service again', async () => {
    const clock = { now: 0 };
    const fetch = jest.fn().mockResolvedValueOnce('token-1').mockResolvedValueOnce('token-2');
    const get = reuseTokenWithinTurn(fetch, 60_000, () => clock.now);
    await get();
    clock.now = 60_000;
    await expect(get()).resolves.toBe('token-2');
    expect(fetch).toHaveBeenCalledTimes(2);
  });

  it('when fetching the token failed, then the failure is not reused and the next call tries again', async () => {
    const fetch = jest.fn().mockRejectedValueOnce(new Error('consent needed')).mockResolvedValueOnce('token-2');
    const get = reuseTokenWithinTurn(fetch, 60_000, () => 0);
    await expect(get()).rejects.toThrow('consent needed');
    await expect(get()).resolves.toBe('token-2');
    expect(fetch).toHaveBeenCalledTimes(2);
  });

  it('when two turns each build their provider, then they never share a token', async () => {
    let n = 0;
    const fetch = async (): Promise<string> => `token-${++n}`;
    const first = reuseTokenWithinTurn(fetch, 60_000);
    const second = reuseTokenWithinTurn(fetch, 60_000);
    await expect(first()).resolves.toBe('token-1');
    await expect(second()).resolves.toBe('token-2');
  });
});
