import { spawnSync } from 'node:child_process';
import { mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { delimiter, dirname, join } from 'node:path';
import { REPO_ROOT } from './lib/children';
import { locateNode22, NODE22_MAJOR, NODE22_RECORD, NODE22_RESULTS, type Node22Record } from './lib/node22';

/**
 * `npm run test:node22`: the unit and integration tiers again, on Node 22 (the Web App's runtime), with
 * jest run by that binary and that binary first on PATH, so the children the tests start (tsx, the
 * emulators, the bot) run on it too. Writes .local/results/node22.json and jest-node22.json for the
 * closing summary. Skipped with a printed reason where no Node 22 package exists (off Linux x64);
 * fails where it should exist and does not. Extra arguments go to jest (e.g. a test path).
 */
const results = join(REPO_ROOT, '.local', 'results');
mkdirSync(results, { recursive: true });
for (const file of [NODE22_RECORD, NODE22_RESULTS]) rmSync(join(results, file), { force: true });

function record(value: Node22Record): void {
  writeFileSync(join(results, NODE22_RECORD), `${JSON.stringify(value)}\n`);
}

const choice = locateNode22();
if (choice.kind === 'unavailable') {
  console.log(`node ${NODE22_MAJOR}: skipped, ${choice.reason}`);
  record({ status: 'skipped', reason: choice.reason });
  process.exit(0);
}
if (choice.kind === 'broken') {
  console.error(`node ${NODE22_MAJOR}: cannot run the unit and integration tiers: ${choice.reason}`);
  process.exit(1);
}

console.log(`node ${NODE22_MAJOR}: unit and integration tiers on ${choice.version} (${choice.node})`);
const started = Date.now();
const jest = spawnSync(
  choice.node,
  [require.resolve('jest/bin/jest'), '--selectProjects', 'unit', 'integration', '--json', `--outputFile=${join(results, NODE22_RESULTS)}`, ...process.argv.slice(2)],
  { cwd: REPO_ROOT, stdio: 'inherit', env: { ...process.env, PATH: [dirname(choice.node), process.env.PATH].filter(Boolean).join(delimiter) } },
);
record({ status: 'ran', version: choice.version, seconds: Math.round((Date.now() - started) / 1000) });
if (jest.error) console.error(`node ${NODE22_MAJOR}: jest did not start: ${jest.error.message}`);
process.exit(jest.status ?? 1);
