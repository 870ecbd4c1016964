import type { Activity } from '@microsoft/agents-activity';
import { CloudAdapter, ConnectorClient, type HeaderPropagationCollection } from '@microsoft/agents-hosting';
import type { Config } from '../../../src/config';
import { BOT_FRAMEWORK_CHANNEL_ISSUER } from '../../turns/channel-token';

/**
 * The Agents SDK's CloudAdapter for our two profiles.
 *
 * Azure: the bot app's credentials (client secret, single tenant) for outbound calls; inbound, the
 * SDK's JWT check with issuer validation ON (`validateIssuer`; off by default, jwt-middleware.ts)
 * and service-URL validation ON (`validateServiceUrl`; by default a mismatch is only logged,
 * cloudAdapter.ts). Both are below our own stricter guard (inbound-auth.ts), kept as a second line.
 * None of the SDK's OAuth-connection sign-in is used: SSO/OBO stays ours.
 *
 * Local (`authenticateInbound=false`): no credentials either way, as with the default host; the SDK
 * then runs anonymously, and a new 1:1 conversation is created without a token too (the SDK would
 * otherwise ask MSAL for one with no app registered).
 */
export function createAgentsAdapter(bot: Config['bot']): CloudAdapter {
  if (!bot.authenticateInbound) return new LocalCloudAdapter({ clientId: '' }, undefined, undefined, { validateServiceUrl: true });
  return new CloudAdapter(
    {
      clientId: bot.appId,
      clientSecret: bot.appPassword,
      tenantId: bot.tenantId,
      issuers: [BOT_FRAMEWORK_CHANNEL_ISSUER],
      validateIssuer: true,
    },
    undefined,
    undefined,
    { validateServiceUrl: true },
  );
}

/** Local profile: outbound connector clients never carry (or ask MSAL for) a token, replies and proactive turns alike. */
class LocalCloudAdapter extends CloudAdapter {
  protected override async createConnectorClient(serviceUrl: string, _scope: string, _identity: unknown, headers?: HeaderPropagationCollection): Promise<ConnectorClient> {
    return ConnectorClient.createClientWithToken(serviceUrl, '', headers);
  }

  protected override async createConnectorClientWithIdentity(_identity: unknown, activity: Activity, headers?: HeaderPropagationCollection): Promise<ConnectorClient> {
    return ConnectorClient.createClientWithToken(activity.serviceUrl ?? '', '', headers);
  }
}
