import type { TurnContext } from 'botbuilder';
import type { Logger } from '../../src/logging';
import type { ConversationReferences, StoredReference } from '../../src/persistence/conversation-references';
import { baseConversationId } from '../../src/approvals';
import { tenantOf } from '../turns/trust-boundary';

/** Keys already stored by this process: a reference is written once per process, not on every message. */
const MAX_REMEMBERED = 10_000;

/**
 * Stores where the bot may later speak first (issue 17 item 8), from activities the adapter
 * validated and the trust boundary admitted: a person's 1:1 chat (any activity there, the install
 * included) and a channel the bot was installed in (`conversationUpdate` / `installationUpdate`).
 * The person is `from.aadObjectId` of the activity, never text or card data.
 */
export function createReferenceCapture(references: ConversationReferences, logger: Logger): (turn: TurnContext) => Promise<void> {
  const stored = new Set<string>();
  return async (turn) => {
    const reference = referenceOf(turn);
    if (!reference) return;
    const key = `${reference.tenantId}|${reference.kind}|${reference.user?.objectId ?? ''}|${reference.conversationId}|${reference.serviceUrl}`;
    if (stored.has(key)) return;
    try {
      await references.remember(reference);
      if (stored.size >= MAX_REMEMBERED) stored.clear();
      stored.add(key);
    } catch (error) {
      logger.warn({ err: error, kind: reference.kind }, 'conversation reference could not be stored; approval cards may not reach this chat');
    }
  };
}

function referenceOf(turn: TurnContext): StoredReference | undefined {
  const a = turn.activity;
  const tenantId = tenantOf(a);
  if (!tenantId || !a.serviceUrl || !a.conversation?.id) return undefined;
  const updatedAt = new Date().toISOString();
  if (a.conversation.conversationType === 'personal') {
    if (!a.from?.aadObjectId || !a.from.id) return undefined;
    const user = { objectId: a.from.aadObjectId, name: a.from.name || a.from.aadObjectId, teamsId: a.from.id };
    return { tenantId, kind: 'personal', conversationId: a.conversation.id, serviceUrl: a.serviceUrl, user, updatedAt };
  }
  if (a.conversation.conversationType === 'channel' && botWasAdded(turn)) {
    const channelId = (a.channelData as { channel?: { id?: unknown } } | undefined)?.channel?.id;
    const conversationId = typeof channelId === 'string' ? channelId : baseConversationId(a.conversation.id);
    return { tenantId, kind: 'channel', conversationId, serviceUrl: a.serviceUrl, updatedAt };
  }
  return undefined;
}

function botWasAdded(turn: TurnContext): boolean {
  const a = turn.activity;
  if (a.type === 'installationUpdate') return a.action === 'add' || a.action === 'add-upgrade';
  if (a.type !== 'conversationUpdate') return false;
  return (a.membersAdded ?? []).some((m) => m.id === a.recipient?.id);
}
