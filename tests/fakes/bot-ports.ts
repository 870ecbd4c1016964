import { approvalScopeRefusal } from '../../src/approvals/scope';
import type { AgentService, ApprovalLookup, DecisionResult, MemoryItem, MessageClaim, TurnHooks, TurnResult, UserDatabricks, UserDatabricksFactory } from '../../src/agents/ports';
import type { RequestContext, UserIdentity } from '../../src/context/request-context';
import type { GenieFeedback } from '../../src/databricks/genie-feedback';
import type { GenieResults } from '../../src/databricks/genie-results';
import type { GenieAnswer, GenieClient, SqlClient, TableResult } from '../../src/databricks/types';
import { AppError } from '../../src/errors';
import { ALICE } from './bot-activities';
import type { IdentityService, TokenProvider, TurnSession, ValidatedSsoToken } from '../../src/identity/ports';
import type { ApprovalRecord, Dedupe } from '../../src/persistence/ports';

type UserRef = Pick<UserIdentity, 'tenantId' | 'objectId'>;
const keyOf = (u: UserRef): string => `${u.tenantId}:${u.objectId}`;

export class MemoryDedupe implements Dedupe {
  readonly keys = new Set<string>();
  async claim(key: string): Promise<boolean> {
    if (this.keys.has(key)) return false;
    this.keys.add(key);
    return true;
  }
}

/** SSO tokens are `sso:<tenant>:<oid>`; anything else fails validation. */
export class FakeIdentityService implements IdentityService {
  readonly sessions = new Set<string>();
  readonly signIns: string[] = [];
  signInError: AppError | undefined;

  async validateSsoToken(token: string): Promise<ValidatedSsoToken> {
    const m = /^sso:([^:]+):([^:]+)$/.exec(token);
    if (!m) throw new AppError('TOKEN.MALFORMED', 'not a fake SSO token');
    return { tenantId: m[1] as string, objectId: m[2] as string, upn: undefined, name: undefined, expiresAt: new Date(Date.now() + 3600_000) };
  }
  async signIn(ssoToken: string): Promise<UserIdentity> {
    const claims = await this.validateSsoToken(ssoToken);
    if (this.signInError) throw this.signInError;
    this.sessions.add(keyOf(claims));
    this.signIns.push(keyOf(claims));
    return { tenantId: claims.tenantId, objectId: claims.objectId, upn: undefined, displayName: 'x' };
  }
  async hasSession(user: UserRef): Promise<boolean> {
    return this.sessions.has(keyOf(user));
  }
  tokenProviderFor(user: UserRef): TokenProvider {
    return { user, getDatabricksToken: async () => `dbx-token-for-${user.objectId}`, getGraphToken: async () => `graph-token-for-${user.objectId}` };
  }
  session(user: UserRef): TurnSession {
    return { hasSession: () => this.hasSession(user), tokens: this.tokenProviderFor(user) };
  }
  async getAppGraphToken(): Promise<string> {
    return 'graph-app-token';
  }
  async signOut(user: UserRef): Promise<void> {
    this.sessions.delete(keyOf(user));
  }
}

export interface GenieCall {
  op: 'getMessage' | 'sendFeedback' | 'readPage' | 'download';
  asUser: string;
  args: unknown[];
}

/** Records every Genie call with the object id of the token it ran under. */
export class FakeDatabricks {
  readonly calls: GenieCall[] = [];
  table: TableResult = { columns: [{ name: 'region', type: 'STRING' }, { name: 'sales', type: 'BIGINT' }], rows: [['west', '10'], ['east', '20']], totalRowCount: 2, truncated: false };
  /** What `getMessage` reads back; like Genie, served only to `messageOwner` (an object id; Alice by default). */
  message: GenieAnswer = buildGenieAnswer();
  messageOwner: string | undefined = ALICE.oid;
  messageError: AppError | undefined;
  closed = 0;

  build = (tokens: TokenProvider): UserDatabricks => {
    const asUser = tokens.user.objectId;
    const genie: GenieClient = {
      ask: async () => {
        throw new Error('not used by the bot');
      },
      getMessage: async (...args) => {
        this.calls.push({ op: 'getMessage', asUser, args });
        if (this.messageError) throw this.messageError;
        if (this.messageOwner !== undefined && this.messageOwner !== asUser) throw new AppError('DATABRICKS.GENIE_FAILED', `Conversation ${args[0]} does not exist.`);
        return this.message;
      },
    };
    const genieResults: GenieResults = {
      readPage: async (ref, page, pageSize) => {
        this.calls.push({ op: 'readPage', asUser, args: [ref.conversationId, ref.messageId, ref.attachmentId, page, pageSize] });
        const rows = this.table.rows.slice(page * pageSize, (page + 1) * pageSize);
        return { columns: this.table.columns, rows, page, pageSize, totalRowCount: this.table.totalRowCount, inlineRowCount: this.table.rows.length };
      },
      download: async (ref, sink) => {
        this.calls.push({ op: 'download', asUser, args: [ref.conversationId, ref.messageId, ref.attachmentId] });
        await sink.columns(this.table.columns);
        await sink.rows(this.table.rows);
        return { rowCount: this.table.rows.length };
      },
    };
    const genieFeedback: GenieFeedback = {
      send: async (...args) => {
        this.calls.push({ op: 'sendFeedback', asUser, args });
      },
    };
    return {
      genie: () => genie,
      genieResults: () => genieResults,
      genieFeedback: () => genieFeedback,
      sql: (): SqlClient => {
        throw new Error('not used by the bot');
      },
      ensureToken: async () => void (await tokens.getDatabricksToken()),
      close: async () => {
        this.closed += 1;
      },
    };
  };
}

