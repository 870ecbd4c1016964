/**
 * Signing in again from an Adaptive Card action (Universal Actions SSO). When an approval cannot
 * run because the requester's sign-in has lapsed, the click is answered with a `loginRequest` (401);
 * Teams gets a fresh SSO token and sends the same action again with `value.authentication.token`,
 * which is validated for the sender and exchanged (OBO) before the action runs. A click that already
 * carried a token never gets another `loginRequest`, so a sign-in that cannot succeed (MFA, consent)
 * ends with a message instead of a loop. Until then the request stays pending.
 */
import type { TurnContext } from 'botbuilder';
import type { DecisionResult } from '../../src/agents/ports';
import { isRequester } from '../../src/approvals';
import type { RequestContext } from '../../src/context/request-context';
import { USER_MESSAGES, type ErrorCode } from '../../src/errors';
import type { ApprovalRecord } from '../../src/persistence/ports';
import { type AdaptiveCard, renderApprovalCard } from '../present/render';
import type { BotDeps } from '../turns/deps';
import { type CardActionResponse, cardResponse } from '../turns/invoke';
import { exchangeIdFor, signInLinkFor } from './auth';

/** Lapsed sign-ins that a fresh Teams SSO token can fix (consent and outages cannot). */
const FIXED_BY_SIGNING_IN: ReadonlySet<ErrorCode> = new Set<ErrorCode>(['AUTH.SIGN_IN_REQUIRED', 'AUTH.INTERACTION_REQUIRED', 'AUTH.ASSERTION_EXPIRED']);

export type SignInRefusal = Extract<DecisionResult, { kind: 'refused' }> & { approval: ApprovalRecord };

/** The SSO token Teams attached to a re-sent card action, if any. */
export function presentedToken(turn: TurnContext): string | undefined {
  const authentication = (turn.activity.value as { authentication?: { token?: unknown } } | undefined)?.authentication;
  return typeof authentication?.token === 'string' && authentication.token !== '' ? authentication.token : undefined;
}

/**
 * A decision refused because nobody could get the requester's Databricks token (the only `AUTH.*`
 * refusal): nothing was claimed or run. The request is pending, or approved and waiting to be
 * settled after a crash; either way a fresh sign-in and the same click carry it on.
 */
export function isSignInRefusal(result: DecisionResult): result is SignInRefusal {
  return result.kind === 'refused' && result.code.startsWith('AUTH.') && result.approval !== undefined;
}

/** True when the clicker is the requester and Teams can fix it by handing us a fresh SSO token. */
export function shouldAskTeamsToSignIn(result: SignInRefusal, ctx: RequestContext, alreadyPresented: boolean): boolean {
  return !alreadyPresented && isRequester(result.approval, ctx.user) && FIXED_BY_SIGNING_IN.has(result.code);
}

export function loginRequestResponse(ctx: RequestContext, deps: BotDeps): CardActionResponse {
  const exchangeId = exchangeIdFor(ctx.user.objectId, undefined);
  const link = signInLinkFor(deps, exchangeId);
  return {
    statusCode: 401,
    type: 'application/vnd.microsoft.activity.loginRequest',
    value: {
      text: 'Please sign in again so I can run this change as you.',
      connectionName: '',
      tokenExchangeResource: { id: exchangeId, uri: deps.config.identity.appIdUri },
      buttons: [{ type: 'signin', title: 'Sign in', text: 'Sign in', value: link }],
    },
  };
}

/** What the clicker reads when the request cannot run yet; the buttons stay for those allowed to use them. */
export function stillPendingNote(result: SignInRefusal, ctx: RequestContext): string {
  const still = result.approval.status === 'pending' ? 'The request is still waiting for approval.' : 'The change has not run yet.';
  if (isRequester(result.approval, ctx.user)) return `${USER_MESSAGES[result.code]} ${still}`;
  return `${result.approval.requester.name} has to sign in to me again before this change can run as them. ${still}`;
}

/** The clicker's own view of the still-pending request (they passed the approval checks, so they keep the buttons). */
export function stillPendingCard(result: SignInRefusal, ctx: RequestContext, clickerMri: string): AdaptiveCard {
  return renderApprovalCard({ approval: result.approval, viewer: 'actor', refreshUserIds: ctx.conversation.kind === 'personal' ? [] : [clickerMri], note: stillPendingNote(result, ctx) });
}

/** What everyone in the chat sees meanwhile: in group chats and channels no buttons on the shared card, a refresh for the clicker. */
export function stillPendingSharedCard(result: SignInRefusal, ctx: RequestContext, clickerMri: string): AdaptiveCard {
  if (ctx.conversation.kind === 'personal') return stillPendingCard(result, ctx, clickerMri);
  return renderApprovalCard({ approval: result.approval, viewer: 'readonly', refreshUserIds: [clickerMri], note: 'Waiting for a sign-in before this change can run.' });
}

export function stillPendingResponse(result: SignInRefusal, ctx: RequestContext, clickerMri: string): CardActionResponse {
  return cardResponse(stillPendingCard(result, ctx, clickerMri));
}
