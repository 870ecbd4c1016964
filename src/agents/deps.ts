import type { BaseStore, LangGraphRunnableConfig } from '@langchain/langgraph';
import type { UserCatalogCache } from '../catalog';
import type { Config } from '../config';
import type { RequestContext } from '../context/request-context';
import { AppError } from '../errors';
import type { IntentRouter } from '../llm';
import type { ApprovalsRepository, AuditLog, Principal } from '../persistence/ports';
import type { MemoryItem, TurnHooks, UserDatabricksFactory } from './ports';
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
  /** The user's memories, read by the service as the run starts (beside the graph's own start-up); absent: the supervisor reads them. */
  memories?: Promise<MemoryItem[]>;
  /**
   * Audit writes a node started without waiting (they run beside the checkpoint's commit); the
   * service waits for them before it returns the turn, so a failed write still fails the turn.
   * Absent: nodes wait for each write.
   */
  audits?: Promise<void>[];
}

export function getTurnDeps(config: LangGraphRunnableConfig): TurnDeps {
  const turn = (config.configurable as { turn?: TurnDeps } | undefined)?.turn;
  if (!turn) throw new AppError('INTERNAL.UNEXPECTED', 'The graph was invoked without per-turn dependencies (configurable.turn).');
  return turn;
}

/** Waits for `audit` now, or hands it to the turn's deferred writes when the caller collects them. */
export async function auditIn(turn: TurnDeps, audit: Promise<void>): Promise<void> {
  if (!turn.audits) return audit;
  audit.catch(() => undefined); // awaited by the service; this only keeps an early failure from being unhandled
  turn.audits.push(audit);
}

/** Runs `body`, then waits for the audit writes it deferred: the body's error wins, else the first failed write. */
export async function withDeferredAudits<T>(audits: Promise<void>[], body: () => Promise<T>): Promise<T> {
  let result: T;
  try {
    result = await body();
  } catch (error) {
    await Promise.allSettled(audits);
    throw error;
  }
  await Promise.all(audits);
  return result;
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