export type MessageScript = (ctx: RequestContext, text: string, hooks: TurnHooks | undefined, databricks: UserDatabricksFactory) => Promise<TurnResult>;
export type DecideScript = (ctx: RequestContext, approvalId: string, decision: 'approve' | 'reject') => Promise<DecisionResult>;

export class FakeAgentService implements AgentService {
  readonly messages: { user: string; kind: string; conversation: string; text: string; correlationId: string }[] = [];
  readonly decisions: { user: string; approvalId: string; decision: string }[] = [];
  readonly resets: string[] = [];
  readonly lookups: { user: string; approvalId: string }[] = [];
  memories: MemoryItem[] = [];
  approvals = new Map<string, ApprovalRecord>();
  onMessage: MessageScript = async (_ctx, text) => ({ kind: 'text', text: `echo: ${text}` });
  onDecide: DecideScript = async (_ctx, id) => {
    const approval = this.approvals.get(id);
    return approval ? { kind: 'executed', approval: { ...approval, status: 'executed', rowsAffected: 1 } } : { kind: 'refused', approval: undefined, code: 'APPROVAL.NOT_FOUND' };
  };

  /** Activity ids claimed through `claimMessage` (the real service keeps them beside the thread's lease). */
  readonly claimedActivities = new Set<string>();
  async claimMessage(ctx: RequestContext): Promise<MessageClaim | undefined> {
    const key = `${ctx.conversation.id}:${ctx.activityId ?? ''}`;
    if (ctx.activityId && this.claimedActivities.has(key)) return undefined;
    this.claimedActivities.add(key);
    return { threadId: ctx.conversation.id, lease: undefined };
  }
  readonly releasedClaims: MessageClaim[] = [];
  async releaseClaim(_ctx: RequestContext, claim: MessageClaim): Promise<void> {
    this.releasedClaims.push(claim);
  }
  async handleMessage(ctx: RequestContext, databricks: UserDatabricksFactory, text: string, hooks?: TurnHooks): Promise<TurnResult> {
    this.messages.push({ user: ctx.user.objectId, kind: ctx.conversation.kind, conversation: ctx.conversation.id, text, correlationId: ctx.correlationId });
    return this.onMessage(ctx, text, hooks, databricks);
  }
  async decide(ctx: RequestContext, _databricks: UserDatabricksFactory, approvalId: string, decision: 'approve' | 'reject'): Promise<DecisionResult> {
    this.decisions.push({ user: ctx.user.objectId, approvalId, decision });
    return this.onDecide(ctx, approvalId, decision);
  }
  /** Applies the real scope rule (pure logic); the audit of a refusal is the real service's, tested there. */
  async viewApproval(ctx: RequestContext, approvalId: string): Promise<ApprovalLookup> {
    this.lookups.push({ user: ctx.user.objectId, approvalId });
    const approval = this.approvals.get(approvalId);
    if (!approval) return { ok: false, code: 'APPROVAL.NOT_FOUND' };
    if (approvalScopeRefusal(approval, ctx)) return { ok: false, code: 'APPROVAL.OTHER_CONVERSATION' };
    return { ok: true, approval };
  }
  async resetThread(ctx: RequestContext): Promise<void> {
    this.resets.push(ctx.user.objectId);
  }
  readonly continued: { user: string; spaceId: string; conversationId: string }[] = [];
  async continueGenieConversation(ctx: RequestContext, spaceId: string, conversationId: string): Promise<void> {
    this.continued.push({ user: ctx.user.objectId, spaceId, conversationId });
  }
  async listMemories(): Promise<MemoryItem[]> {
    return this.memories;
  }
  async forgetMemory(_ctx: RequestContext, key: string): Promise<number> {
    const before = this.memories.length;
    this.memories = key === 'all' ? [] : this.memories.filter((m) => m.key !== key);
    return before - this.memories.length;
  }
}

export function buildGenieAnswer(overrides: Partial<GenieAnswer> = {}): GenieAnswer {
  return {
    spaceId: 'space-1',
    conversationId: 'conv-1',
    messageId: 'msg-1',
    status: 'COMPLETED',
    text: 'West sold 10, East sold 20.',
    query: { attachmentId: 'att-1', sql: 'SELECT region, SUM(amount) AS sales FROM sales GROUP BY region', title: 'Sales by region', description: undefined, statementId: 'st-1' },
    table: { columns: [{ name: 'region', type: 'STRING' }, { name: 'sales', type: 'BIGINT' }], rows: [['west', '10'], ['east', '20']], totalRowCount: 2, truncated: false },
    suggestedQuestions: ['Sales by month?'],
    ...overrides,
  };
}

export function buildApproval(overrides: Partial<ApprovalRecord> = {}): ApprovalRecord {
  return {
    id: 'appr-1',
    threadId: 't',
    conversationId: 'c',
    requester: { tenantId: '7e4a1c00-0000-4000-8000-000000000001', objectId: 'a11ce000-0000-4000-8000-000000000001', name: 'Alice Wong' },
    sql: "UPDATE sales.orders SET status = 'shipped' WHERE order_id = 1042",
    operation: 'UPDATE',
    targetTables: ['sales.orders'],
    impact: { rows: 1, description: '1 row of sales.orders would be deleted', unbounded: false },
    requiresApprover: false,
    sqlSha256: 'abc',
    interruptId: 'int-1',
    createdAt: '2026-01-01T10:00:00.000Z',
    expiresAt: new Date(Date.now() + 3600_000).toISOString(),
    status: 'pending',
    decidedBy: undefined,
    decidedAt: undefined,
    statementId: undefined,
    rowsAffected: undefined,
    error: undefined,
    card: undefined,
    etag: 'e1',
    ...overrides,
  };
}
