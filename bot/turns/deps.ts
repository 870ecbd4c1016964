import type { HostTurn, ProactiveSend } from './host-turn';
import type { AgentService } from '../../src/agents/ports';
import type { Config } from '../../src/config';
import type { IdentityService } from '../../src/identity/ports';
import type { UserMessageRate } from '../../src/limits/user-message-rate';
import type { Logger } from '../../src/logging';
import type { Dedupe } from '../../src/persistence/ports';
import type { SpaceService } from '../../src/spaces/space-service';
import type { BackgroundTurns } from './background';
import type { ChatStreams } from './chat-streams';
import type { ApprovalReach } from '../delivery/reach';
import type { ResultCache } from './result-cache';
import type { UserDatabricksBuilder } from './turn-context';

/** What the routes need. Shared objects only: nothing here carries a user's identity. */
export interface BotDeps extends ProactiveSend {
  config: Pick<Config, 'bot' | 'identity' | 'results'> & Partial<Pick<Config, 'local'>>;
  logger: Logger;
  agents: AgentService;
  identity: IdentityService;
  dedupe: Dedupe;
  buildDatabricks: UserDatabricksBuilder;
  background: BackgroundTurns;
  results: ResultCache;
  /** Genie spaces and conversation history, as each caller (identity-free; clients are built per call). */
  spaces: SpaceService;
  /** Approval cards beyond the requester's chat and the `requests` list (issue 17 items 7-8); absent in harnesses that do not use them. */
  approvalReach?: ApprovalReach;
  /** Stores the conversation reference of an admitted activity (1:1 chats, channel installs). */
  captureReference?: (turn: HostTurn) => Promise<void>;
  /** How long a card action may wait for a decision before answering "executing…" (Teams allows ~5 s). */
  invokeBudgetMs?: number;
  /** The one stream each 1:1 chat may have open (`chat-streams.ts`); absent, turns of one chat may try to stream at once. */
  chatStreams?: ChatStreams;
  /** Per-user message rate (USER_MESSAGES_PER_MINUTE); absent in harnesses that do not test it. */
  messageRate?: UserMessageRate;
}
