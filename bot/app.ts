import { MemoryStorage } from 'botbuilder';
import { Application, type TurnState } from '@microsoft/teams-ai';
import type { BotDeps } from './deps';
import { registerAuthRoutes } from './routes/auth';
import { registerCardActions, registerUnknownInvokes } from './routes/card-actions';
import { registerFileConsent } from './routes/file-export';
import { registerMessageRoutes } from './routes/messages';

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
  registerAuthRoutes(app, deps);
  registerCardActions(app, deps);
  registerFileConsent(app, deps);
  registerUnknownInvokes(app, deps);
  registerMessageRoutes(app, deps);
  return app;
}
