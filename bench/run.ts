import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { cpus, loadavg } from 'node:os';
import { join, resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { ensureDevCa } from '../emulators/shared/dev-ca';
import { REPO_ROOT, spawnTs } from '../scripts/lib/children';
import { runB1 } from './scenarios/b1-overhead';
import { runB2 } from './scenarios/b2-tokens';
import { runB3 } from './scenarios/b3-cosmos';
import { runB4 } from './scenarios/b4-ack';
import { runB5 } from './scenarios/b5-throughput';
import { runB6 } from './scenarios/b6-memory';
import { compareRows, formatComparison, readRows } from './compare';
import { ensureBuilt } from './compiled-bot';
import { coreShare, cpuWindow } from './cpu';
import { type BotHost, hostAvailable, parseHosts } from './hosts';
import { benchOptions } from './scenarios/options';
import { type BenchRow, formatTable } from './stats';
import { startWorld } from './world';

const ALL = ['B1', 'B2', 'B3', 'B4', 'B5', 'B6'] as const;

/**
 * `npm run bench [-- --quick] [-- --only B1,B3] [-- --hosts teams-ai,agents] [-- --before old.json]`: builds the bot if
 * dist/ is stale, starts the emulators in their own process, a Cosmos counting proxy and a
 * Teams-like connector in this one, compiled bot processes (`node dist/bot/index.js`), runs the
 * scenarios one after another and prints one table. B1 and B4 run once per host in `--hosts` that
 * this checkout has. Figures are medians and ratios from this run on this machine.
 */
async function main(): Promise<void> {
  const { values } = parseArgs({ options: { quick: { type: 'boolean' }, only: { type: 'string' }, out: { type: 'string' }, hosts: { type: 'string' }, before: { type: 'string' } } });
  const only = new Set((values.only ?? ALL.join(',')).split(',').map((s) => s.trim().toUpperCase()));
  const options = benchOptions(values.quick ?? false);
  const log = (text: string): void => void process.stderr.write(`bench: ${text}\n`);
  const listed = parseHosts(values.hosts);
  const hosts: BotHost[] = listed.filter((h) => hostAvailable(h));
  const skipped = listed.filter((h) => !hostAvailable(h));
  const loadAtStart = loadavg().map((l) => l.toFixed(1)).join(' ');
  const build = ensureBuilt(log);
  const whole = cpuWindow([{ name: 'bench', pid: () => process.pid }]);
  const world = await startWorld({ generatedUsers: only.has('B6') ? options.b6Users : 0 });
  const rows: BenchRow[] = [];
  const details: string[] = [
    `bot: node dist/bot/index.js (${build}); hosts ${hosts.join(', ')}${skipped.length > 0 ? `; skipped (not in this checkout): ${skipped.join(', ')}` : ''}`,
  ];
  try {
    await world.genieControl('rate-limit', { postsPerWindow: 1000 });
    const steps: [string, () => Promise<BenchRow[]>][] = [
      ['B1', () => runB1(world, options, hosts)],
      ['B2', () => runB2(world, options)],
      ['B3', async () => {
        const b3 = await runB3(world, options);
        details.push(...b3.details);
        return b3.rows;
      }],
      ['B4', () => runB4(world, options, hosts)],
      ['B5', () => runB5(world, options)],
      ['B6', () => runB6(world, options)],
    ];
    for (const [id, step] of steps) {
      if (!only.has(id)) continue;
      log(`${id} started`);
      const started = Date.now();
      let produced: BenchRow[];
      try {
        produced = await step();
      } catch (error) {
        produced = [{ id, metric: 'failed', value: '-', note: error instanceof Error ? error.message.split('\n')[0] : String(error) }];
      }
      rows.push(...produced);
      log(`${id} done in ${((Date.now() - started) / 1000).toFixed(1)} s\n${formatTable(produced)}`);
    }
  } finally {
    await world.stop();
  }
  const share = coreShare(whole.stop(), 'bench');
  details.push(`bench process over the whole run: ${(share * 100).toFixed(0)} % of one core; machine load average at the start ${loadAtStart}, at the end ${loadavg().map((l) => l.toFixed(1)).join(' ')} (${cpus().length} cores)`);
  const table = formatTable(rows);
  console.log(`\nBenchmarks (${options.quick ? 'quick' : 'full'} run, ${new Date().toISOString()})\n`);
  console.log(table);
  console.log(`\nRun notes and Cosmos requests by container (B3):\n  ${details.join('\n  ')}`);
  if (values.before) console.log(`\nBefore (${values.before}) → after (this run):\n\n${formatComparison(compareRows(readRows(values.before), rows))}`);
  const out = values.out ?? join(REPO_ROOT, '.local', 'bench-results.json');
  writeFileSync(out, JSON.stringify({ at: new Date().toISOString(), quick: options.quick, hosts, rows, details }, null, 2));
}

/**
 * The bench needs the dev CA trusted before Node starts (HTTPS emulators), so it re-runs itself with
 * it, appended to any bundle NODE_EXTRA_CA_CERTS already names.
 */
function relaunchWithCa(): boolean {
  if (process.env.BENCH_CA_READY === '1') return false;
  const ca = ensureDevCa();
  const existing = process.env.NODE_EXTRA_CA_CERTS;
  let bundle = ca.caCertPath;
  if (existing && resolve(existing) !== resolve(ca.caCertPath) && existsSync(existing)) {
    bundle = join(REPO_ROOT, '.local', 'bench-ca-bundle.pem');
    writeFileSync(bundle, `${readFileSync(existing, 'utf8').trimEnd()}\n${ca.caCertPem}`);
  }
  const child = spawnTs('bench/run.ts', { args: process.argv.slice(2), env: { NODE_EXTRA_CA_CERTS: bundle, BENCH_CA_READY: '1' } });
  child.on('exit', (code) => process.exit(code ?? 1));
  return true;
}

if (!relaunchWithCa()) {
  main().catch((error: unknown) => {
    console.error(`bench failed: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}`, (error as { cause?: unknown }).cause ?? "");
    process.exit(1);
  });
}
