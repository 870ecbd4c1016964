export { createGraphClient, type GraphClient, type GraphClientOptions, type GraphSubject, MAX_GROUP_IDS } from './graph-client';
export { createGraphMembershipCheck, type GraphTokenSource, type GroupMembershipCheck } from './approver-membership';
