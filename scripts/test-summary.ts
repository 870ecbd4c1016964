import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { skippedGroups } from './lib/skipped-tests';

/**
 * Prints one closing line for the whole `npm test` run — jest's tiers plus the vitest conformance
 * suite — in the plain form CI reads: `tests: N passed, N failed`. Exits non-zero on any failure.
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
const total = { passed: jest.passed + conformance.passed, failed: jest.failed + conformance.failed, skipped: jest.skipped + conformance.skipped };
console.log(`jest: ${jest.passed} passed, ${jest.failed} failed; conformance (vitest): ${conformance.passed} passed, ${conformance.failed} failed`);
for (const { title, count } of [...skippedGroups(jestResult), ...skippedGroups(conformanceResult)]) console.log(`skipped ${count}: ${title}`);
console.log(`tests: ${total.passed} passed, ${total.failed} failed, ${total.skipped} skipped`);
process.exit(total.failed > 0 ? 1 : 0);
