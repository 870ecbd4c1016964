export { countImpact, estimateImpact, needsApprover, type ImpactResult } from './impact';
export { MAX_APPROVAL_SQL_CHARS, MAX_REQUEST_SQL_CHARS } from './limits';
export { recheckBeforeRun, type Recheck } from './recheck';
