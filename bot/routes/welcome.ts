import { type Activity, ActivityTypes, type TurnContext } from 'botbuilder';
import type { Application, TurnState } from '@microsoft/teams-ai';
import type { RequestContext } from '../../src/context/request-context';
import { welcomeContent, type WelcomeSpace } from '../../src/commands/welcome-text';
import { renderWelcomeCard } from '../present/welcome-card';
import type { BotDeps } from '../turns/deps';
import { requestContextOf } from '../turns/turn-context';
import { cardActivity } from './present';

/** Teams may send both an `installationUpdate` (add) and a `conversationUpdate` (bot added) for one install: one welcome per conversation per window. */
const WELCOME_WINDOW_MS = 10 * 60_000;

/**
 * Welcome on install: `installationUpdate` with action `add`, or `conversationUpdate` whose
 * `membersAdded` holds the bot itself (Teams: "Send a welcome message" in the bot conversation docs).
 */
export function registerWelcomeRoutes(app: Application<TurnState>, deps: BotDeps): void {
  app.activity(ActivityTypes.ConversationUpdate, async (turn) => {
    const botId = turn.activity.recipient?.id;
    if (!(turn.activity.membersAdded ?? []).some((m) => m.id === botId)) return;
    await welcomeOnce(turn, deps);
  });
  app.activity(ActivityTypes.InstallationUpdate, async (turn) => {
    if (!/^add/i.test(turn.activity.action ?? '')) return;
    await welcomeOnce(turn, deps);
  });
}

async function welcomeOnce(turn: TurnContext, deps: BotDeps): Promise<void> {
  const ctx = requestContextOf(turn, deps.logger);
  const bucket = Math.floor(Date.parse(turn.activity.timestamp?.toString() ?? '') / WELCOME_WINDOW_MS);
  if (!(await deps.dedupe.claim(`welcome:${ctx.conversation.id}:${Number.isFinite(bucket) ? bucket : 'now'}`))) return;
  await turn.sendActivity(await welcomeActivity(ctx, deps));
  ctx.logger.info({ kind: ctx.conversation.kind }, 'welcome sent');
}

/**
 * The welcome / help card. The space (title, description, sample questions) is read only in a 1:1
 * chat and only with the user's own token: a group or channel card is seen by members whose access
 * differs, and on install the bot may hold no token for anyone — then starters that need none.
 */
export async function welcomeActivity(ctx: RequestContext, deps: BotDeps): Promise<Partial<Activity>> {
  let space: WelcomeSpace | undefined;
  if (ctx.conversation.kind === 'personal' && (await deps.identity.hasSession(ctx.user))) {
    try {
      space = await deps.spaces.details(ctx);
    } catch (error) {
      ctx.logger.info({ error: error instanceof Error ? error.message : String(error) }, 'space not readable for the welcome; generic starters');
    }
  }
  return cardActivity(renderWelcomeCard(welcomeContent(ctx.conversation.kind, ctx.user.displayName, space)));
}
