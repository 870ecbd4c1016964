import { registerCardActions, registerUnknownInvokes } from '../routes/card-actions';
import { registerFileConsent } from '../routes/file-export';
import { registerMessageRoutes } from '../routes/messages';
import { registerWelcomeRoutes } from '../routes/welcome';
import { registerAuthRoutes } from '../sign-in/auth';
import type { BotDeps } from './deps';
import type { HostTurn, RouteTable } from './host-turn';
import { traceTurn } from '../../src/telemetry/turn';
import { admitTurn } from './trust-boundary';
import { kindOf } from './turn-context';

/** Every route of the bot, in the order they are tried; the same on both hosts. */
export function registerRoutes(routes: RouteTable, deps: BotDeps): void {
  registerAuthRoutes(routes, deps);
  registerCardActions(routes, deps);
  registerFileConsent(routes, deps);
  registerUnknownInvokes(routes, deps);
  registerMessageRoutes(routes, deps);
  registerWelcomeRoutes(routes, deps);
}

/**
 * What a host runs for every inbound activity: the Teams trust boundary first (channel and tenant,
 * before any route reads or writes anything), the conversation reference, then `route` (the host's
 * routing over `registerRoutes`).
 */
export function admitThen<T extends HostTurn>(deps: BotDeps, route: (turn: T) => Promise<unknown>): (turn: T) => Promise<void> {
  const allowedTenants = deps.config.identity.allowedTenantIds;
  return (turn) =>
    traceTurn(turn.activity.type, kindOf(turn.activity.conversation?.conversationType), async () => {
      if (!(await admitTurn(turn, allowedTenants, deps.logger))) return;
      await deps.captureReference?.(turn);
      await route(turn);
    });
}
