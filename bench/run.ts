import { existsSync, readFileSync, writeFileSync } from 'node:fs';
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
import { benchOptions } from './scenarios/options';
import { type BenchRow, formatTable } from './stats';
import { startWorld } from './world';

const ALL = ['B1', 'B2', 'B3', 'B4', 'B5', 'B6'] as const;

/**
 * `npm run bench [-- --quick] [-- --only B1,B3]`: starts the emulators (with a Cosmos counting
 * proxy), real bot processes and a Teams-like connector, runs the scenarios one after another and
 * prints one table. Figures are medians and ratios from this run on this machine.
 */
async function main(): Promise<void> {
  const { values } = parseArgs({ options: { quick: { type: 'boolean' }, only: { type: 'string' }, out: { type: 'string' } } });
  const only = new Set((values.only ?? ALL.join(',')).split(',').map((s) => s.trim().toUpperCase()));
  const options = benchOptions(values.quick ?? false);
  const world = await startWorld({ generatedUsers: only.has('B6') ? options.b6Users : 0 });
  const rows: BenchRow[] = [];
  const details: string[] = [];
  const log = (text: string): void => void process.stderr.write(`bench: ${text}\n`);
  try {
    await world.genieControl('rate-limit', { postsPerWindow: 1000 });
    const steps: [string, () => Promise<BenchRow[]>][] = [
      ['B1', () => runB1(world, options)],
      ['B2', () => runB2(world, options)],
      ['B3', async () => {
        const b3 = await runB3(world, options);
        details.push(...b3.details);
        return b3.rows;
      }],
      ['B4', () => runB4(world, options)],
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
  const table = formatTable(rows);
  console.log(`\nBenchmarks (${options.quick ? 'quick' : 'full'} run, ${new Date().toISOString()})\n`);
  console.log(table);
  if (details.length > 0) console.log(`\nCosmos requests by container (B3):\n  ${details.join('\n  ')}`);
  const out = values.out ?? join(REPO_ROOT, '.local', 'bench-results.json');
  writeFileSync(out, JSON.stringify({ at: new Date().toISOString(), quick: options.quick, rows, details }, null, 2));
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
