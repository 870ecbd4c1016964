import type { ChildProcess } from 'node:child_process';
import { stopChild, waitForHttp, type ChildExit } from './children';

/** A bot process on a fixed port, kept with its output; what the e2e tier and the bench drive. */
export interface BotProcess {
  readonly port: number;
  readonly messagesUrl: string;
  readonly pid: number | undefined;
  /** Everything the process printed (stdout and stderr), for diagnostics. */
  output(): string;
  /** Stops it (SIGTERM, then SIGKILL) and starts it again on the same port. */
  restart(): Promise<void>;
  /** SIGKILL: a crash, no graceful shutdown. */
  crash(): Promise<void>;
  /** SIGTERM, SIGKILL after 5 s; resolves with how the process ended (undefined when it was not running). */
  stop(): Promise<ChildExit | undefined>;
}

export interface SuperviseOptions {
  /** Names the process in the error when it never answers `/healthz`. */
  label: string;
  startTimeoutMs: number;
  /** How much of its output to keep (the newest characters). */
  keepChars: number;
  /** How much of the output the start-up error quotes; all that was kept when unset. */
  quoteChars?: number;
}

/** Starts `spawnOnce()` and waits for its `/healthz`; `restart()` spawns it again on the same port. */
export async function superviseBot(port: number, spawnOnce: () => ChildProcess, options: SuperviseOptions): Promise<BotProcess> {
  let output = '';
  let child: ChildProcess | undefined;
  const launch = async (): Promise<void> => {
    const started = spawnOnce();
    child = started;
    const append = (chunk: Buffer): void => {
      output = (output + chunk.toString('utf8')).slice(-options.keepChars);
    };
    started.stdout?.on('data', append);
    started.stderr?.on('data', append);
    try {
      await waitForHttp(`http://127.0.0.1:${port}/healthz`, { child: started, timeoutMs: options.startTimeoutMs });
    } catch (error) {
      await stopChild(started, 1000);
      const quoted = options.quoteChars === undefined ? output : output.slice(-options.quoteChars);
      throw new Error(`${options.label} on port ${port} did not become healthy: ${(error as Error).message}\n--- bot output ---\n${quoted}`);
    }
  };
  await launch();
  return {
    port,
    messagesUrl: `http://127.0.0.1:${port}/api/messages`,
    get pid() {
      return child?.pid;
    },
    output: () => output,
    restart: async () => {
      if (child) await stopChild(child);
      await launch();
    },
    crash: async () => {
      if (child) await stopChild(child, 0, 'SIGKILL');
    },
    stop: async () => (child ? stopChild(child) : undefined),
  };
}
