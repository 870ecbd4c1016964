import { type Activity, TurnContext } from 'botbuilder';
import type { RequestContext } from '../../src/context/request-context';
import { AppError } from '../../src/errors';
import type { BotDeps } from '../deps';
import { startProgress } from '../progress';
import { CORRELATION_ID_KEY, userDatabricksFactory } from '../turn-context';
import { presentTurnResult } from './present';

/**
 * Runs `work` after the HTTP request was answered, in a proactive turn of the same conversation
 * (a channel thread keeps its `;messageid=`). Errors thrown by `work` reach `onTurnError`.
 */
export function startBackground(turn: TurnContext, ctx: RequestContext, deps: BotDeps, name: string, work: (proactive: TurnContext) => Promise<void>): void {
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
function replyTo(proactive: TurnContext, activityId: string): void {
  proactive.onSendActivities(async (_context, activities, next) => {
    for (const activity of activities) activity.replyToId = activityId;
    return next();
  });
}

/** Sends `text` to the agents as the turn's user, with progress, and posts the result. */
export function startAgentTurn(turn: TurnContext, ctx: RequestContext, deps: BotDeps, text: string): void {
  const askerMri = turn.activity.from.id;
  startBackground(turn, ctx, deps, 'agent-turn', async (proactive) => {
    const progress = await startProgress(proactive, ctx.conversation.kind, `Working on ${ctx.user.displayName}'s request`, 'Thinking…');
    const databricks = userDatabricksFactory(deps.identity, deps.buildDatabricks);
    const result = await deps.agents.handleMessage(ctx, databricks, text, { onProgress: (t) => progress.update(t) });
    ctx.logger.info({ result: result.kind }, 'turn answered');
    await progress.finish(presentTurnResult(result, { ctx, askerMri, rowCap: deps.config.results.rowCap, results: deps.results }));
  });
}

/** Runs a quick command in the background and posts its one reply. */
export function startCommandTurn(turn: TurnContext, ctx: RequestContext, deps: BotDeps, run: () => Promise<Partial<Activity>>): void {
  startBackground(turn, ctx, deps, 'command', async (proactive) => {
    await proactive.sendActivity(await run());
  });
}
