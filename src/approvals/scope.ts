/**
 * An approval belongs to the tenant and the conversation it was requested in. Its id travels on a
 * card that anyone in that chat can copy, so seeing it (refresh), approving and rejecting it are
 * allowed only from the same tenant and the same conversation (a channel thread included). Used
 * anywhere else, the id is refused before anything of the record is shown (the agents audit it).
 * The conversations our code delivered the card to (an approver's 1:1 chat, the approvers' channel:
 * `delivery.ts`) count as where it was requested; the list of them is stored, never read from a card.
 */
import type { RequestContext } from '../context/request-context';
import { isDeliveredTo } from './delivery';
import type { ApprovalRecord } from './record';

export type ApprovalAction = 'view' | 'approve' | 'reject';

/** Undefined when `ctx` is where the approval was requested; else what differs. */
export function approvalScopeRefusal(
  record: Pick<ApprovalRecord, 'conversationId' | 'requester' | 'delivery'>,
  ctx: Pick<RequestContext, 'user' | 'conversation'>,
): 'tenant' | 'conversation' | undefined {
  if (record.requester.tenantId !== ctx.user.tenantId) return 'tenant';
  if (record.conversationId !== ctx.conversation.id && !isDeliveredTo(record.delivery, ctx.conversation.id)) return 'conversation';
  return undefined;
}
