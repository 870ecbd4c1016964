import type { Activity } from 'botbuilder';
import type { ApprovalRecord } from '../../src/persistence/ports';
import type { AdaptiveCard } from '../present/render';
import type { BotDeps } from '../turns/deps';
import { cardActivity } from '../routes/present';
import { referenceTo } from './reach';

/**
 * Once a decision is made, every stored copy of the card (the requester's, each approver's 1:1, the
 * approvers' channel, `requests` lists) shows it: each is replaced through the connector
 * (`PUT /v3/conversations/{id}/activities/{activityId}`), the clicked one excepted (the click's own
 * turn updates it). The record is read again so that copies added after the claim are included. A copy
 * that cannot be updated is logged; the others are still updated.
 */
export async function updateEveryCopy(deps: BotDeps, approval: ApprovalRecord, card: AdaptiveCard, clickedActivityId: string | undefined): Promise<void> {
  const reach = deps.approvalReach;
  if (!reach) return;
  // Copies are stored only for changes that need an approver (`deliver.ts`, `requests.ts`): nothing to read otherwise.
  if (!approval.requiresApprover && !approval.delivery) return;
  const latest = (await reach.approvals.get(approval.id)) ?? approval;
  const copies = (latest.delivery?.copies ?? []).filter((c) => c.activityId !== clickedActivityId);
  const activity: Partial<Activity> = cardActivity(card);
  const results = await Promise.allSettled(
    copies.map((copy) =>
      deps.continueConversation(
        referenceTo({ conversationId: copy.conversationId, serviceUrl: copy.serviceUrl, tenantId: latest.requester.tenantId, kind: copy.kind === 'channel' ? 'channel' : 'personal' }, reach.botId),
        async (proactive) => void (await proactive.updateActivity({ ...activity, id: copy.activityId })),
      ),
    ),
  );
  results.forEach((result, i) => {
    if (result.status === 'rejected') deps.logger.warn({ err: result.reason, approvalId: approval.id, copy: copies[i]?.kind }, 'a copy of the approval card could not be updated');
  });
}
