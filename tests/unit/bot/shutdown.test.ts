import { BackgroundTurns } from '../../../bot/turns/background';
import { createShutdown } from '../../../bot/http/shutdown';
import type { RunningServer } from '../../../bot/http/server';
import { silentLogger } from '../../../src/logging';

function parts(close: () => Promise<void>) {
  const server: RunningServer = { listen: async () => 0, close };
  const disposed = { count: 0 };
  return { server, background: new BackgroundTurns(silentLogger()), cosmos: { dispose: () => void (disposed.count += 1) }, logger: silentLogger(), disposed };
}

describe('shutdown on SIGTERM', () => {
  afterEach(() => jest.useRealTimers());

  it('when everything closes, then in-flight work finishes first and the process exits 0 once', async () => {
    const running = parts(async () => undefined);
    const exits: number[] = [];
    let finished = false;
    void running.background.start('turn', () => new Promise<void>((resolve) => setTimeout(() => ((finished = true), resolve()), 30)));
    const stop = createShutdown(running, { graceMs: 1_000, exit: (code) => exits.push(code) });
    await Promise.all([stop('SIGTERM'), stop('SIGTERM')]);
    expect(finished).toBe(true);
    expect(exits).toEqual([0]);
    expect(running.disposed.count).toBe(1);
  });

  it('when a connection never closes and a turn never ends, then the process still exits 1 after the grace and the hard-stop margin', async () => {
    jest.useFakeTimers();
    const running = parts(() => new Promise<void>(() => undefined));
    void running.background.start('stuck turn', () => new Promise<void>(() => undefined));
    const exits: number[] = [];
    void createShutdown(running, { graceMs: 25_000, hardStopExtraMs: 5_000, exit: (code) => exits.push(code) })('SIGTERM');
    await jest.advanceTimersByTimeAsync(29_999);
    expect(exits).toEqual([]);
    await jest.advanceTimersByTimeAsync(1);
    expect(exits).toEqual([1]);
  });

  it('when writing the log throws (the parent that read our stdout is gone), then the shutdown still ends the process', async () => {
    jest.useFakeTimers();
    const running = parts(() => new Promise<void>(() => undefined));
    const broken = silentLogger();
    broken.info = () => {
      throw Object.assign(new Error('write EPIPE'), { code: 'EPIPE' });
    };
    const exits: number[] = [];
    void createShutdown({ ...running, logger: broken }, { graceMs: 1_000, hardStopExtraMs: 1_000, exit: (code) => exits.push(code) })('SIGTERM');
    await jest.advanceTimersByTimeAsync(2_000);
    expect(exits[0]).toBeDefined();
  });
});

