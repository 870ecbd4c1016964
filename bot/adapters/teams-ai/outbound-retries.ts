import { type Pipeline, type PipelinePolicy, throttlingRetryPolicy } from '@azure/core-rest-pipeline';
import {
  type AuthenticateRequestResult,
  BotFrameworkAuthentication,
  type ClaimsIdentity,
  type ConnectorClient,
  ConnectorFactory,
  type UserTokenClient,
} from 'botframework-connector';
import type { Activity } from 'botbuilder';
import { OutboundClientCache, outboundAppId } from './outbound-client-cache';

/**
 * Finding 3 / case 28: `POST …/activities` is not idempotent. The connector client's default retry
 * policy resends on any 5xx, and a 502 sent after the message was accepted shows the person the
 * same message several times. Outbound calls here retry only when the service asked for it
 * (429, or 503 with Retry-After, which means the request was not processed); every other failure is
 * reported once, never resent blindly.
 */
const DEFAULT_RETRY_POLICY = 'defaultRetryPolicy';
const MAX_THROTTLING_RETRIES = 3;

export class NoBlindResendAuthentication extends BotFrameworkAuthentication {
  /** The bot's own connector and user-token clients, shared across turns (see outbound-client-cache.ts). */
  private readonly connectors = new OutboundClientCache<ConnectorClient>();
  private readonly userTokenClients = new OutboundClientCache<UserTokenClient>();

  constructor(private readonly inner: BotFrameworkAuthentication) {
    super();
  }

  async authenticateRequest(activity: Activity, authHeader: string): Promise<AuthenticateRequestResult> {
    return safeResult(await this.inner.authenticateRequest(activity, authHeader), this.connectors);
  }

  async authenticateStreamingRequest(authHeader: string, channelIdHeader: string): Promise<AuthenticateRequestResult> {
    return safeResult(await this.inner.authenticateStreamingRequest(authHeader, channelIdHeader), this.connectors);
  }

  authenticateChannelRequest(authHeader: string): Promise<ClaimsIdentity> {
    return this.inner.authenticateChannelRequest(authHeader);
  }

  createConnectorFactory(claimsIdentity: ClaimsIdentity): ConnectorFactory {
    return new SafeConnectorFactory(this.inner.createConnectorFactory(claimsIdentity), this.connectors, outboundAppId(claimsIdentity));
  }

  createUserTokenClient(claimsIdentity: ClaimsIdentity): Promise<UserTokenClient> {
    // botframework builds it from the app id alone (ParameterizedBotFrameworkAuthentication.createUserTokenClient).
    return this.userTokenClients.get([outboundAppId(claimsIdentity)], () => this.inner.createUserTokenClient(claimsIdentity));
  }

  getOriginatingAudience(): string {
    return this.inner.getOriginatingAudience();
  }
}

/** Replies to an inbound activity use the connector factory that authentication hands back. */
function safeResult(result: AuthenticateRequestResult, connectors: OutboundClientCache<ConnectorClient>): AuthenticateRequestResult {
  if (!result.connectorFactory) return result;
  return { ...result, connectorFactory: new SafeConnectorFactory(result.connectorFactory, connectors, outboundAppId(result.claimsIdentity)) };
}

class SafeConnectorFactory extends ConnectorFactory {
  constructor(
    private readonly inner: ConnectorFactory,
    private readonly connectors: OutboundClientCache<ConnectorClient>,
    private readonly appId: string | undefined,
  ) {
    super();
  }

  create(serviceUrl: string, audience?: string): Promise<ConnectorClient> {
    return this.connectors.get([this.appId, serviceUrl, audience], async () => {
      const client = await this.inner.create(serviceUrl, audience);
      withoutBlindRetries(pipelineOf(client));
      return client;
    });
  }
}

export function withoutBlindRetries(pipeline: Pipeline): void {
  pipeline.removePolicy({ name: DEFAULT_RETRY_POLICY });
  const throttling: PipelinePolicy = throttlingRetryPolicy({ maxRetries: MAX_THROTTLING_RETRIES });
  if (!pipeline.getOrderedPolicies().some((p) => p.name === throttling.name)) pipeline.addPolicy(throttling, { phase: 'Retry' });
}

/** The connector client keeps its core-client `ServiceClient` (and so its pipeline) as `client`. */
function pipelineOf(connector: ConnectorClient): Pipeline {
  const pipeline = (connector as unknown as { client?: { pipeline?: Pipeline } }).client?.pipeline;
  if (!pipeline) throw new Error('botframework-connector changed shape: the connector client exposes no pipeline');
  return pipeline;
}
