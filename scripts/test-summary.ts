import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { node22Line, NODE22_RESULTS, readNode22Record } from './lib/node22';
import { hostParity } from './lib/host-parity';
import { skippedGroups } from './lib/skipped-tests';

/**
 * Prints one closing line for the whole `npm test` run — jest's tiers plus the vitest conformance
 * suite, then the unit and integration tiers again on Node 22 (counted in the total, and on their own line)
 * — in the plain form CI reads: `tests: N passed, N failed`. Exits non-zero on any failure.
 */
interface Counts {
  passed: number;
  failed: number;
  skipped: number;
}

function read(file: string): unknown {
  if (!existsSync(file)) throw new Error(`test results missing: ${file}`);
  return JSON.parse(readFileSync(file, 'utf8'));
}

function countsOf(result: unknown): Counts {
  const r = result as { numPassedTests?: number; numFailedTests?: number; numPendingTests?: number; numTodoTests?: number };
  return { passed: r.numPassedTests ?? 0, failed: r.numFailedTests ?? 0, skipped: (r.numPendingTests ?? 0) + (r.numTodoTests ?? 0) };
}

const dir = join(__dirname, '../.local/results');
const jestResult = read(join(dir, 'jest.json'));
const conformanceResult = read(join(dir, 'conformance.json'));
// The e2e suite again on the Agents SDK host (`BOT_HOST=agents`); its tests count in the total.
const agentsResult = read(join(dir, 'jest-e2e-agents.json'));
const jest = countsOf(jestResult);
const agentsE2e = countsOf(agentsResult);
const conformance = countsOf(conformanceResult);
const node22Record = readNode22Record(dir);
const node22 = node22Record.status === 'ran' ? countsOf(read(join(dir, NODE22_RESULTS))) : { passed: 0, failed: 0, skipped: 0 };
const parity = hostParity(jestResult, agentsResult);
const total = {
  passed: jest.passed + agentsE2e.passed + conformance.passed + node22.passed,
  failed: jest.failed + agentsE2e.failed + conformance.failed + node22.failed + parity.differences.length,
  skipped: jest.skipped + agentsE2e.skipped + conformance.skipped + node22.skipped,
};
console.log(`jest: ${jest.passed} passed, ${jest.failed} failed; e2e again on BOT_HOST=agents: ${agentsE2e.passed} passed, ${agentsE2e.failed} failed; conformance (vitest): ${conformance.passed} passed, ${conformance.failed} failed`);
console.log(`e2e per host: teams-ai ${parity.teamsAi.passed} passed, ${parity.teamsAi.failed} failed, ${parity.teamsAi.skipped} skipped; agents ${parity.agents.passed} passed, ${parity.agents.failed} failed, ${parity.agents.skipped} skipped`);
for (const difference of parity.differences) console.log(`differs between hosts (counted as failed): ${difference}`);
console.log(node22Line(node22Record, node22, process.version));
for (const { title, count } of [...skippedGroups(jestResult), ...skippedGroups(agentsResult), ...skippedGroups(conformanceResult)]) console.log(`skipped ${count}: ${title}`);
console.log(`tests: ${total.passed} passed, ${total.failed} failed, ${total.skipped} skipped`);
process.exit(total.failed > 0 ? 1 : 0);
