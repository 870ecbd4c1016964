import type { ConversationParameters } from 'botbuilder';
import { AuthenticationConstants } from 'botframework-connector';
import type { Config } from '../../../src/config';
import type { Logger } from '../../../src/logging';
import type { HostRuntime } from '../../turns/host-turn';
import { createAdapter } from './adapter';
import { createTurnLogic } from './app';

/** The default host (`BOT_HOST=teams-ai`): botbuilder's CloudAdapter and the teams-ai v1 Application. */
export function createTeamsAiHost(bot: Config['bot'], logger: Logger): HostRuntime {
  const adapter = createAdapter(bot, logger);
  return {
    serve: (deps) => {
      const logic = createTurnLogic(deps);
      return (req, res) => adapter.process(req, res, logic);
    },
    continueConversation: (reference, logic) => adapter.continueConversationAsync(bot.appId, reference, logic),
    continuePersonalChat: (turn, logic) => {
      const a = turn.activity;
      const parameters = { isGroup: false, bot: a.recipient, members: [a.from], tenantId: a.conversation.tenantId, channelData: { tenant: { id: a.conversation.tenantId } } };
      return adapter.createConversationAsync(bot.appId, a.channelId, a.serviceUrl, AuthenticationConstants.ToChannelFromBotOAuthScope, parameters as ConversationParameters, logic);
    },
  };
}
