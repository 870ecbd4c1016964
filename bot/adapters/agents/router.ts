import type { FileConsentCardResponse } from 'botbuilder';
import type { HostTurn, RouteTable } from '../../turns/host-turn';
import { hasInvokeResponse, sendInvokeResponse } from '../../turns/invoke';

type Handler = (turn: HostTurn) => Promise<void>;
type Selector = (turn: HostTurn) => Promise<boolean>;

interface Route {
  selector: Selector;
  handler: Handler;
}

const ACTION_INVOKE = 'adaptiveCard/action';
const FILE_CONSENT_INVOKE = 'fileConsent/invoke';

/**
 * The Agents host's routing, with teams-ai v1's semantics so the shared routes behave the same:
 * an invoke goes to the first matching invoke route in registration order, any other activity to
 * the first matching activity route; `actionExecute` hands the handler `action.data` (the SDK's
 * `AgentApplication.adaptiveCards.actionExecute` hands over the whole action); file consent is
 * answered 200 after its handler unless the handler answered.
 *
 * Not `AgentApplication`: it runs `signin/tokenExchange` as a "long-running" call in a proactive
 * continuation, so the invoke is answered before our handler runs and a failed exchange can no
 * longer answer 412 (agentApplication.ts `runInternal`); and it loads turn state we do not keep.
 */
export class AgentsRouter implements RouteTable {
  private readonly invokeRoutes: Route[] = [];
  private readonly activityRoutes: Route[] = [];

  readonly adaptiveCards = {
    actionExecute: <TData>(verb: string, handler: (turn: HostTurn, state: unknown, data: TData) => Promise<string>): void => {
      this.addRoute(
        async (turn) => turn.activity.type === 'invoke' && turn.activity.name === ACTION_INVOKE && actionOf(turn)?.type === 'Action.Execute' && actionOf(turn)?.verb === verb,
        async (turn) => {
          const result = await handler(turn, undefined, (actionOf(turn)?.data ?? {}) as TData);
          if (!hasInvokeResponse(turn)) await sendInvokeResponse(turn, 200, { statusCode: 200, type: 'application/vnd.microsoft.activity.message', value: result });
        },
        true,
      );
    },
  };

  activity(type: string, handler: Handler): void {
    this.addRoute(async (turn) => turn.activity.type === type, handler, false);
  }

  addRoute(selector: Selector, handler: Handler, isInvokeRoute = false): void {
    (isInvokeRoute ? this.invokeRoutes : this.activityRoutes).push({ selector, handler });
  }

  fileConsentAccept(handler: (turn: HostTurn, state: unknown, response: FileConsentCardResponse) => Promise<void>): void {
    this.fileConsent('accept', handler);
  }

  fileConsentDecline(handler: (turn: HostTurn, state: unknown, response: FileConsentCardResponse) => Promise<void>): void {
    this.fileConsent('decline', handler);
  }

  /** Runs the first matching route; false when none matched (as teams-ai, nothing is sent then). */
  async run(turn: HostTurn): Promise<boolean> {
    const routes = turn.activity.type === 'invoke' ? [...this.invokeRoutes, ...this.activityRoutes] : this.activityRoutes;
    for (const route of routes) {
      if (await route.selector(turn)) {
        await route.handler(turn);
        return true;
      }
    }
    return false;
  }

  private fileConsent(action: 'accept' | 'decline', handler: (turn: HostTurn, state: unknown, response: FileConsentCardResponse) => Promise<void>): void {
    this.addRoute(
      async (turn) => turn.activity.type === 'invoke' && turn.activity.name === FILE_CONSENT_INVOKE && (turn.activity.value as { action?: unknown } | undefined)?.action === action,
      async (turn) => {
        await handler(turn, undefined, turn.activity.value as FileConsentCardResponse);
        if (!hasInvokeResponse(turn)) await sendInvokeResponse(turn, 200);
      },
      true,
    );
  }
}

function actionOf(turn: HostTurn): { type?: unknown; verb?: unknown; data?: unknown } | undefined {
  const action = (turn.activity.value as { action?: unknown } | undefined)?.action;
  return typeof action === 'object' && action !== null ? (action as { type?: unknown; verb?: unknown; data?: unknown }) : undefined;
}
