import { type TurnContext, TurnContext as TC } from 'botbuilder';
import type { DecisionResult } from '../../src/agents/ports';
import { isRequester, mayTryToDecide } from '../../src/approvals';
import { USER_MESSAGES } from '../../src/errors';
import type { ApprovalRecord } from '../../src/persistence/ports';
import { type AdaptiveCard, renderApprovalCard } from '../present/render';
import type { BotDeps } from '../turns/deps';
import { type CardActionResponse, badRequestResponse, cardResponse, messageResponse } from '../turns/invoke';
import { CORRELATION_ID_KEY, requestContextOf, userDatabricksFactory } from '../turns/turn-context';
import { type CardData, idField } from './card-data';
import { askToSignIn, signInAs } from '../sign-in/auth';
import { isSignInRefusal, loginRequestResponse, presentedToken, shouldAskTeamsToSignIn, stillPendingResponse, stillPendingSharedCard } from '../sign-in/card-sign-in';
import { cardActivity } from './present';
import { updateEveryCopy } from '../delivery/update-copies';

const DEFAULT_INVOKE_BUDGET_MS = 3500;

/**
 * Approve/Reject. Identity comes from the activity; the card carries only the approval id. The
 * invoke is answered within the budget: a decision still running gets an "executing…" card and the
 * card is updated in place for everyone when it finishes. A click that Teams re-sent with a fresh
 * SSO token (after our `loginRequest`) signs the clicker in first.
 */
export async function onDecision(turn: TurnContext, data: CardData, decision: 'approve' | 'reject', deps: BotDeps): Promise<CardActionResponse> {
  const id = idField(data, 'approvalId');
  if (!id.ok) return badRequestResponse(id.message);
  const ctx = requestContextOf(turn, deps.logger);
  const token = presentedToken(turn);
  if (token) await signInAs(ctx, token, deps);
  const pending = deps.agents.decide(ctx, userDatabricksFactory(deps.identity, deps.buildDatabricks), id.value, decision);
  if (await settlesWithin(pending, deps.invokeBudgetMs ?? DEFAULT_INVOKE_BUDGET_MS)) {
    const result = await pending;
    if (!isSignInRefusal(result)) return applyOutcome(turn, result, deps);
    return shouldAskTeamsToSignIn(result, ctx, token !== undefined) ? loginRequestResponse(ctx, deps) : stillPendingResponse(result, ctx, turn.activity.from.id);
  }
  const reference = TC.getConversationReference(turn.activity);
  const cardId = turn.activity.replyToId;
  const clickerMri = turn.activity.from.id;
  void deps.background.start('approval-decision', () =>
    deps.continueConversation(reference, async (proactive) => {
      proactive.turnState.set(CORRELATION_ID_KEY, ctx.correlationId);
      const result = await pending;
      if (isSignInRefusal(result)) {
        if (cardId) await proactive.updateActivity({ ...cardActivity(stillPendingSharedCard(result, ctx, clickerMri)), id: cardId });
        if (shouldAskTeamsToSignIn(result, ctx, token !== undefined)) await askToSignIn(proactive, ctx, deps, undefined);
        return;
      }
      const outcome = outcomeOf(result);
      if (cardId && outcome.card) await proactive.updateActivity({ ...cardActivity(outcome.card), id: cardId });
      if (outcome.card && decided(result)) await updateEveryCopy(deps, result.approval, outcome.card, cardId);
    }),
  );
  const current = await deps.agents.viewApproval(ctx, id.value);
  if (!current.ok) return messageResponse('Running the change…');
  return cardResponse(renderApprovalCard({ approval: current.approval, viewer: 'readonly', refreshUserIds: [], note: 'Running the change…' }));
}

export async function onApprovalRefresh(turn: TurnContext, data: CardData, deps: BotDeps): Promise<CardActionResponse> {
  const id = idField(data, 'approvalId');
  if (!id.ok) return badRequestResponse(id.message);
  const ctx = requestContextOf(turn, deps.logger);
  const lookup = await deps.agents.viewApproval(ctx, id.value);
  if (!lookup.ok) return messageResponse(USER_MESSAGES[lookup.code]);
  const { approval } = lookup;
  const viewer = mayTryToDecide(approval, ctx.user) ? 'actor' : 'readonly';
  return cardResponse(renderApprovalCard({ approval, viewer, refreshUserIds: isRequester(approval, ctx.user) ? [turn.activity.from.id] : [] }));
}

interface Outcome {
  card: AdaptiveCard | undefined;
  /** True when the whole chat should see the new state (decided, expired); false for a refused clicker. */
  forEveryone: boolean;
  message: string | undefined;
}

async function applyOutcome(turn: TurnContext, result: DecisionResult, deps: BotDeps): Promise<CardActionResponse> {
  const outcome = outcomeOf(result);
  if (!outcome.card) return messageResponse(outcome.message ?? USER_MESSAGES['APPROVAL.NOT_FOUND']);
  const cardId = turn.activity.replyToId;
  if (outcome.forEveryone && cardId) await turn.updateActivity({ ...cardActivity(outcome.card), id: cardId });
  if (decided(result)) await updateEveryCopy(deps, result.approval, outcome.card, cardId);
  return cardResponse(outcome.card);
}

/** Only the click that decided (or found the request expired) updates every copy; a refused click changes only its own view. */
function decided(result: DecisionResult): result is Extract<DecisionResult, { approval: ApprovalRecord }> {
  if (result.kind === 'refused') return result.code === 'APPROVAL.EXPIRED' && result.approval !== undefined;
  return true;
}

function outcomeOf(result: DecisionResult): Outcome {
  switch (result.kind) {
    case 'executed':
    case 'rejected':
      return { card: finalCard(result.approval), forEveryone: true, message: undefined };
    case 'failed':
      return { card: finalCard(result.approval, result.message), forEveryone: true, message: result.message };
    case 'refused': {
      const message = USER_MESSAGES[result.code];
      if (!result.approval) return { card: undefined, forEveryone: false, message };
      const shared = result.code === 'APPROVAL.ALREADY_DECIDED' || result.code === 'APPROVAL.EXPIRED';
      if (result.code === 'APPROVAL.MEMBERSHIP_UNVERIFIED') {
        // Membership could not be checked (Graph down): nothing was decided, so the clicker keeps the buttons to try again.
        return { card: renderApprovalCard({ approval: result.approval, viewer: 'actor', refreshUserIds: [], note: message }), forEveryone: false, message };
      }
      return { card: finalCard(result.approval, message), forEveryone: shared, message };
    }
  }
}

function finalCard(approval: ApprovalRecord, note?: string): AdaptiveCard {
  return renderApprovalCard({ approval, viewer: 'readonly', refreshUserIds: [], note });
}

async function settlesWithin(promise: Promise<unknown>, ms: number): Promise<boolean> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<false>((resolve) => {
    timer = setTimeout(() => resolve(false), ms);
  });
  const settled = promise.then(
    () => true as const,
    () => true as const,
  );
  const done = await Promise.race([settled, timeout]);
  clearTimeout(timer);
  return done;
}
