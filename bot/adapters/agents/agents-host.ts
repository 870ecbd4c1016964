import type { Request as AgentsRequest, WebResponse } from '@microsoft/agents-hosting';
import type { ConversationReference as AgentsReference } from '@microsoft/agents-activity';
import { type ConversationReference, TurnContext as BotbuilderTurnContext } from 'botbuilder';
import type { Request, Response } from 'restify';
import type { Config } from '../../../src/config';
import type { Logger } from '../../../src/logging';
import type { HostRuntime, HostTurn, TurnLogic } from '../../turns/host-turn';
import { createTurnErrorHandler } from '../../turns/turn-errors';
import { admitThen, registerRoutes } from '../../turns/turn-pipeline';
import { AgentsRouter } from './router';
import { AgentsTurn } from './agents-turn';
import { createAgentsAdapter } from './agents-adapter';
import { AgentsInboundAuth } from './inbound-auth';

/** Scope of the Bot Framework connector, for a new 1:1 conversation. */
const BOT_FRAMEWORK_SCOPE = 'https://api.botframework.com';

/**
 * The Microsoft 365 Agents SDK host (`BOT_HOST=agents`): its CloudAdapter for inbound and outbound
 * activities, proactive turns and new 1:1 chats. Everything above (routing, handlers, cards,
 * sign-in, background turns) is shared with the teams-ai host.
 */
export function createAgentsHost(bot: Config['bot'], logger: Logger): HostRuntime {
  const adapter = createAgentsAdapter(bot);
  const auth = new AgentsInboundAuth(adapter);
  const log = logger.child({ module: 'agents-host' });
  const onTurnError = createTurnErrorHandler(logger);
  adapter.onTurnError = (context, error) => onTurnError(AgentsTurn.of(context), error);
  const withTurn = (logic: TurnLogic) => (context: Parameters<Parameters<typeof adapter.process>[2]>[0]) => logic(AgentsTurn.of(context));
  return {
    serve: (deps) => {
      const router = new AgentsRouter();
      registerRoutes(router, deps);
      const logic = admitThen(deps, async (turn: HostTurn) => {
        withoutRecipientMention(turn);
        await router.run(turn);
      });
      return processWith(logic);
    },
    continueConversation: (reference, logic) => adapter.continueConversation(bot.appId, agentsReference(reference), withTurn(logic)),
    continuePersonalChat: (turn, logic) => {
      const a = turn.activity;
      const parameters = { isGroup: false, agent: a.recipient, members: [a.from], tenantId: a.conversation.tenantId, channelData: { tenant: { id: a.conversation.tenantId } } };
      return adapter.createConversationAsync(bot.appId, a.channelId, a.serviceUrl, BOT_FRAMEWORK_SCOPE, parameters as never, withTurn(logic));
    },
  };

  /** POST /api/messages: hardened inbound authentication (Azure profile), then `logic` on the SDK's turn. */
  function processWith(logic: TurnLogic): (req: Request, res: Response) => Promise<void> {
    return async (req, res) => {
      const request = req as unknown as AgentsRequest;
      if (bot.authenticateInbound) {
        const refusal = await auth.authorize(request, (req.body ?? {}) as { serviceUrl?: unknown; channelId?: unknown });
        if (refusal) {
          log.warn({ refusal: refusal.reason, detail: refusal.detail }, 'inbound activity refused: not authenticated');
          res.send(401, { error: 'Unauthorized', message: 'A valid Bot Framework channel token for this activity is required.' });
          return;
        }
      }
      await adapter.process(request, webResponseOf(res), withTurn(logic));
    };
  }
}

/**
 * botbuilder names the bot `bot`, the Agents SDK `agent`. The reference's activity id is dropped, as
 * botbuilder's continuation activity gets a fresh id too (the SDK would reuse it as the id replies answer).
 */
function agentsReference(reference: Partial<ConversationReference>): AgentsReference {
  const { bot, activityId: _activityId, ...rest } = reference;
  return { ...rest, agent: bot } as AgentsReference;
}

/** Strips the bot's own @mention from a message's text, exactly as the teams-ai host does (botbuilder's helper). */
export function withoutRecipientMention(turn: HostTurn): void {
  if (turn.activity.type === 'message' && turn.activity.recipient?.id && turn.activity.text) BotbuilderTurnContext.removeRecipientMention(turn.activity);
}

/** The SDK answers through `status/setHeader/send/end` chaining; restify's `status` returns the code, not the response. */
function webResponseOf(res: Response): WebResponse {
  const web: WebResponse = {
    status: (code) => {
      res.statusCode = code;
      return web;
    },
    setHeader: (name, value) => {
      res.setHeader(name, value);
      return web;
    },
    send: (body) => {
      res.send(res.statusCode, body);
      return web;
    },
    end: () => {
      if (!res.writableEnded) res.end();
      return web;
    },
    get headersSent() {
      return res.headersSent;
    },
    get writableEnded() {
      return res.writableEnded;
    },
  };
  return web;
}
