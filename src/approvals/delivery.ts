/**
 * Where an approval's card was delivered (item 8 of issue 17): the requester's chat, each approver's
 * 1:1 chat, the approvers' channel, a `requests` list. Every copy's activity id is kept with the record
 * so that one decision updates every copy, and a copy's conversation is a place the approval may be
 * viewed and decided from (`scope.ts`). Copies are added only by our code after it verified who sees
 * them (approvers-group membership from Microsoft Graph, the configured channel); never from card data.
 */

/** One posted copy of the approval card. */
export interface CardCopy {
  kind: 'requester' | 'approver' | 'channel' | 'list';
  conversationId: string;
  /** The Teams activity id of the card (what the connector's update replaces). */
  activityId: string;
  /** The connector the copy was posted through. */
  serviceUrl: string;
  /** For an approver's 1:1 copy or a `requests` list: whose chat it is (display only). */
  viewer?: { objectId: string; name: string };
}

/** A member of the approvers group the card could not be brought to, and why (shown to the requester). */
export interface Unreachable {
  name: string;
  reason: string;
}

export interface ApprovalDelivery {
  copies: CardCopy[];
  /** Approvers (verified members of the group, not the requester) whose 1:1 chat received the card. */
  approvers: { objectId: string; name: string }[];
  /** True when the card was posted to the approvers' channel. */
  channel: boolean;
  unreachable: Unreachable[];
}

export const EMPTY_DELIVERY: ApprovalDelivery = { copies: [], approvers: [], channel: false, unreachable: [] };

/** The thread part of a Teams channel conversation id (`19:…@thread.tacv2;messageid=123` → `19:…@thread.tacv2`). */
export function baseConversationId(conversationId: string): string {
  const at = conversationId.indexOf(';messageid=');
  return at === -1 ? conversationId : conversationId.slice(0, at);
}

/**
 * True when the card was delivered to this conversation. A channel copy is a root post, so a click on
 * it arrives with the channel id, or with `;messageid=<the copy's activity id>` (its own thread).
 */
export function isDeliveredTo(delivery: ApprovalDelivery | undefined, conversationId: string): boolean {
  if (!delivery) return false;
  return delivery.copies.some((copy) => {
    if (copy.conversationId === conversationId) return true;
    return copy.kind === 'channel' && `${copy.conversationId};messageid=${copy.activityId}` === conversationId;
  });
}

/** Adds copies (deduplicated by activity id) and merges what was learnt about approvers. */
export function withCopies(delivery: ApprovalDelivery | undefined, add: Partial<ApprovalDelivery>): ApprovalDelivery {
  const base = delivery ?? EMPTY_DELIVERY;
  const known = new Set(base.copies.map((c) => c.activityId));
  const copies = [...base.copies, ...(add.copies ?? []).filter((c) => !known.has(c.activityId))];
  const approverIds = new Set(base.approvers.map((a) => a.objectId));
  const approvers = [...base.approvers, ...(add.approvers ?? []).filter((a) => !approverIds.has(a.objectId))];
  return { copies, approvers, channel: base.channel || (add.channel ?? false), unreachable: add.unreachable ?? base.unreachable };
}

/** When no approver has a chat with the bot yet: how one finds the request (read by the requester and by the approver alike). */
export const NOBODY_REACHED_ADVICE = 'A member of the approvers group finds it by sending "requests" to the bot.';

/** "Who can approve", for the requester's card. */
export function whoCanApprove(delivery: ApprovalDelivery | undefined): string {
  if (!delivery) return '';
  const reached = [...delivery.approvers.map((a) => a.name), ...(delivery.channel ? ['the approvers channel'] : [])];
  const sentTo = reached.length > 0 ? `Sent for approval to ${reached.join(', ')}.` : `No approver could be reached yet. ${NOBODY_REACHED_ADVICE}`;
  const missed = delivery.unreachable.map((u) => `${u.name} (${u.reason})`);
  return missed.length > 0 ? `${sentTo} Unreachable: ${missed.join('; ')}.` : sentTo;
}
