/**
 * The full row-isolation run: 50 load users (distinct row filters) × 100 turns = 5,000 turns through
 * two real bot processes, every row of every answer checked against the asker's slice.
 *
 *   NODE_EXTRA_CA_CERTS=$PWD/.local/dev-ca/ca.pem npx tsx bench/isolation-load.ts [--users 50] [--turns 100] [--out file.json]
 *
 * The result is written as JSON (bench/isolation-result.ts) to `.local/results/isolation.json` or `--out`.
 * Starts its own emulators (Genie budget raised so the run measures isolation, not the 5/min cap),
 * its own connector and bots; prints a summary and exits non-zero on any foreign row or failure.
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { LOAD_USER_COUNT } from '../emulators/shared/directory';
import { startStack } from '../emulators/stack';
import { demoUser } from '../emulators/teams/accounts';
import { TeamsClient } from '../emulators/teams/client';
import { startConnector } from '../emulators/teams/connector';
import { personalConversation } from '../emulators/teams/activities';
import { startBotProcess, type BotProcess } from '../tests/support/bot-process';
import { runIsolation, type IsolationClient } from '../tests/e2e/reliability/isolation-scenario';
import { DEFAULT_ISOLATION_RESULT, writeIsolationResult } from './isolation-result';

function arg(name: string, fallback: number): number {
  const index = process.argv.indexOf(`--${name}`);
  const value = index >= 0 ? Number(process.argv[index + 1]) : fallback;
  if (!Number.isInteger(value) || value <= 0) throw new Error(`--${name} must be a positive integer`);
  return value;
}

function outPath(): string {
  const index = process.argv.indexOf('--out');
  if (index < 0) return resolve(__dirname, '..', DEFAULT_ISOLATION_RESULT);
  const value = process.argv[index + 1];
  if (!value || value.startsWith('--')) throw new Error('--out needs a file path');
  return resolve(value);
}

async function main(): Promise<void> {
  const users = Math.min(arg('users', LOAD_USER_COUNT), LOAD_USER_COUNT);
  const turns = arg('turns', 100);
  const out = outPath();
  if (!process.env.NODE_EXTRA_CA_CERTS) throw new Error('Set NODE_EXTRA_CA_CERTS=$PWD/.local/dev-ca/ca.pem');
  const running = await startStack({ ports: { entra: 0, databricks: 0, cosmos: 0, graph: 0, openai: 0 }, genie: { rateLimit: { postsPerWindow: 1_000_000, windowMs: 60_000 } } });
  const dir = resolve(__dirname, '../.local');
  mkdirSync(dir, { recursive: true });
  const stackFile = join(dir, `isolation-bench-${process.pid}.json`);
  writeFileSync(stackFile, JSON.stringify(running.stack, null, 2));
  const connector = await startConnector({ tenantId: running.stack.tenantId });
  const env = { COSMOS_DATABASE: `isolation-${process.pid}`, GENIE_POSTS_PER_MINUTE: '10000', LOG_LEVEL: process.env.BOT_LOG_LEVEL ?? 'warn' };
  const bots: BotProcess[] = [];
  const clients: TeamsClient[] = [];
  try {
    for (let i = 0; i < 2; i++) bots.push(await startBotProcess({ stackFile, env }));
    const group: IsolationClient[] = Array.from({ length: users }, (_, i) => {
      const user = demoUser(`load${String(i + 1).padStart(2, '0')}`);
      const conversation = personalConversation(user);
      const viaInstance = bots.map(
        (bot, b) =>
          new TeamsClient({
            messagesUrl: bot.messagesUrl, botAppId: running.stack.botAppId, tenantId: running.stack.tenantId, ssoTokenUrl: running.stack.ssoTokenUrl,
            connector, user, conversation, autoSso: b === 0, autoRefresh: false,
          }),
      );
      clients.push(...viaInstance);
      return { n: i + 1, viaInstance };
    });
    const startedAt = new Date();
    const started = startedAt.getTime();
    const report = await runIsolation(connector, group, turns, {
      answerTimeoutMs: 300_000,
      onTurn: (progress) => {
        if (progress.turns % 500 === 0) {
          const s = Math.round((Date.now() - started) / 1000);
          process.stdout.write(`  ${progress.turns} turns sent, ${progress.answers} answered, foreign rows ${progress.foreignRows}, failures ${progress.failures.length} (${s} s)\n`);
        }
      },
    });
    const result = writeIsolationResult(out, { users, turnsPerUser: turns, instances: bots.length, startedAt, finishedAt: new Date() }, report);
    const { failureSamples: _samples, ...summary } = result;
    process.stdout.write(`${JSON.stringify(summary)}\n  result: ${out}\n`);
    for (const failure of report.failures.slice(0, 20)) process.stdout.write(`  FAIL ${failure}\n`);
    bots.forEach((bot, i) => writeFileSync(join(dir, `isolation-bot-${i + 1}.log`), bot.output()));
    process.stdout.write(`  bot logs (last 4 MB each): ${bots.map((_, i) => join(dir, `isolation-bot-${i + 1}.log`)).join(', ')}\n`);
    process.exitCode = result.pass ? 0 : 1;
  } finally {
    clients.forEach((c) => c.close());
    await Promise.allSettled(bots.map((b) => b.stop()));
    await connector.stop();
    await running.stop();
  }
}

main().catch((error: unknown) => {
  process.stderr.write(`${error instanceof Error ? error.stack : String(error)}\n`);
  process.exit(1);
});
