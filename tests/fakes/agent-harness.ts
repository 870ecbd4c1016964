import { InMemoryStore, MemorySaver } from '@langchain/langgraph';
import { createAgentService } from '../../src/agents';
import type { Principal } from '../../src/persistence/ports';
import { createDeterministicRouter, type IntentRouter } from '../../src/llm';
import { FakeDatabricks, type FakeDatabricksOptions } from './fake-databricks';
import { InMemoryApprovals } from './in-memory-approvals';
import { InMemoryAuditLog } from './in-memory-audit';
import { InMemoryLeaseStore } from './in-memory-leases';
import { USERS } from './request-contexts';

export interface HarnessOptions {
  databricks?: FakeDatabricksOptions;
  approvers?: string[];
  fourEyesRowThreshold?: number;
  rowCap?: number;
  router?: IntentRouter;
  leaseWaitMs?: number;
}

/** The agent service over MemorySaver, InMemoryStore and in-memory port fakes, with a movable clock. */
export function createAgentHarness(options: HarnessOptions = {}) {
  const checkpointer = new MemorySaver();
  const store = new InMemoryStore();
  const approvals = new InMemoryApprovals();
  const audit = new InMemoryAuditLog();
  const leases = new InMemoryLeaseStore();
  const databricks = new FakeDatabricks(options.databricks);
  const approvers = new Set(options.approvers ?? [USERS.carol.objectId]);
  const clock = { now: new Date('2026-11-28T10:00:00Z') };
  const isApprover = jest.fn(async (user: Principal) => approvers.has(user.objectId));
  const service = createAgentService({
    checkpointer,
    store,
    router: options.router ?? createDeterministicRouter(),
    approvals,
    audit,
    leases,
    isApprover,
    settings: {
      approvals: { ttlMinutes: 60, fourEyesRowThreshold: options.fourEyesRowThreshold ?? 1000, approversGroupId: 'approvers' },
      results: { rowCap: options.rowCap ?? 20 },
    },
    now: () => clock.now,
    lease: { waitMs: options.leaseWaitMs ?? 200, pollMs: 20 },
  });
  return { service, checkpointer, store, approvals, audit, leases, databricks, clock, isApprover };
}
