import { randomUUID } from 'node:crypto';
import { CallerIdConstants, CardFactory, CloudAdapter, ConfigurationBotFrameworkAuthentication, type TurnContext } from 'botbuilder';
import { AuthenticationConstants } from 'botframework-connector';
import type { Config } from '../../../src/config';
import { toAppError } from '../../../src/errors';
import type { Logger } from '../../../src/logging';
import { errorFamilyOf, renderErrorCard, type ErrorFamily } from '../../present/render';
import { ChannelOnlyAuthentication } from './channel-auth';
import { NoBlindResendAuthentication } from './outbound-retries';
import { hasInvokeResponse, messageResponse, sendInvokeResponse } from '../../turns/invoke';
import { PROGRESS_ACTIVITY_KEY } from '../../turns/progress';
import { CORRELATION_ID_KEY } from '../../turns/turn-context';

export interface AdapterOptions {
  /** Overrides the Bot Framework channel OpenID metadata URL (tests serve their own keys). */
  channelOpenIdMetadataUrl?: string;
}

/**
 * Azure profile: Bot Framework credentials, and only channel-issued tokens are accepted inbound.
 * Local profile (`authenticateInbound=false`): no credentials in either direction, as the Agents
 * Playground and our Teams-like driver expect.
 */
export function createAdapter(bot: Config['bot'], logger: Logger, options: AdapterOptions = {}): CloudAdapter {
  const authentication = bot.authenticateInbound
    ? new ChannelOnlyAuthentication(
        new ConfigurationBotFrameworkAuthentication({
          MicrosoftAppId: bot.appId,
          MicrosoftAppPassword: bot.appPassword,
          MicrosoftAppType: bot.appType,
          MicrosoftAppTenantId: bot.tenantId,
          ...(options.channelOpenIdMetadataUrl ? publicCloudWithMetadata(options.channelOpenIdMetadataUrl) : {}),
        }),
      )
    : new ConfigurationBotFrameworkAuthentication({});
  const adapter = new CloudAdapter(new NoBlindResendAuthentication(authentication));
  adapter.onTurnError = createTurnErrorHandler(logger);
  return adapter;
}

/** Overriding one endpoint makes the SDK use only the ones given, so the public-cloud set is spelled out. */
function publicCloudWithMetadata(channelOpenIdMetadataUrl: string): Record<string, string | boolean> {
  return {
    ValidateAuthority: true,
    ToChannelFromBotLoginUrl: AuthenticationConstants.ToChannelFromBotLoginUrl,
    ToChannelFromBotOAuthScope: AuthenticationConstants.ToChannelFromBotOAuthScope,
    ToBotFromChannelTokenIssuer: AuthenticationConstants.ToBotFromChannelTokenIssuer,
    OAuthUrl: AuthenticationConstants.OAuthUrl,
    ToBotFromChannelOpenIdMetadataUrl: channelOpenIdMetadataUrl,
    ToBotFromEmulatorOpenIdMetadataUrl: AuthenticationConstants.ToBotFromEmulatorOpenIdMetadataUrl,
    CallerId: CallerIdConstants.PublicAzureChannel,
  };
}

/**
 * The only place that tells a user something went wrong: an AppError becomes the card of its
 * family, anything else the unexpected card; both carry the correlation id that the logs carry.
 */
export function createTurnErrorHandler(logger: Logger): (turn: TurnContext, error: unknown) => Promise<void> {
  return async (turn, error) => {
    const appError = toAppError(error);
    const stored = turn.turnState.get(CORRELATION_ID_KEY) as unknown;
    const correlationId = typeof stored === 'string' ? stored : randomUUID();
    const unexpected = appError.code === 'INTERNAL.UNEXPECTED';
    logger[unexpected ? 'error' : 'warn'](
      { err: error, code: appError.code, correlationId, activityType: turn.activity.type, invoke: turn.activity.name },
      'turn failed',
    );
    try {
      if (turn.activity.type === 'invoke') return await answerFailedInvoke(turn, appError, correlationId);
      await showErrorCard(turn, appError, correlationId);
    } catch (sendError) {
      logger.error({ err: sendError, correlationId }, 'could not tell the user about the failure');
    }
  };
}

/**
 * Sign-in failures the 412 alone would hide: Teams just shows the sign-in card again, so the user
 * also gets a card saying why (consent needed, sign in again, or Microsoft sign-in not answering).
 * Each exchange id is processed once (the dedupe claim), so the card is shown once per exchange.
 */
const SIGN_IN_CARD_FAMILIES: ReadonlySet<ErrorFamily> = new Set<ErrorFamily>(['admin-consent', 'sign-in', 'identity-unavailable']);

async function answerFailedInvoke(turn: TurnContext, error: ReturnType<typeof toAppError>, correlationId: string): Promise<void> {
  const name = turn.activity.name ?? '';
  if (!hasInvokeResponse(turn)) {
    if (name === 'adaptiveCard/action') await sendInvokeResponse(turn, 200, messageResponse(`${error.userMessage} (reference ${correlationId})`));
    else if (name.startsWith('signin/')) await sendInvokeResponse(turn, 412, { failureDetail: error.userMessage });
    else await sendInvokeResponse(turn, error.code.startsWith('INPUT.') ? 400 : 500, { code: error.code, message: error.userMessage, correlationId });
  }
  if (name.startsWith('signin/') && (SIGN_IN_CARD_FAMILIES.has(errorFamilyOf(error.code)) || error.code === 'AUTH.USER_MISMATCH')) {
    await showErrorCard(turn, error, correlationId);
  }
}

async function showErrorCard(turn: TurnContext, error: ReturnType<typeof toAppError>, correlationId: string): Promise<void> {
  const attachments = [CardFactory.adaptiveCard(renderErrorCard(error, correlationId))];
  const progressId = turn.turnState.get(PROGRESS_ACTIVITY_KEY) as unknown;
  if (typeof progressId === 'string') await turn.updateActivity({ type: 'message', id: progressId, attachments });
  else await turn.sendActivity({ type: 'message', attachments });
}
