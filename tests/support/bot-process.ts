import { freePort, spawnTs } from '../../scripts/lib/children';
import { superviseBot, type BotProcess } from '../../scripts/lib/supervised-bot';
import { TEST_GENIE_POSTS_PER_MINUTE, TEST_USER_MESSAGES_PER_MINUTE } from './test-limits';

/**
 * Real bot processes (`bot/index.ts` under tsx) for the e2e tier, against the stack the jest global
 * setup started. Each keeps its output for failure messages; `restart()` brings the same port back.
 */

export interface BotProcessOptions {
  port?: number;
  stackFile?: string;
  env?: NodeJS.ProcessEnv;
  startTimeoutMs?: number;
}

export type { BotProcess };

export async function startBotProcess(options: BotProcessOptions = {}): Promise<BotProcess> {
  const stackFile = options.stackFile ?? process.env.LOCAL_STACK_FILE;
  const ca = process.env.NODE_EXTRA_CA_CERTS;
  if (!stackFile || !ca) throw new Error('startBotProcess needs LOCAL_STACK_FILE and NODE_EXTRA_CA_CERTS (run through npm run test:e2e).');
  const start = (port: number): Promise<BotProcess> =>
    superviseBot(port, () => spawnTs('bot/index.ts', {
      env: { LOG_LEVEL: 'warn', GENIE_POSTS_PER_MINUTE: String(TEST_GENIE_POSTS_PER_MINUTE), USER_MESSAGES_PER_MINUTE: String(TEST_USER_MESSAGES_PER_MINUTE), BOT_HOST: botHostUnderTest(), ...options.env, PORT: String(port), LOCAL_STACK_FILE: stackFile, NODE_EXTRA_CA_CERTS: ca },
      stdio: ['ignore', 'pipe', 'pipe'],
    }), { label: 'bot', startTimeoutMs: options.startTimeoutMs ?? 60_000, keepChars: 4_000_000 });
  if (options.port !== undefined) return start(options.port);
  // A free port can be handed to another process (a parallel test file's emulator) before the bot
  // binds it; then the bot exits with EADDRINUSE and another free port is tried.
  for (let attempt = 1; ; attempt++) {
    try {
      return await start(await freePort());
    } catch (error) {
      if (attempt >= 3 || !/EADDRINUSE/.test((error as Error).message)) throw error;
    }
  }
}

/**
 * The bot host the e2e suite runs against: `BOT_HOST` of the test run (`npm test` runs the e2e
 * project once per host), the default host otherwise. The bot validates the value itself.
 */
export function botHostUnderTest(): string {
  return process.env.BOT_HOST ?? 'teams-ai';
}
