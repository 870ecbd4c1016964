export { classifySql, analyzeSql, type SqlAnalysis } from './classify';
export { planDryRun } from './dry-run';
export type { SqlClassification, WriteClassification, DryRunPlan, WriteShape, InsertSource } from './types';
