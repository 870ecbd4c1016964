import { InMemoryStore, MemorySaver } from '@langchain/langgraph';
import { createAgentService } from '../../src/agents';
import { AppError } from '../../src/errors';
import type { Principal } from '../../src/persistence/ports';
import { createDeterministicRouter, type IntentRouter } from '../../src/llm';
import { FakeDatabricks, type FakeDatabricksOptions } from './fake-databricks';
import { InMemoryApprovals } from './in-memory-approvals';
import { InMemoryAuditLog } from './in-memory-audit';
import { InMemoryLeaseStore } from './in-memory-leases';
import { buildContext, USERS } from './request-contexts';

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

/** Approves, and the process "dies" after the SQL was submitted, before the ledger says executed. */
export async function approveThenCrashAfterSubmit(h: ReturnType<typeof createAgentHarness>, approvalId: string): Promise<void> {
  const realTransition = h.approvals.transition.bind(h.approvals);
  const crash = jest.spyOn(h.approvals, 'transition').mockImplementation(async (current, next, patch) => {
    if (next === 'executed') throw new AppError('STORAGE.UNAVAILABLE', 'simulated crash after submit');
    return realTransition(current, next, patch);
  });
  await expect(h.service.decide(buildContext(USERS.alice), h.databricks.factory, approvalId, 'approve')).rejects.toMatchObject({ code: 'STORAGE.UNAVAILABLE' });
  crash.mockRestore();
}
