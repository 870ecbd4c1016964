import type { ClaimsIdentity } from 'botframework-connector';

/**
 * The bot's own outbound clients (ConnectorClient, UserTokenClient), built once per app id, service
 * URL and audience instead of once per turn. botbuilder's CloudAdapter builds both for every inbound
 * activity and again for every proactive continuation; each is a core-client `ServiceClient` with its
 * own pipeline of about ten policies, which was about 2.5 % of the bot's CPU under B5's load
 * (`bench/profile-summary.ts`). They carry the bot's app credentials, the same for every person
 * (botframework's credentials factory already keeps one credential per app id and scope), and no
 * state of any user or turn, so they are shared: "cache what is shared, create what carries identity".
 * The cache is bounded (the oldest entry goes first) and drops a creation that failed.
 */
export class OutboundClientCache<T> {
  private readonly entries = new Map<string, Promise<T>>();

  constructor(private readonly max = 64) {}

  get size(): number {
    return this.entries.size;
  }

  get(key: readonly (string | undefined)[], create: () => Promise<T>): Promise<T> {
    const id = JSON.stringify(key);
    const hit = this.entries.get(id);
    if (hit) {
      this.entries.delete(id);
      this.entries.set(id, hit);
      return hit;
    }
    const made = create();
    this.entries.set(id, made);
    made.catch(() => {
      if (this.entries.get(id) === made) this.entries.delete(id);
    });
    if (this.entries.size > this.max) {
      const oldest = this.entries.keys().next().value;
      if (oldest !== undefined) this.entries.delete(oldest);
    }
    return made;
  }
}

/** The app id botframework builds outbound credentials for: the `aud` claim from a channel, `appid` from the emulator. */
export function outboundAppId(claims: ClaimsIdentity): string | undefined {
  return claims.getClaimValue('aud') ?? claims.getClaimValue('appid') ?? undefined;
}
