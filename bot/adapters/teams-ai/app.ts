import { MemoryStorage, type TurnContext } from 'botbuilder';
import { Application, type TurnState } from '@microsoft/teams-ai';
import type { BotDeps } from '../../turns/deps';
import { admitThen, registerRoutes } from '../../turns/turn-pipeline';

/** What the botbuilder adapter runs for every inbound activity: the shared pipeline over teams-ai routing. */
export function createTurnLogic(deps: BotDeps): (turn: TurnContext) => Promise<void> {
  const app = createApp(deps);
  return admitThen(deps, (turn: TurnContext) => app.run(turn));
}

/**
 * The teams-ai Application: routing only. No teams-ai authentication (our IdentityService does SSO
 * with per-user cache partitions) and no teams-ai state that matters: the in-memory storage is never
 * written because no route changes turn state; everything durable lives in Cosmos via the ports.
 */
export function createApp(deps: BotDeps): Application<TurnState> {
  const app = new Application<TurnState>({
    storage: new MemoryStorage(),
    botAppId: deps.config.bot.appId,
    removeRecipientMention: true,
    startTypingTimer: false,
    longRunningMessages: false,
  });
  registerRoutes(app, deps);
  return app;
}
