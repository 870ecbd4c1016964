import type { RequestContext, UserIdentity } from '../context/request-context';
import type { GenieFeedback } from '../databricks/genie-feedback';
import type { GenieResults } from '../databricks/genie-results';
import type { GenieAnswer, GenieClient, SqlClient } from '../databricks/types';
import type { ErrorCode } from '../errors';
import type { ApprovalRecord, Lease } from '../persistence/ports';

/** Databricks clients bound to one user's token, created per turn and closed at its end. */
export interface UserDatabricks {
  /** The Genie client for `spaceId` (default: the configured default space). */
  genie(spaceId?: string): GenieClient;
  /** The Genie space this turn asks, when it is not the configured default (already re-checked as the user). */
  readonly spaceId?: string;
  /** Pages and full downloads of Genie results in `spaceId` (default: the turn's space), as this user. */
  genieResults(spaceId?: string): GenieResults;
  /** Genie's feedback call (rating and comment) in `spaceId` (default: the turn's space), as this user. */
  genieFeedback(spaceId?: string): GenieFeedback;
  sql(): SqlClient;
  /** The table identifiers of `spaceId` (default: the turn's space), read with this user's token (for the catalog view). */
  spaceTables?(spaceId?: string): Promise<string[]>;
  /** Gets the user's Databricks token now (this turn's clients reuse it); throws `AUTH.*` when the user must sign in again. */
  ensureToken(): Promise<void>;
  close(): Promise<void>;
}

/** Builds `UserDatabricks` for a user. Approvals run the stored SQL as the requester, not the clicker. */
export type UserDatabricksFactory = (user: Pick<UserIdentity, 'tenantId' | 'objectId'>) => UserDatabricks;

export interface MemoryItem {
  key: string;
  text: string;
  createdAt: string;
}

export type TurnResult =
  | { kind: 'text'; text: string }
  | { kind: 'help'; text: string }
  | { kind: 'genie'; answer: GenieAnswer }
  | { kind: 'approval-requested'; approval: ApprovalRecord }
  | { kind: 'write-refused'; sql: string; reason: string }
  | { kind: 'memories'; items: MemoryItem[] };

export type DecisionResult =
  | { kind: 'executed'; approval: ApprovalRecord }
  | { kind: 'rejected'; approval: ApprovalRecord }
  | { kind: 'failed'; approval: ApprovalRecord; code: ErrorCode; message: string }
  | { kind: 'refused'; approval: ApprovalRecord | undefined; code: ErrorCode };

export type ApprovalLookup =
  | { ok: true; approval: ApprovalRecord }
  | { ok: false; code: Extract<ErrorCode, 'APPROVAL.NOT_FOUND' | 'APPROVAL.OTHER_CONVERSATION'> };

export interface TurnHooks {
  /** Short informative progress ("Asking Genie…", "Running the query…"). */
  onProgress?: (text: string) => void;
}

/** What the bot calls. Everything identity-bound arrives per call; nothing is kept between calls. */
/** A message claimed before its run: its activity is marked seen and, unless the thread was busy, its thread leased. */
export interface MessageClaim {
  readonly threadId: string;
  readonly lease: Lease | undefined;
}

export interface AgentService {
  /**
   * Claims a message's activity (dedupe across instances) and its thread's lease in one write;
   * undefined when the activity was claimed before (a redelivery: do nothing). Pass the claim to
   * `handleMessage`.
   */
  claimMessage(ctx: RequestContext): Promise<MessageClaim | undefined>;
  /** Gives a claim's thread lease back without running anything; the activity stays claimed. */
  releaseClaim(ctx: RequestContext, claim: MessageClaim): Promise<void>;
  handleMessage(ctx: RequestContext, databricks: UserDatabricksFactory, text: string, hooks?: TurnHooks, claim?: MessageClaim): Promise<TurnResult>;
  decide(ctx: RequestContext, databricks: UserDatabricksFactory, approvalId: string, decision: 'approve' | 'reject', hooks?: TurnHooks): Promise<DecisionResult>;
  /**
   * Read-only view of an approval for card refreshes, only in the tenant and conversation it was
   * requested in (elsewhere: refused and audited, nothing of the record returned).
   */
  viewApproval(ctx: RequestContext, approvalId: string): Promise<ApprovalLookup>;
  resetThread(ctx: RequestContext): Promise<void>;
  /** Makes the user's next questions in this conversation continue `conversationId` (already checked to be theirs). */
  continueGenieConversation(ctx: RequestContext, spaceId: string, conversationId: string): Promise<void>;
  listMemories(ctx: RequestContext): Promise<MemoryItem[]>;
  forgetMemory(ctx: RequestContext, key: string | 'all'): Promise<number>;
}
