import type { BaseStore, LangGraphRunnableConfig } from '@langchain/langgraph';
import type { UserCatalogCache } from '../catalog';
import type { Config } from '../config';
import type { RequestContext } from '../context/request-context';
import { AppError } from '../errors';
import type { IntentRouter } from '../llm';
import type { ApprovalsRepository, AuditLog, Principal } from '../persistence/ports';
import type { TurnHooks, UserDatabricksFactory } from './ports';
import type { TurnApprovals } from './turn-approvals';

export type { IsApprover } from '../approvals/approvers';

/** Shared, identity-free collaborators of the compiled graph. */
export interface AgentGraphShared {
  router: IntentRouter;
  /** Each user's catalog view of the Genie space, cached briefly per user (built by the composition root). */
  catalog?: UserCatalogCache;
  approvals: ApprovalsRepository;
  audit: AuditLog;
  settings: Pick<Config, 'approvals' | 'results'>;
  now: () => Date;
}

/** Per-turn, identity-bound collaborators: passed in `config.configurable.turn`, never in state. */
export interface TurnDeps {
  ctx: RequestContext;
  databricks: UserDatabricksFactory;
  hooks: TurnHooks | undefined;
  /** Approval records this call wrote itself (not read back); absent: every node reads the ledger. */
  approvals?: TurnApprovals;
}

export function getTurnDeps(config: LangGraphRunnableConfig): TurnDeps {
  const turn = (config.configurable as { turn?: TurnDeps } | undefined)?.turn;
  if (!turn) throw new AppError('INTERNAL.UNEXPECTED', 'The graph was invoked without per-turn dependencies (configurable.turn).');
  return turn;
}

export function getThreadId(config: LangGraphRunnableConfig): string {
  const threadId = (config.configurable as { thread_id?: unknown } | undefined)?.thread_id;
  if (typeof threadId !== 'string') throw new AppError('INTERNAL.UNEXPECTED', 'The graph was invoked without a thread id.');
  return threadId;
}

/**
 * The memory store, handed to the nodes that read or write memories directly. The graph is compiled
 * without it: LangGraph wraps a compiled-in store in an `AsyncBatchedStore` whose loop polls with
 * `setTimeout(0)` for the whole of every run, and only two nodes ever touch the store.
 */
export interface WithStore {
  store: BaseStore;
}

export function principalOf(ctx: RequestContext): Principal {
  return { tenantId: ctx.user.tenantId, objectId: ctx.user.objectId, name: ctx.user.displayName };
}
