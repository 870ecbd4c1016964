import type { ConversationReference } from 'botbuilder';
import type { IsApprover } from '../../src/approvals';
import type { ApprovalIndex } from '../../src/persistence/approval-index';
import type { ConversationReferences } from '../../src/persistence/conversation-references';
import type { ApprovalsRepository, AuditLog } from '../../src/persistence/ports';

/**
 * What the bot needs to bring approval cards beyond the requester's chat (issue 17 item 8) and to
 * list requests (item 7). Shared, identity-free objects built once by the composition root.
 */
export interface ApprovalReach {
  approvals: ApprovalsRepository;
  index: ApprovalIndex;
  references: ConversationReferences;
  /** Approvers-group membership from Microsoft Graph, the same check a decision makes. */
  isApprover: IsApprover;
  audit: AuditLog;
  /** The configured approvers' channel (`APPROVERS_CHANNEL_ID`), validated at start-up. */
  approversChannelId: string | undefined;
  /** The bot's Teams id (`28:<app id>`), the `bot` of proactive conversation references. */
  botId: string;
  now: () => Date;
}

/** Where a proactive message or update goes: a conversation on a connector. */
export interface Destination {
  conversationId: string;
  serviceUrl: string;
  tenantId: string;
  kind: 'personal' | 'channel' | 'groupChat';
}

/** The conversation reference of a stored destination (Teams needs the tenant on it for proactive sends). */
export function referenceTo(destination: Destination, botId: string): Partial<ConversationReference> {
  return {
    channelId: 'msteams',
    serviceUrl: destination.serviceUrl,
    bot: { id: botId, name: '' },
    conversation: { id: destination.conversationId, tenantId: destination.tenantId, conversationType: destination.kind, isGroup: destination.kind !== 'personal', name: '' },
  };
}
