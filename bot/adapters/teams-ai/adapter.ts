import { CallerIdConstants, CloudAdapter, ConfigurationBotFrameworkAuthentication } from 'botbuilder';
import { AuthenticationConstants } from 'botframework-connector';
import type { Config } from '../../../src/config';
import type { Logger } from '../../../src/logging';
import { ChannelOnlyAuthentication } from './channel-auth';
import { NoBlindResendAuthentication } from './outbound-retries';
import { createTurnErrorHandler } from '../../turns/turn-errors';

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
