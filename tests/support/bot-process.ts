import type { ChildProcess } from 'node:child_process';
import { freePort, spawnTs, stopChild, waitForHttp, type ChildExit } from '../../scripts/lib/children';
import { TEST_GENIE_POSTS_PER_MINUTE, TEST_USER_MESSAGES_PER_MINUTE } from './test-limits';

/**
 * Real bot processes (`bot/index.ts` under tsx) for the e2e tier, against the stack the jest global
 * setup started. Each keeps its output for failure messages; `restart()` brings the same port back.
 */
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

export interface BotProcessOptions {
  port?: number;
  stackFile?: string;
  env?: NodeJS.ProcessEnv;
  startTimeoutMs?: number;
}

export async function startBotProcess(options: BotProcessOptions = {}): Promise<BotProcess> {
  const stackFile = options.stackFile ?? process.env.LOCAL_STACK_FILE;
  const ca = process.env.NODE_EXTRA_CA_CERTS;
  if (!stackFile || !ca) throw new Error('startBotProcess needs LOCAL_STACK_FILE and NODE_EXTRA_CA_CERTS (run through npm run test:e2e).');
  const port = options.port ?? (await freePort());
  let output = '';
  let child: ChildProcess | undefined;

  const launch = async (): Promise<void> => {
    const started = spawnTs('bot/index.ts', {
      env: { LOG_LEVEL: 'warn', GENIE_POSTS_PER_MINUTE: String(TEST_GENIE_POSTS_PER_MINUTE), USER_MESSAGES_PER_MINUTE: String(TEST_USER_MESSAGES_PER_MINUTE), BOT_HOST: botHostUnderTest(), ...options.env, PORT: String(port), LOCAL_STACK_FILE: stackFile, NODE_EXTRA_CA_CERTS: ca },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    child = started;
    const append = (chunk: Buffer): void => {
      output = (output + chunk.toString('utf8')).slice(-4_000_000);
    };
    started.stdout?.on('data', append);
    started.stderr?.on('data', append);
    try {
      await waitForHttp(`http://127.0.0.1:${port}/healthz`, { child: started, timeoutMs: options.startTimeoutMs ?? 60_000 });
    } catch (error) {
      await stopChild(started, 1000);
      throw new Error(`bot on port ${port} did not become healthy: ${(error as Error).message}\n--- bot output ---\n${output}`);
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

/**
 * The bot host the e2e suite runs against: `BOT_HOST` of the test run (`npm test` runs the e2e
 * project once per host), the default host otherwise. The bot validates the value itself.
 */
export function botHostUnderTest(): string {
  return process.env.BOT_HOST ?? 'teams-ai';
}
