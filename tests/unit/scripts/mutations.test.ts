import { join } from 'node:path';
import { parseOptions, select, verdictOf } from '../../../scripts/mutations/run';
import { PatchMismatch, applyPatchText, verifyPatches } from '../../../scripts/mutations/scratch';
import { MUTATIONS } from '../../../scripts/mutations/table';

const root = join(__dirname, '../../..');

describe('mutation script (npm run test:mutations)', () => {
  it('when a snippet occurs once, then it is replaced; when it is missing or repeated, then the patch fails loudly naming the file', () => {
    expect(applyPatchText('a check(x) b', { file: 'f.ts', search: 'check(x)', replace: 'true' })).toBe('a true b');
    expect(() => applyPatchText('a b', { file: 'f.ts', search: 'check(x)', replace: '' })).toThrow(PatchMismatch);
    expect(() => applyPatchText('a b', { file: 'f.ts', search: 'check(x)', replace: '' })).toThrow(/^f\.ts: the snippet to replace no longer matches/);
    expect(() => applyPatchText('x x', { file: 'g.ts', search: 'x', replace: 'y' })).toThrow(/^g\.ts: the snippet to replace occurs more than once/);
    expect(() => verifyPatches(root, [{ file: 'no/such/file.ts', search: 'x', replace: 'y' }])).toThrow(/no\/such\/file\.ts: no such file/);
  });

  it('when the table is checked against this tree, then every patch of every row still applies exactly once', () => {
    const stale: string[] = [];
    for (const m of MUTATIONS) {
      try {
        verifyPatches(root, m.patches);
      } catch (error) {
        stale.push(`case ${m.case}: ${(error as Error).message.split('\n')[0] ?? ''}`);
      }
    }
    expect(stale).toEqual([]);
  });

  it('when rows are listed, then case names are unique, tests are files of their tier, and the quick set is unit-only', () => {
    const cases = MUTATIONS.map((m) => m.case);
    expect(new Set(cases).size).toBe(cases.length);
    for (const m of MUTATIONS) expect(m.test.file.startsWith(`tests/${m.tier}/`)).toBe(true);
    expect(MUTATIONS.filter((m) => m.quick && m.tier !== 'unit').map((m) => m.case)).toEqual([]);
  });

  it('when options are given, then --quick, --only, --baseline, --check and --out are read; unknown options, missing values and unknown cases are refused', () => {
    expect(parseOptions(['--quick', '--only', '12, 28', '--baseline', '--out', 'x.json'])).toEqual({ only: ['12', '28'], quick: true, baseline: true, check: false, keep: false, out: 'x.json' });
    expect(() => parseOptions(['--fast'])).toThrow(/unknown option --fast/);
    expect(() => parseOptions(['--only'])).toThrow(/--only needs a value/);
    expect(() => parseOptions(['--out', '--quick'])).toThrow(/--out needs a value/);
    expect(select(MUTATIONS, { only: ['28'], quick: false }).map((m) => m.case)).toEqual(['28']);
    expect(select(MUTATIONS, { only: undefined, quick: true }).every((m) => m.quick)).toBe(true);
    expect(() => select(MUTATIONS, { only: ['99'], quick: false })).toThrow(/no such case: 99/);
  });

  it('when jest reports, then failed tests mean "yes", all passing "no", and nothing run or a suite that did not compile "error"', () => {
    expect(verdictOf({ ran: 3, failed: 1, suiteErrors: [] })).toEqual({ verdict: 'yes', detail: '1/3 failed' });
    expect(verdictOf({ ran: 2, failed: 0, suiteErrors: [] })).toEqual({ verdict: 'no', detail: '2/2 passed' });
    expect(verdictOf({ ran: 0, failed: 0, suiteErrors: [] }).verdict).toBe('error');
    expect(verdictOf({ ran: 0, failed: 0, suiteErrors: ['SyntaxError'] }).verdict).toBe('error');
    expect(verdictOf({ ran: 2, failed: 1, suiteErrors: ['afterAll hook failed'] }).verdict).toBe('yes');
  });
});
