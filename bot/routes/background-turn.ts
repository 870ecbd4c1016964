import { type Activity, MessageFactory, TurnContext } from 'botbuilder';
import type { HostTurn } from '../turns/host-turn';
import type { MessageClaim, UserDatabricksFactory } from '../../src/agents/ports';
import type { RequestContext } from '../../src/context/request-context';
import { AppError } from '../../src/errors';
import type { TurnSession } from '../../src/identity/ports';
import type { BotDeps } from '../turns/deps';
import { startProgress } from '../turns/progress';
import { CORRELATION_ID_KEY, userDatabricksFactory } from '../turns/turn-context';
import { watchCardId } from '../delivery/card-id';
import { deliverToApprovers, recordRequesterCopy } from '../delivery/deliver';
import { presentTurnResult } from './present';

/**
 * Runs `work` after the HTTP request was answered, in a proactive turn of the same conversation
 * (a channel thread keeps its `;messageid=`). Errors thrown by `work` reach `onTurnError`.
 */
export function startBackground(turn: HostTurn, ctx: RequestContext, deps: BotDeps, name: string, work: (proactive: HostTurn) => Promise<void>): void {
  if (!deps.background.isAccepting) throw new AppError('INTERNAL.UNEXPECTED', 'Shutting down; not accepting new work');
  const reference = TurnContext.getConversationReference(turn.activity);
  const repliesTo = turn.activity.id;
  void deps.background.start(name, () =>
    deps.continueConversation(reference, async (proactive) => {
      proactive.turnState.set(CORRELATION_ID_KEY, ctx.correlationId);
      if (repliesTo) replyTo(proactive, repliesTo);
      await work(proactive);
    }),
  );
}

/**
 * A proactive turn's replies would name its synthetic continuation activity as what they reply to;
 * they answer the user's message, so they say so (Teams and transcripts pair question and answer).
 */
function replyTo(proactive: HostTurn, activityId: string): void {
  proactive.onSendActivities(async (_context, activities, next) => {
    for (const activity of activities) activity.replyToId = activityId;
    return next();
  });
}

/** Sends `text` to the agents as the turn's user, with progress, and posts the result. */
export function startAgentTurn(turn: HostTurn, ctx: RequestContext, deps: BotDeps, text: string, session?: TurnSession, claim?: MessageClaim, space?: Promise<string>): void {
  const askerMri = turn.activity.from.id;
  startBackground(turn, ctx, deps, 'agent-turn', async (proactive) => {
    const progress = await startProgress(proactive, ctx.conversation.kind, `Working on ${ctx.user.displayName}'s request`, 'Thinking…', {
      ...(deps.config.local?.streamLimitMs ? { streamLimitMs: deps.config.local.streamLimitMs } : {}),
      ...(deps.chatStreams && ctx.conversation.kind === 'personal' ? { slot: deps.chatStreams.slot(ctx.conversation.id) } : {}),
      onSendError: (err, what) => ctx.logger.warn({ err, what }, 'streaming send refused; the answer is kept'),
    });
    const spaceId = await (space ?? deps.spaces.turnSpaceId(ctx));
    const databricks = inSpace(userDatabricksFactory(deps.identity, deps.buildDatabricks, session), spaceId);
    let result = await deps.agents.handleMessage(ctx, databricks, text, { onProgress: (t) => progress.update(t) }, claim);
    ctx.logger.info({ result: result.kind }, 'turn answered');
    if (result.kind === 'approval-requested') result = { ...result, approval: await deliverToApprovers(proactive, ctx, deps, result.approval) };
    const reply = presentTurnResult(result, { ctx, askerMri, rowCap: deps.config.results.rowCap, results: deps.results });
    const cardId = watchCardId(proactive);
    await progress.finish(result.kind === 'memories' ? await toAskerOnly(proactive, ctx, deps, reply) : reply);
    if (result.kind === 'approval-requested') await recordRequesterCopy(proactive, deps, result.approval, cardId());
  });
}

/** The user's Databricks clients with Genie bound to the conversation's space (already re-checked as them). */
function inSpace(factory: UserDatabricksFactory, spaceId: string): UserDatabricksFactory {
  return (user) => {
    const db = factory(user);
    const tables = db.spaceTables?.bind(db);
    return {
      ...db,
      spaceId,
      genie: (id?: string) => db.genie(id ?? spaceId),
      genieResults: (id?: string) => db.genieResults(id ?? spaceId),
      genieFeedback: (id?: string) => db.genieFeedback(id ?? spaceId),
      ...(tables ? { spaceTables: (id?: string) => tables(id ?? spaceId) } : {}),
    };
  };
}

/** Runs a quick command in the background and posts its one reply (a personal one only to the asker). */
export function startCommandTurn(turn: HostTurn, ctx: RequestContext, deps: BotDeps, run: () => Promise<Partial<Activity>>, personal = false): void {
  startBackground(turn, ctx, deps, 'command', async (proactive) => {
    const reply = await run();
    await proactive.sendActivity(personal ? await toAskerOnly(proactive, ctx, deps, reply) : reply);
  });
}

/**
 * Personal output (what the bot remembers about someone) is for the asker only: in a group chat or a
 * channel it goes to the asker's 1:1 chat with the bot, and the chat only gets a note saying so.
 * Returns what to post in the conversation. `proactive` is the background turn (the inbound turn is
 * revoked once its HTTP request is answered); its activity names the asker and the conversation's tenant.
 */
async function toAskerOnly(proactive: HostTurn, ctx: RequestContext, deps: BotDeps, reply: Partial<Activity>): Promise<Partial<Activity>> {
  if (ctx.conversation.kind === 'personal') return reply;
  await deps.continuePersonalChat(proactive, async (chat) => void (await chat.sendActivity(reply)));
  ctx.logger.info('personal answer sent to the 1:1 chat');
  return MessageFactory.text(`${ctx.user.displayName}, I sent my answer to our 1:1 chat, where only you can see it.`);
}
