import { hostParity } from '../../../scripts/lib/host-parity';

const run = (tests: Record<string, string>, file = '/repo/tests/e2e/questions.test.ts'): unknown => ({
  testResults: [
    { name: file, assertionResults: Object.entries(tests).map(([title, status]) => ({ ancestorTitles: ['questions'], title, status })) },
    { name: '/repo/tests/unit/x.test.ts', assertionResults: [{ title: 'unit only', status: 'passed' }] },
  ],
});

describe('hostParity (the e2e suite on both bot hosts)', () => {
  it('when both hosts pass the same e2e tests, then the counts match and there is no difference', () => {
    const parity = hostParity(run({ a: 'passed', b: 'passed', c: 'pending' }), run({ a: 'passed', b: 'passed', c: 'pending' }));
    expect(parity).toEqual({ teamsAi: { passed: 2, failed: 0, skipped: 1 }, agents: { passed: 2, failed: 0, skipped: 1 }, differences: [] });
  });

  it('when a test passes on one host and fails on the other, then it is named as a difference', () => {
    const parity = hostParity(run({ a: 'passed', b: 'passed' }), run({ a: 'passed', b: 'failed' }));
    expect(parity.differences).toEqual(['tests/e2e/questions.test.ts › questions › b: teams-ai passed, agents failed']);
  });

  it('when a test ran on only one host, then it is a difference (a file left out of one run cannot hide)', () => {
    const parity = hostParity(run({ a: 'passed' }), { testResults: [] });
    expect(parity.differences).toEqual(['tests/e2e/questions.test.ts › questions › a: teams-ai passed, agents not run']);
    expect(parity.agents).toEqual({ passed: 0, failed: 0, skipped: 0 });
  });

  it('when runs live in different checkouts, then tests are matched by their repository path', () => {
    const parity = hostParity(run({ a: 'passed' }, '/ci/one/tests/e2e/q.test.ts'), run({ a: 'passed' }, '/ci/two/tests/e2e/q.test.ts'));
    expect(parity.differences).toEqual([]);
  });
});
