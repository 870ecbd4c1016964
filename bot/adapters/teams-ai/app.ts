import { MemoryStorage } from 'botbuilder';
import { Application, type TurnState } from '@microsoft/teams-ai';
import type { BotDeps, TurnLogic } from '../../turns/deps';
import { registerAuthRoutes } from '../../sign-in/auth';
import { registerCardActions, registerUnknownInvokes } from '../../routes/card-actions';
import { registerFileConsent } from '../../routes/file-export';
import { registerMessageRoutes } from '../../routes/messages';
import { registerWelcomeRoutes } from '../../routes/welcome';
import { admitTurn } from '../../turns/trust-boundary';

/**
 * What the adapter runs for every inbound activity: the Teams trust boundary first (channel and
 * tenant, before any route reads or writes anything), then the routes.
 */
export function createTurnLogic(deps: BotDeps): TurnLogic {
  const app = createApp(deps);
  const allowedTenants = deps.config.identity.allowedTenantIds;
  return async (turn) => {
    if (!(await admitTurn(turn, allowedTenants, deps.logger))) return;
    await deps.captureReference?.(turn);
    await app.run(turn);
  };
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
  registerAuthRoutes(app, deps);
  registerCardActions(app, deps);
  registerFileConsent(app, deps);
  registerUnknownInvokes(app, deps);
  registerMessageRoutes(app, deps);
  registerWelcomeRoutes(app, deps);
  return app;
}
