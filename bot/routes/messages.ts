import { type Activity, ActivityTypes, MessageFactory } from 'botbuilder';
import type { HostTurn, RouteTable } from '../turns/host-turn';
import type { RequestContext } from '../../src/context/request-context';
import { forgotText } from '../../src/commands';
import { AppError } from '../../src/errors';
import type { BotDeps } from '../turns/deps';
import { requestContextOf } from '../turns/turn-context';
import { askToSignIn } from '../sign-in/auth';
import { startAgentTurn, startCommandTurn } from './background-turn';
import { type Command, parseCommand } from './commands';
import { cardActivity } from './present';
import { isSessionCommand, type SessionCommand, startSessionCommand } from './session-commands';
import { welcomeActivity } from './welcome';
import { renderMemoriesCard } from '../present/render';

/** Longest message text the agents get; Teams allows more, but nobody types a question this long. */
export const MAX_MESSAGE_CHARS = 8000;

export function registerMessageRoutes(app: RouteTable, deps: BotDeps): void {
  app.activity(ActivityTypes.Message, (turn) => onMessage(turn, deps));
}

async function onMessage(turn: HostTurn, deps: BotDeps): Promise<void> {
  const ctx = requestContextOf(turn, deps.logger);
  deps.messageRate?.admit(`${ctx.user.tenantId}:${ctx.user.objectId}`);
  const text = (turn.activity.text ?? '').trim();
  const command = parseCommand(text);
  if (!command && text.length <= MAX_MESSAGE_CHARS) return onAgentMessage(turn, ctx, deps, text);
  if (!(await claimActivity(turn, deps))) return ctx.logger.info('redelivered activity ignored');
  if (text.length > MAX_MESSAGE_CHARS) throw new AppError('INPUT.TOO_LARGE', `Message of ${text.length} characters`);
  if (command?.kind === 'help') return startCommandTurn(turn, ctx, deps, () => welcomeActivity(ctx, deps));
  if (isSessionCommand(command)) {
    if (!(await deps.identity.hasSession(ctx.user))) return askToSignIn(turn, ctx, deps, text);
    return startSessionCommand(turn, ctx, deps, command);
  }
  if (command) return startCommandTurn(turn, ctx, deps, () => runCommand(command, ctx, deps), command.kind === 'memory-list' || command.kind === 'forget');
}

/**
 * A message for the agents. Three independent reads at once: the token cache (the session check and
 * the turn's tokens share that one read), the conversation's space, and the claim of the activity
 * together with the thread's lease and head (one write, beside the thread's checkpoints), so a
 * redelivery, on any instance, runs nothing. Without a session the lease is given back and the
 * person is asked to sign in; the question runs after sign-in.
 */
async function onAgentMessage(turn: HostTurn, ctx: RequestContext, deps: BotDeps, text: string): Promise<void> {
  const session = deps.identity.session(ctx.user);
  const spaceId = deps.spaces.turnSpaceId(ctx);
  spaceId.catch(() => undefined); // its error, if any, surfaces in the turn that awaits it
  const claiming = deps.agents.claimMessage(ctx);
  claiming.catch(() => undefined); // awaited below on every path
  let signedIn: boolean;
  try {
    signedIn = await session.hasSession();
  } catch (error) {
    await claiming.then((claim) => claim && deps.agents.releaseClaim(ctx, claim)).catch(() => undefined);
    throw error;
  }
  const claim = await claiming;
  if (!claim) return ctx.logger.info('redelivered activity ignored');
  if (!signedIn) {
    await deps.agents.releaseClaim(ctx, claim);
    return askToSignIn(turn, ctx, deps, text);
  }
  startAgentTurn(turn, ctx, deps, text, session, claim, spaceId);
}

/** Teams redelivers an activity it thinks timed out; only the first delivery (any instance) is handled. */
async function claimActivity(turn: HostTurn, deps: BotDeps): Promise<boolean> {
  const id = turn.activity.id;
  if (!id) return true;
  return deps.dedupe.claim(`activity:${turn.activity.conversation.id}:${id}`);
}

async function runCommand(command: Exclude<Command, { kind: 'help' } | SessionCommand>, ctx: RequestContext, deps: BotDeps): Promise<Partial<Activity>> {
  switch (command.kind) {
    case 'reset':
      await deps.agents.resetThread(ctx);
      return MessageFactory.text('Started a new conversation. What would you like to know?');
    case 'memory-list':
      return cardActivity(renderMemoriesCard(await deps.agents.listMemories(ctx)));
    case 'forget':
      return MessageFactory.text(await forget(command.which, ctx, deps));
    case 'sign-out':
      await deps.identity.signOut(ctx.user);
      return MessageFactory.text('You are signed out. I will ask you to sign in next time.');
  }
}

async function forget(which: number | 'all', ctx: RequestContext, deps: BotDeps): Promise<string> {
  if (which === 'all') {
    return forgotText(await deps.agents.forgetMemory(ctx, 'all'));
  }
  const items = await deps.agents.listMemories(ctx);
  const item = items[which - 1];
  if (!item) return `There is no memory number ${which}. Say "memory" to see the list.`;
  await deps.agents.forgetMemory(ctx, item.key);
  return `Forgot: "${item.text}"`;
}
