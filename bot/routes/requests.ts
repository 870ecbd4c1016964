import { type Activity, MessageFactory } from 'botbuilder';
import type { HostTurn } from '../turns/host-turn';
import { auditListedCopy, listMyRequests, type MyRequests } from '../../src/agents/my-requests';
import type { RequestContext } from '../../src/context/request-context';
import type { ApprovalRecord } from '../../src/persistence/ports';
import { renderApprovalCard } from '../present/render';
import { saveDelivery } from '../delivery/deliver';
import type { BotDeps } from '../turns/deps';
import { startBackground } from './background-turn';
import { cardActivity } from './present';

/**
 * `requests` (issue 17 item 7): the asker's own change requests, newest first, each as its card
 * re-rendered from the stored record (a snapshot, no buttons), and for a verified approver those
 * waiting for them, each as a card with Approve/Reject that is stored as a copy of the approval (so a
 * click here is in scope and the card is updated with the decision). SQL is personal: outside a 1:1
 * chat the answer goes to the asker's 1:1 chat and the conversation only gets a note.
 */
export function startRequestsTurn(turn: HostTurn, ctx: RequestContext, deps: BotDeps): void {
  startBackground(turn, ctx, deps, 'requests', async (proactive) => {
    const reach = deps.approvalReach;
    if (!reach) return void (await proactive.sendActivity(MessageFactory.text('Listing requests is not available here.')));
    const listing = await listMyRequests({ approvals: reach.approvals, index: reach.index, isApprover: reach.isApprover, audit: reach.audit, now: reach.now }, ctx);
    if (ctx.conversation.kind === 'personal') return postListing(proactive, ctx, deps, listing);
    await deps.continuePersonalChat(proactive, (chat) => postListing(chat, ctx, deps, listing));
    await proactive.sendActivity(MessageFactory.text(`${ctx.user.displayName}, I sent your requests to our 1:1 chat, where only you can see them.`));
  });
}

async function postListing(chat: HostTurn, ctx: RequestContext, deps: BotDeps, listing: MyRequests): Promise<void> {
  await chat.sendActivity(MessageFactory.text(summary(listing)));
  if (listing.mine.length > 0) {
    const cards = listing.mine.map((approval) => cardActivity(renderApprovalCard({ approval, viewer: 'readonly', refreshUserIds: [] })).attachments ?? []);
    await chat.sendActivity({ type: 'message', attachmentLayout: 'list', attachments: cards.flat() } satisfies Partial<Activity>);
  }
  const reach = deps.approvalReach;
  if (!reach) return;
  for (const approval of listing.awaiting) {
    const sent = await chat.sendActivity(cardActivity(renderApprovalCard({ approval, viewer: 'actor', refreshUserIds: [] })));
    if (!sent?.id) continue;
    await saveDelivery(reach, approval, { copies: [{ kind: 'list', conversationId: chat.activity.conversation.id, activityId: sent.id, serviceUrl: chat.activity.serviceUrl, viewer: { objectId: ctx.user.objectId, name: ctx.user.displayName } }] });
    await auditListedCopy(reach, ctx, approval, sent.id);
  }
}

function summary(listing: MyRequests): string {
  const lines = [listing.mine.length === 0 ? 'You have no change requests.' : `Your change requests, newest first (${listing.mine.length}${listing.older ? ', older ones not shown' : ''}):`];
  lines.push(...listing.mine.map(line));
  if (listing.awaiting.length > 0) {
    lines.push('', `Waiting for your approval: ${listing.awaiting.length} (cards below).`);
  } else if (listing.approver === 'member') {
    lines.push('', 'Nothing is waiting for your approval.');
  } else if (listing.approver === 'unverified') {
    lines.push('', 'I could not verify your approvers-group membership with Microsoft Graph, so requests waiting for an approver are not shown. Try again shortly.');
  }
  return lines.join('\n');
}

function line(a: ApprovalRecord): string {
  const rows = a.rowsAffected !== undefined ? `, ${a.rowsAffected} rows changed` : '';
  const by = a.decidedBy ? `, ${a.status === 'rejected' ? 'rejected' : 'approved'} by ${a.decidedBy.name}` : '';
  return `- ${a.createdAt} **${a.status}**: ${a.operation} on ${a.targetTables.join(', ')} (${a.impact.description})${by}${rows}`;
}
