/**
 * Derives the read-only SQL that estimates a write's impact. Every derived statement is run back
 * through the guard and used only when it classifies as a read.
 */
import { analyzeSql } from './classify';
import type { DryRunPlan, WriteShape } from './types';

function fromClause(shape: WriteShape): string {
  return shape.aliasText ? `${shape.targetText} ${shape.aliasText}` : shape.targetText;
}

function candidate(shape: WriteShape): DryRunPlan {
  switch (shape.operation) {
    case 'DELETE':
    case 'UPDATE': {
      const verb = shape.operation === 'DELETE' ? 'deleted' : 'updated';
      if (shape.whereClause === undefined) {
        return { kind: 'count', sql: `SELECT COUNT(*) FROM ${fromClause(shape)}`, description: `every row of ${shape.target} would be ${verb}` };
      }
      return {
        kind: 'count',
        sql: `SELECT COUNT(*) FROM ${fromClause(shape)} WHERE ${shape.whereClause}`,
        description: `rows of ${shape.target} that would be ${verb}`,
      };
    }
    case 'INSERT': {
      const source = shape.insertSource;
      if (!source) return { kind: 'unknown', description: `rows inserted into ${shape.target}` };
      if (source.kind === 'values') return { kind: 'known', rows: source.rows, description: `rows inserted into ${shape.target}` };
      return { kind: 'count', sql: `SELECT COUNT(*) FROM (${source.text}) AS dry_run`, description: `rows inserted into ${shape.target}` };
    }
    case 'MERGE': {
      if (!shape.merge) return { kind: 'unknown', description: `rows merged into ${shape.target}` };
      return {
        kind: 'count',
        sql: `SELECT COUNT(*) FROM ${fromClause(shape)} JOIN ${shape.merge.sourceText} ON ${shape.merge.onText}`,
        description: `rows of ${shape.target} matched by the MERGE source (rows it would insert are not counted)`,
      };
    }
  }
}

/** The dry-run plan for an allowed write; `unknown` for anything else. */
export function planDryRun(sql: string): DryRunPlan {
  const { shape } = analyzeSql(sql);
  if (!shape) return { kind: 'unknown', description: 'not an allowed change' };
  const plan = candidate(shape);
  if (plan.kind !== 'count') return plan;
  const check = analyzeSql(plan.sql).classification;
  if (check.kind !== 'read') return { kind: 'unknown', description: plan.description };
  return plan;
}
