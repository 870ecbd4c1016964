/**
 * The use case the bot calls. Holds only shared, identity-free collaborators; everything bound to
 * a person (request context, Databricks clients) arrives per call and goes to the graph through
 * `config.configurable.turn`. The graph is compiled once, here, with the shared checkpointer.
 */
import { randomUUID } from 'node:crypto';
import { threadIdOf, type RequestContext } from '../context/request-context';
import { AppError } from '../errors';
import type { ApprovalRecord, LeaseStore } from '../persistence/ports';
import { deniedOutOfScope } from './approval-scope';
import { recordAudit } from './audit';
import { claimDecision, resumeThread } from './decide';
import { principalOf, withDeferredAudits, type IsApprover, type TurnDeps } from './deps';
import type { ApprovalDecision } from './hitl';
import { forgetItems, listMemoryItems } from './memory/memory-items';
import type { AgentService, ApprovalLookup, DecisionResult, MessageClaim, TurnHooks, TurnResult, UserDatabricksFactory } from './ports';
import { runConfig } from './run-config';
import { TurnApprovals } from './turn-approvals';
import type { TurnOutput } from './state';
import { buildAgentGraph, type AgentGraph, type AgentGraphDeps } from './supervisor/graph';
import { DEFAULT_LEASE_OPTIONS, claimThreadTurn, withThreadLease, type ClaimedTurn, type LeaseOptions } from './thread-lease';

export const MAX_MESSAGE_CHARS = 8_000;

export interface AgentServiceDeps extends Omit<AgentGraphDeps, 'now'> {
  leases: LeaseStore;
  /** Whether a person is in the approvers group; wired by the composition root from a validated source. */
  isApprover: IsApprover;
  now?: () => Date;
  instanceId?: string;
  lease?: Partial<LeaseOptions>;
}

export interface AgentServiceWithGraph extends AgentService {
  /** The compiled graph (for diagnostics and tests). */
  readonly graph: AgentGraph;
  /** The record as stored, for diagnostics and tests; checks nothing about a caller (the bot uses `viewApproval`). */
  getApproval(approvalId: string): Promise<ApprovalRecord | undefined>;
}

