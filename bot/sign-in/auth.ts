import { randomUUID } from 'node:crypto';
import { CardFactory } from 'botbuilder';
import type { HostTurn, RouteTable } from '../turns/host-turn';
import type { RequestContext } from '../../src/context/request-context';
import { AppError, toAppError } from '../../src/errors';
import { renderChannelSignInCard } from '../present/render';
import type { BotDeps } from '../turns/deps';
import { sendInvokeResponse } from '../turns/invoke';
import { requestContextOf } from '../turns/turn-context';
import { startAgentTurn } from '../routes/background-turn';
import { parseCommand } from '../routes/commands';
import { cardActivity } from '../routes/present';
import { isSessionCommand, startSessionCommand } from '../routes/session-commands';

/**
 * Teams SSO without the teams-ai authentication module: our IdentityService validates the token,
 * runs OBO once and stores the result in the user's own cache partition. The exchange id carries the
 * asker's object id and the message to replay, so any instance can finish the flow without state.
 * Each sender's exchange of a card is handled once (Teams may send it more than once).
 */
export function registerAuthRoutes(app: RouteTable, deps: BotDeps): void {
  app.addRoute(invokeNamed('signin/tokenExchange'), (turn) => onTokenExchange(turn, deps), true);
  app.addRoute(invokeNamed('signin/verifyState'), (turn) => onVerifyState(turn, deps), true);
}

/** Personal and group chats get an SSO OAuthCard; channels are told to sign in once in a 1:1 chat. */
export async function askToSignIn(turn: HostTurn, ctx: RequestContext, deps: BotDeps, pendingText: string | undefined): Promise<void> {
  if (ctx.conversation.kind === 'channel') {
    await turn.sendActivity(cardActivity(renderChannelSignInCard({ botAppId: deps.config.bot.appId, userName: ctx.user.displayName })));
    return;
  }
  await turn.sendActivity({ attachments: [oauthCard(deps, exchangeIdFor(ctx.user.objectId, pendingText))] });
}

async function onTokenExchange(turn: HostTurn, deps: BotDeps): Promise<void> {
  const value = (turn.activity.value ?? {}) as { id?: unknown; token?: unknown };
  const id = typeof value.id === 'string' ? value.id : '';
  if (id === '' || typeof value.token !== 'string' || value.token === '') {
    return sendInvokeResponse(turn, 400, { id, failureDetail: 'The token exchange request has no id or token.' });
  }
  // One exchange per card and sender: in a group chat every member's Teams client may exchange the
  // asker's card, and another member coming first must not use up the asker's exchange.
  const sender = turn.activity.from?.aadObjectId ?? '';
  if (!(await deps.dedupe.claim(`signin:${id}:${sender}`))) return sendInvokeResponse(turn, 200, { id, failureDetail: '' });
  try {
    const ctx = requestContextOf(turn, deps.logger);
    await signInAs(ctx, value.token, deps);
    await sendInvokeResponse(turn, 200, { id, failureDetail: '' });
    await afterSignIn(turn, ctx, deps, decodeExchangeId(id));
  } catch (error) {
    const appError = toAppError(error);
    await sendInvokeResponse(turn, 412, { id, failureDetail: appError.userMessage });
    throw appError;
  }
}

/** Validates a Teams SSO token for the activity's sender and runs OBO into their cache partition. */
export async function signInAs(ctx: RequestContext, token: string, deps: BotDeps): Promise<void> {
  const claims = await deps.identity.validateSsoToken(token);
  if (claims.objectId !== ctx.user.objectId || claims.tenantId !== ctx.user.tenantId) {
    throw new AppError('AUTH.USER_MISMATCH', 'SSO token subject differs from the activity sender', { details: { tokenOid: claims.objectId } });
  }
  await deps.identity.signIn(token);
  ctx.logger.info('signed in');
}

async function afterSignIn(turn: HostTurn, ctx: RequestContext, deps: BotDeps, pending: Pending | undefined): Promise<void> {
  if (pending && pending.objectId === ctx.user.objectId && pending.text) {
    // `space` / `history` / `requests` typed before sign-in are commands, not questions: replay them as such.
    const command = parseCommand(pending.text);
    if (isSessionCommand(command)) return startSessionCommand(turn, ctx, deps, command);
    return startAgentTurn(turn, ctx, deps, pending.text);
  }
  await turn.sendActivity('You are signed in. What would you like to know?');
}

async function onVerifyState(turn: HostTurn, deps: BotDeps): Promise<void> {
  const ctx = requestContextOf(turn, deps.logger);
  const state = (turn.activity.value as { state?: unknown } | undefined)?.state;
  const pending = typeof state === 'string' ? decodeExchangeId(state) : undefined;
  await sendInvokeResponse(turn, 200);
  const text = pending?.objectId === ctx.user.objectId ? pending.text : undefined;
  await turn.sendActivity({ attachments: [oauthCard(deps, exchangeIdFor(ctx.user.objectId, text))] });
}

function oauthCard(deps: BotDeps, exchangeId: string): ReturnType<typeof CardFactory.oauthCard> {
  return CardFactory.oauthCard('', 'Sign in', 'Please sign in so I can query Databricks as you.', signInLinkFor(deps, exchangeId), {
    id: exchangeId,
    uri: deps.config.identity.appIdUri,
  });
}

/** The sign-in page Teams opens when SSO cannot be done silently (the exchange id travels with it). */
export function signInLinkFor(deps: BotDeps, exchangeId: string): string {
  const { identity } = deps.config;
  const link = new URL(identity.signInLink);
  link.searchParams.set('scope', `${identity.appIdUri}/access_as_user`);
  link.searchParams.set('clientId', identity.clientId);
  link.searchParams.set('tenantId', identity.tenantId);
  link.searchParams.set('pending', exchangeId);
  return link.toString();
}

interface Pending {
  objectId: string;
  text: string | undefined;
}

const PENDING_TEXT_MAX = 2000;

/** `<uuid>~<oid>~<base64url text>`: unique per card (the dedupe key) and self-describing. */
export function exchangeIdFor(objectId: string, text: string | undefined): string {
  const payload = text ? Buffer.from(text.slice(0, PENDING_TEXT_MAX), 'utf8').toString('base64url') : '';
  return `${randomUUID()}~${objectId}~${payload}`;
}

export function decodeExchangeId(id: string): Pending | undefined {
  const match = /^[0-9a-f-]{36}~([0-9a-fA-F-]{1,64})~([A-Za-z0-9_-]*)$/.exec(id);
  if (!match) return undefined;
  const text = match[2] ? Buffer.from(match[2], 'base64url').toString('utf8') : undefined;
  return { objectId: match[1] as string, text };
}

function invokeNamed(name: string): (turn: HostTurn) => Promise<boolean> {
  return async (turn) => turn.activity.type === 'invoke' && turn.activity.name === name;
}
