import type { Request as AgentsRequest, WebResponse } from '@microsoft/agents-hosting';
import type { ConversationReference as AgentsReference } from '@microsoft/agents-activity';
import { type ConversationReference, TurnContext as BotbuilderTurnContext } from 'botbuilder';
import type { Request, Response } from 'restify';
import type { Config } from '../../../src/config';
import type { Logger } from '../../../src/logging';
import type { HostTurn, ProactiveSend, TurnLogic } from '../../turns/host-turn';
import { AgentsTurn } from './agents-turn';
import { createAgentsAdapter } from './agents-adapter';
import { AgentsInboundAuth } from './inbound-auth';

/** Scope of the Bot Framework connector, for a new 1:1 conversation. */
const BOT_FRAMEWORK_SCOPE = 'https://api.botframework.com';

export interface AgentsHost extends ProactiveSend {
  /** POST /api/messages: hardened inbound authentication (Azure profile), then `logic` on the SDK's turn. */
  processActivity(logic: TurnLogic): (req: Request, res: Response) => Promise<void>;
}

export interface AgentsHostOptions {
  /** Tells the user about a failed turn (the shared `createTurnErrorHandler`). */
  onTurnError(turn: HostTurn, error: unknown): Promise<void>;
}

/**
 * The Microsoft 365 Agents SDK host (`BOT_HOST=agents`): its CloudAdapter for inbound and outbound
 * activities, proactive turns and new 1:1 chats. Everything above (routing, handlers, cards,
 * sign-in, background turns) is shared with the teams-ai host.
 */
export function createAgentsHost(bot: Config['bot'], logger: Logger, options: AgentsHostOptions): AgentsHost {
  const adapter = createAgentsAdapter(bot);
  const auth = new AgentsInboundAuth(adapter);
  const log = logger.child({ module: 'agents-host' });
  adapter.onTurnError = (context, error) => options.onTurnError(AgentsTurn.of(context), error);
  const withTurn = (logic: TurnLogic) => (context: Parameters<Parameters<typeof adapter.process>[2]>[0]) => logic(AgentsTurn.of(context));
  return {
    processActivity: (logic) => async (req, res) => {
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
    },
    continueConversation: (reference, logic) => adapter.continueConversation(bot.appId, agentsReference(reference), withTurn(logic)),
    continuePersonalChat: (turn, logic) => {
      const a = turn.activity;
      const parameters = { isGroup: false, agent: a.recipient, members: [a.from], tenantId: a.conversation.tenantId, channelData: { tenant: { id: a.conversation.tenantId } } };
      return adapter.createConversationAsync(bot.appId, a.channelId, a.serviceUrl, BOT_FRAMEWORK_SCOPE, parameters as never, withTurn(logic));
    },
  };
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
