import type { CloudAdapter, Request as AgentsRequest, WebResponse } from '@microsoft/agents-hosting';
import { channelIssuerRefusal, channelTokenKeyId } from '../../turns/channel-token';
import { TEAMS_CHANNEL_ID } from '../../turns/trust-boundary';
import { ChannelKeyIds } from './channel-key-ids';

/** Why a request was refused (for the log); the caller always answers 401. */
export type InboundRefusal = { reason: 'issuer' | 'key-id' | 'token' | 'service-url' | 'channel'; detail: string };

/**
 * Inbound authentication of the Agents SDK host, stricter than the SDK alone and equal to the
 * default host's (bot/turns/channel-token.ts + botframework-connector), checked in this order:
 *
 * 1. our channel-issuer guard: the token's `iss` must be the Bot Framework channel's, and it must
 *    name a key id (`kid`): jwks-rsa would otherwise take a key set's only key for a token without one;
 *    and that key id must be one the channel publishes (`channel-key-ids.ts`: the key set is fetched at
 *    most once per 5 minutes, so forged key ids cannot make us download it on every request);
 * 2. the SDK's JWT check (`authorizeRequest`): signature against the channel's published keys,
 *    RS256 only, audience = our app id, expiry with five minutes' skew, issuer validation on;
 * 3. the `serviceurl` claim must equal `activity.serviceUrl` exactly, and be present (the SDK
 *    compares host names only, and skips a token without the claim: cloudAdapter.ts `validateServiceUrl`);
 * 4. the activity must come from Teams: the SDK does not check the channel endorsements of the
 *    signing key as botframework-connector does (jwks-rsa drops `endorsements`), and Teams is the
 *    only channel this bot serves, so the channel is bound here.
 */
export class AgentsInboundAuth {
  constructor(private readonly adapter: CloudAdapter, private readonly keyIds: ChannelKeyIds = new ChannelKeyIds()) {}

  /** Undefined when `req.user` holds the verified claims; else the refusal (the response is not written). */
  async authorize(req: AgentsRequest, activity: { serviceUrl?: unknown; channelId?: unknown }): Promise<InboundRefusal | undefined> {
    const header = typeof req.headers.authorization === 'string' ? req.headers.authorization : '';
    const issuer = channelIssuerRefusal(header);
    if (issuer) return { reason: 'issuer', detail: issuer };
    const kid = channelTokenKeyId(header);
    if (!kid) return { reason: 'key-id', detail: 'the token names no key id' };
    if ((await this.keyIds.has(kid)) === false) return { reason: 'key-id', detail: 'the channel publishes no key with this id' };
    const sdk = await this.runSdkCheck(req);
    if (sdk !== undefined) return { reason: 'token', detail: sdk };
    const claim = (req.user as { serviceurl?: unknown } | undefined)?.serviceurl;
    if (typeof claim !== 'string' || claim !== activity.serviceUrl) return { reason: 'service-url', detail: 'the serviceurl claim is missing or differs from the activity' };
    if (activity.channelId !== TEAMS_CHANNEL_ID) return { reason: 'channel', detail: 'the activity is not from Microsoft Teams' };
    return undefined;
  }

  /** The SDK middleware answers on its own; here it writes into a recorder, so the caller answers once. */
  private async runSdkCheck(req: AgentsRequest): Promise<string | undefined> {
    const recorder = new ResponseRecorder();
    let passed = false;
    await this.adapter.authorizeRequest(req, recorder, () => {
      passed = true;
    });
    if (passed && recorder.statusCode === undefined) return undefined;
    return recorder.error ?? 'unauthorized';
  }
}

/** A `WebResponse` that only records what the SDK middleware would have answered. */
class ResponseRecorder implements WebResponse {
  statusCode: number | undefined;
  error: string | undefined;
  headersSent = false;
  writableEnded = false;

  status(code: number): this {
    this.statusCode = code;
    return this;
  }

  setHeader(): this {
    return this;
  }

  send(body?: unknown): this {
    const error = (body as Record<string, unknown> | undefined)?.['jwt-auth-error'];
    this.error = typeof error === 'string' ? error : 'unauthorized';
    return this;
  }

  end(): this {
    this.writableEnded = true;
    return this;
  }
}
