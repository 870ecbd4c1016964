import { type Activity, MessageFactory } from 'botbuilder';
import type { HostTurn } from '../turns/host-turn';
import { auditListedCopy, listMyRequests, listOlderRequests, type MyRequests, type MyRequestsPage } from '../../src/agents/my-requests';
import { parseRequestsCursor } from '../../src/agents/requests-cursor';
import type { RequestContext } from '../../src/context/request-context';
import { renderApprovalCard } from '../present/render';
import { olderRequestsSummary, renderOlderRequestsCard, requestsSummary } from '../present/requests-list';
import { saveDelivery } from '../delivery/deliver';
import type { BotDeps } from '../turns/deps';
import { type CardActionResponse, badRequestResponse, messageResponse } from '../turns/invoke';
import { requestContextOf } from '../turns/turn-context';
import { startBackground } from './background-turn';
import type { CardData } from './card-data';
import { cardActivity } from './present';

const NOT_AVAILABLE = 'Listing requests is not available here.';

/**
 * `requests` (issue 17 item 7): the asker's own change requests, newest first, each as its card
 * re-rendered from the stored record (a snapshot, no buttons), and for a verified approver those
 * waiting for them, each as a card with Approve/Reject that is stored as a copy of the approval (so a
 * click here is in scope and the card is updated with the decision). SQL is personal: outside a 1:1
 * chat the answer goes to the asker's 1:1 chat and the conversation only gets a note. A page of
 * one's own requests with older ones ends with "Show older requests" (`onRequestsOlder`).
 */
export function startRequestsTurn(turn: HostTurn, ctx: RequestContext, deps: BotDeps): void {
  startBackground(turn, ctx, deps, 'requests', async (proactive) => {
    const reach = deps.approvalReach;
    if (!reach) return void (await proactive.sendActivity(MessageFactory.text(NOT_AVAILABLE)));
    const listing = await listMyRequests({ approvals: reach.approvals, index: reach.index, isApprover: reach.isApprover, audit: reach.audit, now: reach.now }, ctx);
    if (ctx.conversation.kind === 'personal') return postListing(proactive, ctx, deps, listing);
    await deps.continuePersonalChat(proactive, (chat) => postListing(chat, ctx, deps, listing));
    await proactive.sendActivity(MessageFactory.text(`${ctx.user.displayName}, I sent your requests to our 1:1 chat, where only you can see them.`));
  });
}

/**
 * "Show older requests". The card data is only a cursor (validated, else 400); who is listed comes
 * from the validated activity, so a click on someone else's button, or forged data, lists the
 * clicker's own older requests. The page goes to the clicker's 1:1 chat, as the first listing does.
 */
export async function onRequestsOlder(turn: HostTurn, data: CardData, deps: BotDeps): Promise<CardActionResponse> {
  const cursor = parseRequestsCursor(data);
  if (!cursor.ok) return badRequestResponse(cursor.message);
  const reach = deps.approvalReach;
  if (!reach) return messageResponse(NOT_AVAILABLE);
  const ctx = requestContextOf(turn, deps.logger);
  const personal = ctx.conversation.kind === 'personal';
  startBackground(turn, ctx, deps, 'requests-older', async (proactive) => {
    const page = await listOlderRequests(reach, ctx, cursor.value);
    const post = async (chat: HostTurn): Promise<void> => {
      await chat.sendActivity(MessageFactory.text(olderRequestsSummary(page)));
      await postMine(chat, page);
    };
    if (personal) return post(proactive);
    await deps.continuePersonalChat(proactive, post);
  });
  return messageResponse(personal ? 'Listing your older requests…' : `${ctx.user.displayName}, I am sending your older requests to our 1:1 chat, where only you can see them.`);
}

async function postListing(chat: HostTurn, ctx: RequestContext, deps: BotDeps, listing: MyRequests): Promise<void> {
  await chat.sendActivity(MessageFactory.text(requestsSummary(listing)));
  await postMine(chat, listing);
  const reach = deps.approvalReach;
  if (!reach) return;
  for (const approval of listing.awaiting) {
    const sent = await chat.sendActivity(cardActivity(renderApprovalCard({ approval, viewer: 'actor', refreshUserIds: [] })));
    if (!sent?.id) continue;
    await saveDelivery(reach, approval, { copies: [{ kind: 'list', conversationId: chat.activity.conversation.id, activityId: sent.id, serviceUrl: chat.activity.serviceUrl, viewer: { objectId: ctx.user.objectId, name: ctx.user.displayName } }] });
    await auditListedCopy(reach, ctx, approval, sent.id);
  }
}

/** One's own requests as read-only cards, and the "Show older requests" card last when older ones exist. */
async function postMine(chat: HostTurn, page: MyRequestsPage): Promise<void> {
  if (page.mine.length === 0) return;
  const cards = page.mine.map((approval) => renderApprovalCard({ approval, viewer: 'readonly', refreshUserIds: [] }));
  if (page.older) cards.push(renderOlderRequestsCard(page.older));
  const attachments = cards.flatMap((card) => cardActivity(card).attachments ?? []);
  await chat.sendActivity({ type: 'message', attachmentLayout: 'list', attachments } satisfies Partial<Activity>);
}
