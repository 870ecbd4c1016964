/**
 * Derives the read-only SQL that counts the rows a change touches: exact for UPDATE, DELETE and
 * INSERT, an upper bound for MERGE (target rows it matches plus source rows it would insert). Every
 * derived statement is run back through the guard and used only when it classifies as a read. The
 * plan also says why its count is not a bound, when it is not (`bounds.ts`).
 */
import { analyzeSql } from './classify';
import type { DryRunPlan, WriteShape } from './types';

function fromClause(shape: WriteShape): string {
  return shape.aliasText ? `${shape.targetText} ${shape.aliasText}` : shape.targetText;
}

type Candidate = { kind: 'count'; sql: string; description: string } | { kind: 'known'; rows: number; description: string } | { kind: 'unknown'; description: string };

function candidate(shape: WriteShape): Candidate {
  switch (shape.operation) {
    case 'DELETE':
    case 'UPDATE': {
      const verb = shape.operation === 'DELETE' ? 'deleted' : 'updated';
      if (shape.whereClause === undefined) {
        return { kind: 'count', sql: `SELECT COUNT(*) FROM ${fromClause(shape)}`, description: `rows of ${shape.target} (all of them) would be ${verb}` };
      }
      return {
        kind: 'count',
        sql: `SELECT COUNT(*) FROM ${fromClause(shape)} WHERE ${shape.whereClause}`,
        description: `rows of ${shape.target} would be ${verb}`,
      };
    }
    case 'INSERT': {
      const source = shape.insertSource;
      if (!source) return { kind: 'unknown', description: `rows inserted into ${shape.target}` };
      if (source.kind === 'values') return { kind: 'known', rows: source.rows, description: `rows would be inserted into ${shape.target}` };
      return { kind: 'count', sql: `SELECT COUNT(*) FROM (${source.text}) AS dry_run`, description: `rows would be inserted into ${shape.target}` };
    }
    case 'MERGE': {
      const merge = shape.merge;
      if (!merge) return { kind: 'unknown', description: `rows merged into ${shape.target}` };
      const matched = `SELECT COUNT(*) FROM ${fromClause(shape)} JOIN ${merge.sourceText} ON ${merge.onText}`;
      if (!merge.inserts) return { kind: 'count', sql: matched, description: `rows of ${shape.target} at most would be changed by the MERGE` };
      const inserted = `SELECT COUNT(*) FROM ${merge.sourceText} WHERE NOT EXISTS (SELECT 1 FROM ${fromClause(shape)} WHERE ${merge.onText})`;
      return {
        kind: 'count',
        sql: `SELECT (${matched}) + (${inserted})`,
        description: `rows at most would be changed or inserted into ${shape.target} by the MERGE`,
      };
    }
  }
}

/** The dry-run plan for an allowed write; `unknown` for anything else. */
export function planDryRun(sql: string): DryRunPlan {
  const { shape } = analyzeSql(sql);
  if (!shape) return { kind: 'unknown', description: 'not an allowed change', unboundedBecause: ['it is not an allowed change'] };
  const { unboundedBecause } = shape;
  const plan = candidate(shape);
  if (plan.kind !== 'count') return { ...plan, unboundedBecause };
  const check = analyzeSql(plan.sql).classification;
  if (check.kind !== 'read') return { kind: 'unknown', description: plan.description, unboundedBecause };
  return { ...plan, unboundedBecause };
}
