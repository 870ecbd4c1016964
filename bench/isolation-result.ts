/**
 * The result file of the full isolation run (bench/isolation-load.ts): one JSON object, written to
 * `.local/results/isolation.json` or the path given with `--out`, so the figure in
 * docs/reliability-results.md is a file a reviewer can read, not only a pasted line.
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { dirname } from 'node:path';
import { z } from 'zod';
import type { IsolationReport } from '../tests/e2e/reliability/isolation-scenario';
import { percentile } from '../tests/e2e/reliability/isolation-scenario';

export const DEFAULT_ISOLATION_RESULT = '.local/results/isolation.json';
const MAX_FAILURE_SAMPLES = 20;

const count = z.number().int().nonnegative();

export const isolationResultSchema = z
  .object({
    kind: z.literal('isolation-load'),
    startedAt: z.string().datetime(),
    finishedAt: z.string().datetime(),
    users: count.min(1),
    turnsPerUser: count.min(1),
    instances: count.min(1),
    turns: count,
    answers: count,
    rowsChecked: count,
    foreignRows: count,
    failures: count,
    failureSamples: z.array(z.string()).max(MAX_FAILURE_SAMPLES),
    seconds: z.number().nonnegative(),
    p50Ms: z.number().nonnegative(),
    p95Ms: z.number().nonnegative(),
    /** True only with every turn answered, no failure and no foreign row. */
    pass: z.boolean(),
  })
  .strict();

export type IsolationResult = z.infer<typeof isolationResultSchema>;

export interface RunFacts {
  users: number;
  turnsPerUser: number;
  instances: number;
  startedAt: Date;
  finishedAt: Date;
}

export function isolationResult(facts: RunFacts, report: IsolationReport): IsolationResult {
  const expected = facts.users * facts.turnsPerUser;
  return isolationResultSchema.parse({
    kind: 'isolation-load',
    startedAt: facts.startedAt.toISOString(),
    finishedAt: facts.finishedAt.toISOString(),
    users: facts.users,
    turnsPerUser: facts.turnsPerUser,
    instances: facts.instances,
    turns: report.turns,
    answers: report.answers,
    rowsChecked: report.rowsChecked,
    foreignRows: report.foreignRows,
    failures: report.failures.length,
    failureSamples: report.failures.slice(0, MAX_FAILURE_SAMPLES),
    seconds: Math.round((facts.finishedAt.getTime() - facts.startedAt.getTime()) / 1000),
    p50Ms: percentile(report.latenciesMs, 50),
    p95Ms: percentile(report.latenciesMs, 95),
    pass: report.foreignRows === 0 && report.failures.length === 0 && report.answers === expected,
  });
}

/** Writes the result (creating the folder) and returns it. */
export function writeIsolationResult(path: string, facts: RunFacts, report: IsolationReport): IsolationResult {
  const result = isolationResult(facts, report);
  mkdirSync(dirname(path), { recursive: true });
  writeFileSync(path, `${JSON.stringify(result, null, 2)}\n`);
  return result;
}
