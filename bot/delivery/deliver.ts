import type { TurnContext } from 'botbuilder';
import { type ApprovalDelivery, type CardCopy, type Unreachable, withCopies } from '../../src/approvals';
import { recordAudit } from '../../src/agents/audit';
import type { RequestContext } from '../../src/context/request-context';
import { hasCode, toAppError } from '../../src/errors';
import type { ApprovalRecord, Principal } from '../../src/persistence/ports';
import type { StoredReference } from '../../src/persistence/conversation-references';
import { renderApprovalCard } from '../present/render';
import type { BotDeps } from '../turns/deps';
import { cardActivity } from '../routes/present';
import { type ApprovalReach, type Destination, referenceTo } from './reach';

/** At most this many 1:1 chats are asked about per request (each is one Graph check). */
const MAX_CANDIDATES = 50;
const SAVE_ATTEMPTS = 4;

/**
 * A four-eyes request leaves the requester's chat (issue 17 item 8): its card goes to the 1:1 chat of
 * every person with a stored 1:1 reference whom Microsoft Graph confirms as a member of the approvers
 * group (the requester excepted), and to the configured approvers' channel. Every copy is stored with
 * the record (so a click there is in scope and a decision updates it) and audited with its activity
 * id and the approver. Returns the record with its delivery, for the requester's card.
 */
export async function deliverToApprovers(turn: TurnContext, ctx: RequestContext, deps: BotDeps, approval: ApprovalRecord): Promise<ApprovalRecord> {
  const reach = deps.approvalReach;
  if (!reach || !approval.requiresApprover || approval.status !== 'pending') return approval;
  try {
    return await deliver(turn, ctx, deps, reach, approval);
  } catch (error) {
    // The request stands (it can still be listed and decided where it was asked); the requester's card says nobody was reached.
    ctx.logger.error({ err: error, approvalId: approval.id }, 'the approval card could not be delivered to the approvers');
    return { ...approval, delivery: { copies: [], approvers: [], channel: false, unreachable: [{ name: 'the approvers', reason: `delivery failed (${toAppError(error).code})` }] } };
  }
}

async function deliver(turn: TurnContext, ctx: RequestContext, deps: BotDeps, reach: ApprovalReach, approval: ApprovalRecord): Promise<ApprovalRecord> {
  const copies: CardCopy[] = [];
  const approvers: { objectId: string; name: string }[] = [];
  const unreachable: Unreachable[] = [];
  const card = cardActivity(renderApprovalCard({ approval, viewer: 'actor', refreshUserIds: [] }));
  const post = async (destination: Destination): Promise<string> => {
    let id: string | undefined;
    await deps.continueConversation(referenceTo(destination, reach.botId), async (proactive) => {
      id = (await proactive.sendActivity(card))?.id;
    });
    if (!id) throw new Error('the connector returned no activity id');
    return id;
  };

  const candidates = (await reach.references.personal(approval.requester.tenantId))
    .filter((r) => r.user && r.user.objectId !== approval.requester.objectId)
    .slice(0, MAX_CANDIDATES);
  for (const candidate of candidates) {
    const person = personOf(candidate);
    let member: boolean;
    try {
      member = await reach.isApprover(person);
    } catch (error) {
      if (!hasCode(error, 'APPROVAL.MEMBERSHIP_UNVERIFIED')) throw error;
      ctx.logger.warn({ err: error, approver: person.objectId }, 'approvers-group membership could not be verified; card not sent');
      unreachable.push({ name: person.name, reason: 'membership could not be verified with Microsoft Graph' });
      continue;
    }
    if (!member) continue;
    try {
      const activityId = await post({ conversationId: candidate.conversationId, serviceUrl: candidate.serviceUrl, tenantId: candidate.tenantId, kind: 'personal' });
      copies.push({ kind: 'approver', conversationId: candidate.conversationId, activityId, serviceUrl: candidate.serviceUrl, viewer: { objectId: person.objectId, name: person.name } });
      approvers.push({ objectId: person.objectId, name: person.name });
      await audited(reach, ctx, approval, activityId, person, `card sent to the 1:1 chat of ${person.name}`);
    } catch (error) {
      ctx.logger.warn({ err: error, approver: person.objectId }, 'the approval card could not be sent to an approver');
      unreachable.push({ name: person.name, reason: `their chat with the bot could not be reached (${toAppError(error).code})` });
    }
  }
  let channel = false;
  if (reach.approversChannelId) {
    const stored = await reach.references.channel(approval.requester.tenantId, reach.approversChannelId);
    const destination: Destination = { conversationId: reach.approversChannelId, serviceUrl: stored?.serviceUrl ?? turn.activity.serviceUrl, tenantId: approval.requester.tenantId, kind: 'channel' };
    try {
      const activityId = await post(destination);
      copies.push({ kind: 'channel', conversationId: destination.conversationId, activityId, serviceUrl: destination.serviceUrl });
      channel = true;
      await audited(reach, ctx, approval, activityId, undefined, 'card posted to the approvers channel');
    } catch (error) {
      ctx.logger.warn({ err: error }, 'the approval card could not be posted to the approvers channel');
      unreachable.push({ name: 'the approvers channel', reason: `it could not be posted to (${toAppError(error).code})` });
    }
  }
  ctx.logger.info({ approvalId: approval.id, approvers: approvers.length, channel, unreachable: unreachable.length }, 'approval card delivered');
  return saveDelivery(reach, approval, { copies, approvers, channel, unreachable });
}

/**
 * Records the requester's own card (posted after the delivery, so it can say who can approve). An
 * approver may have decided in the moment between the two: a decision that finished before the copy
 * was stored never saw it, so the stored status (read by the ETag-checked save) is shown here.
 */
export async function recordRequesterCopy(turn: TurnContext, deps: BotDeps, approval: ApprovalRecord, activityId: string | undefined): Promise<void> {
  const reach = deps.approvalReach;
  if (!reach || !activityId || !approval.requiresApprover) return;
  const copy: CardCopy = { kind: 'requester', conversationId: turn.activity.conversation.id, activityId, serviceUrl: turn.activity.serviceUrl };
  const saved = await saveDelivery(reach, approval, { copies: [copy] });
  if (saved.status !== 'pending') await turn.updateActivity({ ...cardActivity(renderApprovalCard({ approval: saved, viewer: 'readonly', refreshUserIds: [] })), id: activityId });
}

/** Adds copies to the stored record: an ETag-conditional update, reloaded and merged on a conflict. */
export async function saveDelivery(reach: ApprovalReach, approval: ApprovalRecord, add: Partial<ApprovalDelivery>): Promise<ApprovalRecord> {
  let current = approval;
  for (let attempt = 1; ; attempt += 1) {
    try {
      return await reach.approvals.update(current, { delivery: withCopies(current.delivery, add) });
    } catch (error) {
      if (!hasCode(error, 'STORAGE.CONFLICT') || attempt >= SAVE_ATTEMPTS) throw error;
      current = (await reach.approvals.get(approval.id)) ?? current;
    }
  }
}

function personOf(reference: StoredReference): Principal {
  const user = reference.user as NonNullable<StoredReference['user']>;
  return { tenantId: reference.tenantId, objectId: user.objectId, name: user.name };
}

async function audited(reach: ApprovalReach, ctx: RequestContext, approval: ApprovalRecord, activityId: string, approver: Principal | undefined, detail: string): Promise<void> {
  await recordAudit(reach.audit, ctx, 'approval.delivered', {
    outcome: 'ok', approvalId: approval.id, threadId: approval.threadId, activityId, ...(approver ? { approver } : {}), detail,
  }, reach.now());
}
