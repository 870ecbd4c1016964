import https from 'node:https';

/**
 * Where the Agents SDK fetches the Bot Framework channel's signing keys for our issuer: fixed in the
 * SDK (`jwt-middleware.ts` `buildJwksUri`, issuer https://api.botframework.com).
 */
export const CHANNEL_KEYS_URL = new URL('https://login.botframework.com/v1/.well-known/keys');

/** Least time between two fetches of the key set (botframework-connector refetches on a missing key at most once an hour). */
export const MIN_REFRESH_MS = 5 * 60_000;

const MAX_KEYS_BYTES = 256 * 1024;

/**
 * The key ids the channel publishes, fetched at most once per `MIN_REFRESH_MS`. A token whose key id
 * is not among them is refused before the SDK's JWT check runs, because that check (jwks-rsa, no rate
 * limit) downloads the key set again for every key id it has not seen: forged tokens, each with a new
 * random key id, would otherwise make one download per request. A key the channel starts using
 * shortly after a fetch is accepted once the next fetch sees it (at most `MIN_REFRESH_MS` later).
 * When the key set cannot be fetched, `has` answers undefined and the SDK's own check decides.
 */
export class ChannelKeyIds {
  private kids: Set<string> | undefined;
  private fetchedAt = Number.NEGATIVE_INFINITY;
  private refreshing: Promise<void> | undefined;

  constructor(
    private readonly fetchKeyIds: () => Promise<string[]> = fetchChannelKeyIds,
    private readonly now: () => number = Date.now,
  ) {}

  /** True when the channel publishes `kid`; false when it does not; undefined when the key set is unknown. */
  async has(kid: string): Promise<boolean | undefined> {
    if (this.kids?.has(kid)) return true;
    if (this.now() - this.fetchedAt >= MIN_REFRESH_MS) {
      this.refreshing ??= this.refresh().finally(() => {
        this.refreshing = undefined;
      });
    }
    if (this.refreshing) await this.refreshing;
    return this.kids ? this.kids.has(kid) : undefined;
  }

  private async refresh(): Promise<void> {
    this.fetchedAt = this.now();
    try {
      this.kids = new Set(await this.fetchKeyIds());
    } catch {
      // Keep the last key set; without one, `has` answers undefined and the SDK decides.
    }
  }
}

/** GET of the channel's JWKS: the `kid` of each key. */
export function fetchChannelKeyIds(url: URL = CHANNEL_KEYS_URL): Promise<string[]> {
  return new Promise((resolve, reject) => {
    const request = https.request({ protocol: url.protocol, hostname: url.hostname, path: url.pathname, method: 'GET', timeout: 10_000 }, (response) => {
      const chunks: Buffer[] = [];
      let bytes = 0;
      response.on('data', (chunk: Buffer) => {
        bytes += chunk.length;
        if (bytes > MAX_KEYS_BYTES) request.destroy(new Error('the key set is too large'));
        else chunks.push(chunk);
      });
      response.on('end', () => {
        if (response.statusCode !== 200) return reject(new Error(`the key set answered HTTP ${response.statusCode ?? '?'}`));
        try {
          const keys = (JSON.parse(Buffer.concat(chunks).toString('utf8')) as { keys?: unknown }).keys;
          if (!Array.isArray(keys)) return reject(new Error('the key set has no keys'));
          resolve(keys.map((k) => (k as { kid?: unknown }).kid).filter((kid): kid is string => typeof kid === 'string'));
        } catch (error) {
          reject(error instanceof Error ? error : new Error(String(error)));
        }
      });
      response.on('error', reject);
    });
    request.on('timeout', () => request.destroy(new Error('the key set did not answer')));
    request.on('error', reject);
    request.end();
  });
}
