import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { isolationResultSchema, writeIsolationResult, type RunFacts } from '../../../bench/isolation-result';
import type { IsolationReport } from '../../e2e/reliability/isolation-scenario';

/** The writer of bench/isolation-load.ts on a tiny fixture (2 users × 2 turns), not the full run. */
describe('isolation run result file', () => {
  const dir = mkdtempSync(join(tmpdir(), 'isolation-result-'));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));
  const facts: RunFacts = { users: 2, turnsPerUser: 2, instances: 2, startedAt: new Date('2026-12-01T10:00:00.000Z'), finishedAt: new Date('2026-12-01T10:00:12.400Z') };
  const clean: IsolationReport = { turns: 4, answers: 4, rowsChecked: 60, foreignRows: 0, failures: [], latenciesMs: [900, 1200, 2000, 4000] };

  it('when a clean run is written, then the file holds exactly the schema’s fields with the counts, the timing and pass = true', () => {
    const path = join(dir, 'nested', 'isolation.json');
    writeIsolationResult(path, facts, clean);

    const written: unknown = JSON.parse(readFileSync(path, 'utf8'));
    expect(isolationResultSchema.parse(written)).toEqual({
      kind: 'isolation-load',
      startedAt: '2026-12-01T10:00:00.000Z',
      finishedAt: '2026-12-01T10:00:12.400Z',
      users: 2, turnsPerUser: 2, instances: 2,
      turns: 4, answers: 4, rowsChecked: 60, foreignRows: 0, failures: 0, failureSamples: [],
      seconds: 12, p50Ms: 1200, p95Ms: 4000, pass: true,
    });
  });

  it.each<[string, Partial<IsolationReport>]>([
    ['one foreign row', { foreignRows: 1 }],
    ['a failed turn', { failures: ['load02 turn 2: error card "Busy"'], answers: 3 }],
    ['an unanswered turn', { answers: 3 }],
  ])('when the run had %s, then pass = false and the file says why', (_name, change) => {
    const path = join(dir, `bad-${Math.random().toString(36).slice(2)}.json`);
    writeIsolationResult(path, facts, { ...clean, ...change });
    const written = isolationResultSchema.parse(JSON.parse(readFileSync(path, 'utf8')));
    expect(written.pass).toBe(false);
    expect(written.failureSamples).toEqual(change.failures ?? []);
  });

  it('when a file is missing a field or carries an unknown one, then the schema refuses it', () => {
    const path = join(dir, 'shape.json');
    const result = writeIsolationResult(path, facts, clean);
    const { rowsChecked: _dropped, ...missing } = result;
    expect(isolationResultSchema.safeParse(missing).success).toBe(false);
    expect(isolationResultSchema.safeParse({ ...result, extra: 1 }).success).toBe(false);
    expect(isolationResultSchema.safeParse({ ...result, foreignRows: -1 }).success).toBe(false);
  });
});
