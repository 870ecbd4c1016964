/**
 * `npm run test:mutations`: proves each reliability test can fail. For every row of
 * docs/reliability-results.md (scripts/mutations/table*.ts) it applies the protection-off patch on a
 * scratch copy of the repository, runs the named test there, and prints
 * `case → test → fails without protection: yes/no`. The worktree is never modified.
 *
 *   npm run test:mutations                      every row, one after another (slow: e2e rows start bots)
 *   npm run test:mutations -- --quick           the unit-speed rows (CI)
 *   npm run test:mutations -- --only 12,28      some rows
 *   npm run test:mutations -- --baseline        also run each test unpatched first (it must pass)
 *   npm run test:mutations -- --check           only check that every patch still applies
 *   npm run test:mutations -- --out file.json   results as JSON too
 *
 * Exit code 0 only when every selected row fails without its protection (and passes with it, under
 * --baseline). A patch whose snippet no longer matches stops the run before anything runs.
 */
import { spawnSync } from 'node:child_process';
import { mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { PatchMismatch, createScratch, verifyPatches } from './scratch';
import { MUTATIONS } from './table';
import type { Mutation } from './types';

export interface Options {
  only: string[] | undefined;
  quick: boolean;
  baseline: boolean;
  check: boolean;
  keep: boolean;
  out: string | undefined;
}

export function parseOptions(argv: string[]): Options {
  const options: Options = { only: undefined, quick: false, baseline: false, check: false, keep: false, out: undefined };
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i];
    const value = (): string => {
      const next = argv[++i];
      if (next === undefined || next.startsWith('--')) throw new Error(`${arg} needs a value`);
      return next;
    };
    if (arg === '--only') options.only = value().split(',').map((c) => c.trim()).filter(Boolean);
    else if (arg === '--quick') options.quick = true;
    else if (arg === '--baseline') options.baseline = true;
    else if (arg === '--check') options.check = true;
    else if (arg === '--keep') options.keep = true;
    else if (arg === '--out') options.out = value();
    else throw new Error(`unknown option ${arg ?? ''} (see scripts/mutations/run.ts)`);
  }
  return options;
}

export function select(all: readonly Mutation[], options: Pick<Options, 'only' | 'quick'>): Mutation[] {
  let rows = options.quick ? all.filter((m) => m.quick) : [...all];
  if (options.only) {
    const unknown = options.only.filter((c) => !all.some((m) => m.case === c));
    if (unknown.length > 0) throw new Error(`no such case: ${unknown.join(', ')} (cases: ${all.map((m) => m.case).join(', ')})`);
    rows = rows.filter((m) => options.only?.includes(m.case));
  }
  return rows;
}

export type Verdict = 'yes' | 'no' | 'error';

export interface RowResult {
  case: string;
  test: string;
  protection: string;
  failsWithoutProtection: Verdict;
  passesWithProtection?: boolean;
  detail: string;
  seconds: number;
}

interface JestRun {
  ran: number;
  failed: number;
  suiteErrors: string[];
}

function runJest(dir: string, m: Mutation): JestRun {
  const out = join(dir, '.local', `mutation-${process.pid}.json`);
  mkdirSync(dirname(out), { recursive: true });
  rmSync(out, { force: true });
  const args = [m.test.file, '--selectProjects', m.tier, '--json', `--outputFile=${out}`, ...(m.test.name ? ['-t', m.test.name] : [])];
  spawnSync(join(dir, 'node_modules/.bin/jest'), args, {
    cwd: dir,
    stdio: ['ignore', 'ignore', 'ignore'],
    env: { ...process.env, NODE_EXTRA_CA_CERTS: join(dir, '.local/dev-ca/ca.pem') },
    timeout: 20 * 60_000,
  });
  try {
    const report = JSON.parse(readFileSync(out, 'utf8')) as {
      numPassedTests: number; numFailedTests: number;
      testResults: { status: string; message: string; assertionResults: unknown[] }[];
    };
    // A suite that failed without running a single test (compile error, crash in the file itself).
    const suiteErrors = report.testResults.filter((r) => r.status === 'failed' && r.assertionResults.length === 0).map((r) => r.message.slice(0, 400));
    return { ran: report.numPassedTests + report.numFailedTests, failed: report.numFailedTests, suiteErrors };
  } catch {
    return { ran: 0, failed: 0, suiteErrors: ['jest wrote no report (crashed or timed out)'] };
  }
}

export function verdictOf(run: JestRun): { verdict: Verdict; detail: string } {
  if (run.failed > 0) return { verdict: 'yes', detail: `${run.failed}/${run.ran} failed` };
  if (run.suiteErrors.length > 0) return { verdict: 'error', detail: `suite did not run: ${(run.suiteErrors[0] ?? '').replace(/\s+/g, ' ').slice(0, 200)}` };
  if (run.ran === 0) return { verdict: 'error', detail: 'no test matched the name' };
  return { verdict: 'no', detail: `${run.ran}/${run.ran} passed` };
}

function testLabel(m: Mutation): string {
  return `${m.test.file.replace(/^tests\//, '')}${m.test.name ? ` → "${m.test.name}"` : ''}`;
}

function printTable(results: RowResult[]): void {
  console.log('\n| case | test | protection removed | fails without protection |\n|---|---|---|---|');
  for (const r of results) {
    const baseline = r.passesWithProtection === false ? ' (but it also fails WITH the protection)' : '';
    console.log(`| ${r.case} | ${r.test} | ${r.protection} | ${r.failsWithoutProtection}${baseline} (${r.detail}, ${r.seconds} s) |`);
  }
}

function main(): void {
  const options = parseOptions(process.argv.slice(2));
  const root = resolve(__dirname, '../..');
  const rows = select(MUTATIONS, options);
  for (const m of rows) verifyPatches(root, m.patches);
  console.log(`${rows.length} mutation(s); every patch applies.`);
  if (options.check) return;

  const scratch = createScratch(root);
  console.log(`scratch copy: ${scratch.dir}`);
  const results: RowResult[] = [];
  try {
    for (const m of rows) {
      const started = Date.now();
      let passesWithProtection: boolean | undefined;
      if (options.baseline) {
        const base = verdictOf(runJest(scratch.dir, m));
        passesWithProtection = base.verdict === 'no';
      }
      const restore = scratch.apply(m.patches);
      let outcome: { verdict: Verdict; detail: string };
      try {
        outcome = verdictOf(runJest(scratch.dir, m));
      } finally {
        restore();
      }
      const result: RowResult = {
        case: m.case, test: testLabel(m), protection: m.protection, failsWithoutProtection: outcome.verdict, detail: outcome.detail,
        seconds: Math.round((Date.now() - started) / 1000), ...(passesWithProtection !== undefined ? { passesWithProtection } : {}),
      };
      results.push(result);
      console.log(`case ${m.case}: fails without protection: ${result.failsWithoutProtection} (${result.detail}, ${result.seconds} s)`);
    }
  } finally {
    if (!options.keep) scratch.remove();
  }
  printTable(results);
  if (options.out) {
    mkdirSync(dirname(resolve(options.out)), { recursive: true });
    writeFileSync(resolve(options.out), `${JSON.stringify({ at: new Date().toISOString(), results }, null, 2)}\n`);
  }
  if (results.some((r) => r.failsWithoutProtection !== 'yes' || r.passesWithProtection === false)) process.exitCode = 1;
}

if (require.main === module) {
  try {
    main();
  } catch (error) {
    console.error(error instanceof PatchMismatch ? `A mutation patch no longer applies; fix scripts/mutations/table*.ts.\n${error.message}` : error);
    process.exitCode = 2;
  }
}
