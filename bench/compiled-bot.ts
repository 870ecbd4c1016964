import { spawn, spawnSync } from 'node:child_process';
import { existsSync, readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { freePort, REPO_ROOT, WATCHDOG_IMPORT } from '../scripts/lib/children';
import { superviseBot, type BotProcess } from '../scripts/lib/supervised-bot';

/**
 * The bot as production runs it: `node dist/bot/index.js`, compiled by `npm run build` (no tsx, no
 * source maps). The bench builds once at start when any source under bot/ or src/ is newer than
 * the build.
 */
export const COMPILED_ENTRY = join(REPO_ROOT, 'dist', 'bot', 'index.js');

function newestMtime(path: string): number {
  const stat = statSync(path);
  if (!stat.isDirectory()) return stat.mtimeMs;
  let newest = stat.mtimeMs;
  for (const entry of readdirSync(path)) newest = Math.max(newest, newestMtime(join(path, entry)));
  return newest;
}

/** Whether `dist/bot/index.js` is missing or older than a source it is built from. */
export function buildIsStale(): boolean {
  if (!existsSync(COMPILED_ENTRY)) return true;
  const sources = ['bot', 'src', 'tsconfig.json', 'tsconfig.build.json', 'package-lock.json'].map((p) => join(REPO_ROOT, p)).filter(existsSync);
  return Math.max(...sources.map(newestMtime)) > statSync(COMPILED_ENTRY).mtimeMs;
}

/** Runs `npm run build` when the build is stale; returns what it did, for the table's header. */
export function ensureBuilt(log: (text: string) => void): string {
  if (!buildIsStale()) return 'dist/ was up to date';
  log('building the bot (npm run build)');
  const started = Date.now();
  const result = spawnSync('npm', ['run', 'build'], { cwd: REPO_ROOT, stdio: ['ignore', 'inherit', 'inherit'] });
  if (result.status !== 0) throw new Error(`npm run build failed (exit ${result.status})`);
  return `built dist/ in ${((Date.now() - started) / 1000).toFixed(0)} s`;
}

export interface CompiledBotOptions {
  stackFile: string;
  env: NodeJS.ProcessEnv;
  /** Node flags before the entry (e.g. `--expose-gc` for B6's memory samples). */
  nodeArgs?: string[];
  /** Another compiled entry instead of `dist/bot/index.js` (e.g. an older build, for `bench/ab-cpu.ts`). */
  entry?: string;
}

/**
 * Extra Node flags for every compiled bot the bench starts, from `BENCH_BOT_NODE_OPTIONS` (read by
 * the bench only, never by the bot), split on whitespace: e.g. `--cpu-prof --cpu-prof-dir=.local/prof`
 * writes one `.cpuprofile` per bot process when it exits (summarise with `bench/profile-summary.ts`).
 */
export function benchBotNodeOptions(env: NodeJS.ProcessEnv = process.env): string[] {
  return (env.BENCH_BOT_NODE_OPTIONS ?? '').split(/\s+/).filter((flag) => flag.length > 0);
}

/** A compiled bot process with the test harness's BotProcess shape; `restart()` keeps the port. */
export async function startCompiledBot(options: CompiledBotOptions): Promise<BotProcess> {
  const ca = process.env.NODE_EXTRA_CA_CERTS;
  if (!ca) throw new Error('the bench sets NODE_EXTRA_CA_CERTS before it starts bots');
  const port = await freePort();
  return superviseBot(port, () => spawn(process.execPath, [...benchBotNodeOptions(), ...(options.nodeArgs ?? []), '--import', WATCHDOG_IMPORT, options.entry ?? COMPILED_ENTRY], {
    cwd: REPO_ROOT,
    env: { ...process.env, ...options.env, PORT: String(port), LOCAL_STACK_FILE: options.stackFile, NODE_EXTRA_CA_CERTS: ca },
    stdio: ['ignore', 'pipe', 'pipe'],
  }), { label: 'compiled bot', startTimeoutMs: 180_000, keepChars: 1_000_000, quoteChars: 2000 });
}
