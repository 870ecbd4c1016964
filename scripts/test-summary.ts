import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { node22Line, NODE22_RESULTS, readNode22Record } from './lib/node22';
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
const jest = countsOf(jestResult);
const conformance = countsOf(conformanceResult);
const node22Record = readNode22Record(dir);
const node22 = node22Record.status === 'ran' ? countsOf(read(join(dir, NODE22_RESULTS))) : { passed: 0, failed: 0, skipped: 0 };
const total = { passed: jest.passed + conformance.passed, failed: jest.failed + conformance.failed, skipped: jest.skipped + conformance.skipped };
for (const key of ['passed', 'failed', 'skipped'] as const) total[key] += node22[key];
console.log(`jest: ${jest.passed} passed, ${jest.failed} failed; conformance (vitest): ${conformance.passed} passed, ${conformance.failed} failed`);
console.log(node22Line(node22Record, node22, process.version));
for (const { title, count } of [...skippedGroups(jestResult), ...skippedGroups(conformanceResult)]) console.log(`skipped ${count}: ${title}`);
console.log(`tests: ${total.passed} passed, ${total.failed} failed, ${total.skipped} skipped`);
process.exit(total.failed > 0 ? 1 : 0);
