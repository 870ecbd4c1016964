import type { CosmosClient } from '@azure/cosmos';
import type { Logger } from '../../src/logging';
import type { BackgroundTurns } from '../turns/background';
import type { RunningServer } from './server';

export interface Stoppable {
  server: RunningServer;
  background: BackgroundTurns;
  cosmos: Pick<CosmosClient, 'dispose'>;
  logger: Logger;
}

export interface ShutdownOptions {
  /** How long in-flight background turns may run on after the signal. */
  graceMs: number;
  /** Extra time after the grace before the process exits whatever still hangs. */
  hardStopExtraMs?: number;
  exit?: (code: number) => void;
}

const DEFAULT_HARD_STOP_EXTRA_MS = 5_000;

/**
 * Stop taking requests, let in-flight background turns finish (up to the grace), close, exit 0. If
 * anything hangs past the grace (a connection nobody closes, a dependency that never answers) or
 * throws (a log write to a parent that died), the process exits 1: a SIGTERM always ends it. The
 * hard stop is armed before anything else can fail.
 */
export function createShutdown(running: Stoppable, options: ShutdownOptions): (signal: string) => Promise<void> {
  const exit = options.exit ?? ((code: number) => process.exit(code));
  let stopping = false;
  return async (signal) => {
    if (stopping) return;
    stopping = true;
    setTimeout(() => {
      quietly(() => running.logger.error({ inFlight: running.background.size }, 'shutdown did not finish in time; exiting anyway'));
      exit(1);
    }, options.graceMs + (options.hardStopExtraMs ?? DEFAULT_HARD_STOP_EXTRA_MS)).unref();
    try {
      quietly(() => running.logger.info({ signal, inFlight: running.background.size }, 'shutting down'));
      const closed = running.server.close();
      const finished = await running.background.drain(options.graceMs);
      if (!finished) quietly(() => running.logger.warn({ inFlight: running.background.size }, 'shutdown grace period over; abandoning background turns'));
      await closed;
      running.cosmos.dispose();
      quietly(() => running.logger.info('stopped'));
      exit(0);
    } catch {
      exit(1);
    }
  };
}

/** Logging must not stop a shutdown: with the parent gone, a write to its pipe throws EPIPE. */
function quietly(log: () => void): void {
  try {
    log();
  } catch {
    // nothing to tell, and nobody to tell it to
  }
}

export function handleSignals(running: Stoppable, options: ShutdownOptions): void {
  const stop = createShutdown(running, options);
  process.on('SIGTERM', () => void stop('SIGTERM'));
  process.on('SIGINT', () => void stop('SIGINT'));
  process.on('unhandledRejection', (reason) => running.logger.error({ err: reason }, 'unhandled rejection'));
}
