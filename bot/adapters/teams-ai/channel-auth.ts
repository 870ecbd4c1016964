import {
  type AuthenticateRequestResult,
  AuthenticationError,
  BotFrameworkAuthentication,
  type ClaimsIdentity,
  type ConnectorFactory,
  type UserTokenClient,
} from 'botframework-connector';
import { type Activity, StatusCodes } from 'botbuilder';
import { channelIssuerRefusal } from '../../turns/channel-token';

/**
 * Finding 1: the SDK's default inbound authentication also accepts Entra-issued ("emulator path")
 * tokens, for which the `serviceUrl` binding never runs. This wrapper refuses any token whose issuer
 * is not the Bot Framework channel before the SDK validates signature, audience, endorsement and
 * `serviceurl` as usual. Outbound calls are delegated unchanged.
 */
export class ChannelOnlyAuthentication extends BotFrameworkAuthentication {
  constructor(private readonly inner: BotFrameworkAuthentication) {
    super();
  }

  async authenticateRequest(activity: Activity, authHeader: string): Promise<AuthenticateRequestResult> {
    requireChannelIssuer(authHeader);
    return asUnauthorized(() => this.inner.authenticateRequest(activity, authHeader));
  }

  async authenticateStreamingRequest(authHeader: string, channelIdHeader: string): Promise<AuthenticateRequestResult> {
    requireChannelIssuer(authHeader);
    return asUnauthorized(() => this.inner.authenticateStreamingRequest(authHeader, channelIdHeader));
  }

  async authenticateChannelRequest(authHeader: string): Promise<ClaimsIdentity> {
    requireChannelIssuer(authHeader);
    return asUnauthorized(() => this.inner.authenticateChannelRequest(authHeader));
  }

  createConnectorFactory(claimsIdentity: ClaimsIdentity): ConnectorFactory {
    return this.inner.createConnectorFactory(claimsIdentity);
  }

  createUserTokenClient(claimsIdentity: ClaimsIdentity): Promise<UserTokenClient> {
    return this.inner.createUserTokenClient(claimsIdentity);
  }

  getOriginatingAudience(): string {
    return this.inner.getOriginatingAudience();
  }
}

/** The SDK rethrows jsonwebtoken errors (bad signature, malformed token) as 500s; they are 401s. */
async function asUnauthorized<T>(authenticate: () => Promise<T>): Promise<T> {
  try {
    return await authenticate();
  } catch (error) {
    if (error instanceof AuthenticationError) throw error;
    throw new AuthenticationError(`Unauthorized: ${error instanceof Error ? error.message : 'invalid token'}`, StatusCodes.UNAUTHORIZED);
  }
}

/** Reads (does not verify) the token's `iss`; verification is the inner authenticator's job. */
function requireChannelIssuer(authHeader: string): void {
  const refusal = channelIssuerRefusal(authHeader);
  if (refusal) throw new AuthenticationError(`Unauthorized: ${refusal}`, StatusCodes.UNAUTHORIZED);
}
