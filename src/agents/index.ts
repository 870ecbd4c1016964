export type * from './ports';
export { createAgentService, MAX_MESSAGE_CHARS, type AgentServiceDeps, type AgentServiceWithGraph } from './agent-service';
export { buildAgentGraph, type AgentGraph, type AgentGraphDeps } from './supervisor/graph';
export type { ApprovalDecision, ApprovalRequest } from './hitl';
export type { IsApprover, AgentGraphShared, TurnDeps } from './deps';
export { memoryNamespace } from './memory/memory-items';
export { createApproverCheck, type GroupMembership } from '../approvals/approvers';
export { DEFAULT_LEASE_OPTIONS, type LeaseOptions } from './thread-lease';
