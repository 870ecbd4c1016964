import type { CloudAdapter, Request as AgentsRequest, TurnContext as AgentsTurnContext, WebResponse } from '@microsoft/agents-hosting';
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
  const onTurnError = createTurnErrorHandler(logger);
  adapter.onTurnError = (context, error) => onTurnError(AgentsTurn.of(context), error);
  const processWith = agentsProcessor(adapter, bot, logger);
  return {
    serve: (deps) => {
      const router = new AgentsRouter();
      registerRoutes(router, deps);
      return processWith(
        admitThen(deps, async (turn: HostTurn) => {
          withoutRecipientMention(turn);
          await router.run(turn);
        }),
      );
    },
    continueConversation: (reference, logic) => adapter.continueConversation(bot.appId, agentsReference(reference), onAgentsTurn(logic)),
    continuePersonalChat: (turn, logic) => {
      const a = turn.activity;
      const parameters = { isGroup: false, agent: a.recipient, members: [a.from], tenantId: a.conversation.tenantId, channelData: { tenant: { id: a.conversation.tenantId } } };
      return adapter.createConversationAsync(bot.appId, a.channelId, a.serviceUrl, BOT_FRAMEWORK_SCOPE, parameters as never, onAgentsTurn(logic));
    },
  };
}

/**
 * POST /api/messages on the Agents host: in the Azure profile the hardened inbound authentication
 * (inbound-auth.ts) first, answered 401 before the SDK sees the activity; then the SDK's `process`
 * with `logic` on the shared turn shape.
 */
export function agentsProcessor(adapter: CloudAdapter, bot: Config['bot'], logger: Logger): (logic: TurnLogic) => (req: Request, res: Response) => Promise<void> {
  const auth = new AgentsInboundAuth(adapter);
  const log = logger.child({ module: 'agents-host' });
  return (logic) => async (req, res) => {
    const request = req as unknown as AgentsRequest;
    if (bot.authenticateInbound) {
      const refusal = await auth.authorize(request, (req.body ?? {}) as { serviceUrl?: unknown; channelId?: unknown });
      if (refusal) {
        log.warn({ refusal: refusal.reason, detail: refusal.detail }, 'inbound activity refused: not authenticated');
        res.send(401, { error: 'Unauthorized', message: 'A valid Bot Framework channel token for this activity is required.' });
        return;
      }
    }
    request.body = withoutEmptyConversationName(request.body);
    await adapter.process(request, webResponseOf(res), onAgentsTurn(logic));
  };
}

/**
 * The SDK's activity schema refuses an empty `conversation.name` (agents-activity
 * conversationAccount.ts, `z.string().min(1).optional()`), which botbuilder accepts; Teams' 1:1 chats
 * have no name, so an empty one means none. Everything else is handed over as received. Used on
 * inbound bodies and on the references proactive sends continue.
 */
function withoutEmptyConversationName<T>(body: T): T {
  const conversation = (body as { conversation?: { name?: unknown } } | undefined)?.conversation;
  if (conversation?.name !== '') return body;
  const { name: _name, ...rest } = conversation;
  return { ...body, conversation: rest };
}

function onAgentsTurn(logic: TurnLogic): (context: AgentsTurnContext) => Promise<void> {
  return (context) => logic(AgentsTurn.of(context));
}

/**
 * botbuilder names the bot `bot`, the Agents SDK `agent`. The reference's activity id is dropped, as
 * botbuilder's continuation activity gets a fresh id too (the SDK would reuse it as the id replies answer).
 */
function agentsReference(reference: Partial<ConversationReference>): AgentsReference {
  // Stored references (approvers' chats, the approvers channel) can carry the empty name too.
  const { bot, activityId: _activityId, ...rest } = withoutEmptyConversationName(reference);
  return { ...rest, agent: bot } as AgentsReference;
}

/** Strips the bot's own @mention from a message's text, exactly as the teams-ai host does (botbuilder's helper). */
function withoutRecipientMention(turn: HostTurn): void {
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
