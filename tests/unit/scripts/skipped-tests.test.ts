import { skippedGroups } from '../../../scripts/lib/skipped-tests';

/** Shaped as `jest --json` writes it (checked against a real run of a describe.skip with a nested describe). */
const RESULT = {
  numPendingTests: 3,
  testResults: [
    {
      assertionResults: [
        { status: 'pending', ancestorTitles: ['the Agents Playground in a browser (skipped: no Chromium for darwin-arm64)', 'inner'], title: 'a' },
        { status: 'pending', ancestorTitles: ['the Agents Playground in a browser (skipped: no Chromium for darwin-arm64)'], title: 'b' },
        { status: 'passed', ancestorTitles: [], title: 'c' },
      ],
    },
    { assertionResults: [{ status: 'failed', ancestorTitles: ['x'], title: 'd' }, { status: 'todo', ancestorTitles: [], title: 'write me' }] },
  ],
};

describe('skippedGroups (the reason lines of the closing test summary)', () => {
  it('when tests are skipped, then each outermost describe is listed once with its count, and passed or failed ones never', () => {
    expect(skippedGroups(RESULT)).toEqual([
      { title: 'the Agents Playground in a browser (skipped: no Chromium for darwin-arm64)', count: 2 },
      { title: 'write me', count: 1 },
    ]);
  });

  it('when nothing is skipped or the result has no test list, then there is nothing to list', () => {
    expect(skippedGroups({ testResults: [{ assertionResults: [{ status: 'passed', ancestorTitles: ['a'], title: 'b' }] }] })).toEqual([]);
    expect(skippedGroups({})).toEqual([]);
  });
});