export function createAgentService(input: AgentServiceDeps): AgentServiceWithGraph {
  const deps: AgentGraphDeps = { ...input, now: input.now ?? (() => new Date()) };
  const graph = buildAgentGraph(deps);
  const instanceId = input.instanceId ?? randomUUID();
  const leaseOptions: LeaseOptions = { ...DEFAULT_LEASE_OPTIONS, ...input.lease };
  const decideDeps = { ...deps, graph, isApprover: input.isApprover };
  const leased = <T>(ctx: RequestContext, threadId: string, run: () => Promise<T>, claimed?: ClaimedTurn) =>
    withThreadLease(input.leases, threadId, instanceId, leaseOptions, ctx.logger, run, claimed);

  async function toTurnResult(result: TurnOutput | null, turn: TurnDeps, threadId: string): Promise<TurnResult> {
    if (!result) throw new AppError('INTERNAL.UNEXPECTED', 'The graph produced no result.');
    switch (result.kind) {
      case 'approval-requested': {
        // The record this run created (no read back); the interrupt id is the checkpoint's, where LangGraph keeps it (not stored in the ledger).
        const record = turn.approvals?.latest(result.approvalId) ?? (await deps.approvals.get(result.approvalId));
        if (!record) throw new AppError('APPROVAL.NOT_FOUND', `approval ${result.approvalId} vanished after it was created`);
        const snapshot = await graph.getState(runConfig(threadId, turn));
        const interruptId = snapshot.tasks.flatMap((t) => t.interrupts).find((i) => i.id !== undefined)?.id;
        return { kind: 'approval-requested', approval: interruptId ? { ...record, interruptId } : record };
      }
      case 'decision':
        return { kind: 'text', text: result.message ?? result.outcome };
      default:
        return result;
    }
  }

  async function releaseClaim(ctx: RequestContext, claim: MessageClaim): Promise<void> {
    if (claim.lease) await leased(ctx, claim.threadId, async () => undefined, { lease: claim.lease });
  }

  return {
    graph,

    async claimMessage(ctx: RequestContext): Promise<MessageClaim | undefined> {
      const threadId = threadIdOf(ctx);
      if (!ctx.activityId) return { threadId, lease: undefined };
      const claim = await claimThreadTurn(input.leases, threadId, instanceId, leaseOptions, `activity:${ctx.conversation.id}:${ctx.activityId}`);
      if (claim.kind === 'duplicate') return undefined;
      return { threadId, lease: claim.kind === 'claimed' ? claim.claim.lease : undefined };
    },

    releaseClaim,

    async handleMessage(ctx: RequestContext, databricks: UserDatabricksFactory, text: string, hooks?: TurnHooks, claim?: MessageClaim): Promise<TurnResult> {
      const threadId = threadIdOf(ctx);
      const claimed = claim?.lease && claim.threadId === threadId ? { lease: claim.lease } : undefined;
      if (text.length > MAX_MESSAGE_CHARS) {
        if (claim) await releaseClaim(ctx, claim);
        throw new AppError('INPUT.TOO_LARGE', `message of ${text.length} characters`);
      }
      return leased(ctx, threadId, async () => {
        // Read once the lease is held (a turn before this one in the thread may have just remembered something).
        const memories = listMemoryItems(deps.store, ctx.user);
        memories.catch(() => undefined); // awaited by the supervisor, when the run reaches it
        const audits: Promise<void>[] = [];
        const turn: TurnDeps = { ctx, databricks, hooks, approvals: new TurnApprovals(), memories, audits };
        const state = await withDeferredAudits(audits, () => graph.invoke({ input: text, intent: null, decision: null, result: null }, runConfig(threadId, turn, 'exit')));
        return toTurnResult(state.result, turn, threadId);
      }, claimed);
    },

    async decide(ctx: RequestContext, databricks: UserDatabricksFactory, approvalId: string, decision: 'approve' | 'reject', hooks?: TurnHooks): Promise<DecisionResult> {
      const existing = await deps.approvals.get(approvalId);
      if (existing && (await deniedOutOfScope(deps.audit, ctx, existing, decision, deps.now()))) {
        return { kind: 'refused', approval: undefined, code: 'APPROVAL.OTHER_CONVERSATION' };
      }
      const threadId = existing?.threadId;
      const run = async (): Promise<DecisionResult> => {
        const written = new TurnApprovals();
        const claim = await claimDecision(decideDeps, ctx, approvalId, decision, databricks, { read: existing, written });
        if (!claim.ok) return { kind: 'refused', approval: claim.record, code: claim.code };
        const value: ApprovalDecision = { approvalId, decision, decidedBy: claim.record.decidedBy ?? principalOf(ctx) };
        return resumeThread(decideDeps, claim.record, value, { ctx, databricks, hooks, approvals: written });
      };
      return threadId ? leased(ctx, threadId, run) : run();
    },

    async getApproval(approvalId: string) {
      return deps.approvals.get(approvalId);
    },

    async viewApproval(ctx: RequestContext, approvalId: string): Promise<ApprovalLookup> {
      const approval = await deps.approvals.get(approvalId);
      if (!approval) return { ok: false, code: 'APPROVAL.NOT_FOUND' };
      if (await deniedOutOfScope(deps.audit, ctx, approval, 'view', deps.now())) return { ok: false, code: 'APPROVAL.OTHER_CONVERSATION' };
      return { ok: true, approval };
    },

    async resetThread(ctx: RequestContext): Promise<void> {
      const threadId = threadIdOf(ctx);
      await leased(ctx, threadId, () => deps.checkpointer.deleteThread(threadId));
    },

    async continueGenieConversation(ctx: RequestContext, spaceId: string, conversationId: string): Promise<void> {
      const threadId = threadIdOf(ctx);
      await leased(ctx, threadId, async () => {
        const update = { genieConversationId: conversationId, genieSpaceId: spaceId, result: null };
        await graph.updateState({ configurable: { thread_id: threadId } }, update, 'genie_agent');
      });
    },

    async listMemories(ctx: RequestContext) {
      return listMemoryItems(deps.store, ctx.user);
    },

    async forgetMemory(ctx: RequestContext, key: string | 'all'): Promise<number> {
      const count = await forgetItems(deps.store, ctx.user, key === 'all' ? { all: true } : { key });
      await recordAudit(deps.audit, ctx, 'memory.changed', { outcome: 'ok', detail: `forgot ${count}` }, deps.now());
      return count;
    },
  };
}
