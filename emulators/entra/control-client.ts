import type { EntraCounters, FaultRule } from './controls';
import type { SsoTokenOverrides } from './tokens';

/** Typed access to the emulator's test controls and SSO endpoint, for tests, benchmarks and scripts. */
export interface EntraControlClient {
  ssoToken(user: string, overrides?: SsoTokenOverrides): Promise<string>;
  counters(): Promise<EntraCounters>;
  reset(): Promise<void>;
  fault(rule: FaultRule): Promise<void>;
  requireMfa(user: string, required?: boolean): Promise<void>;
  /** Invalidates every refresh token issued to the user (the next refresh fails with invalid_grant). */
  revoke(user: string): Promise<void>;
  /** Lifetime of access tokens issued from now on (until reset). */
  setAccessTokenLifetime(seconds: number): Promise<void>;
  /** Runs the token endpoint's clock ahead when it checks OBO assertions (until reset or 0): AADSTS500133 for tokens the bot still accepts. */
  setAssertionClockOffset(seconds: number): Promise<void>;
}

export function entraControlClient(urls: { controlUrl: string; ssoTokenUrl: string }): EntraControlClient {
  const post = async (url: string, body: unknown): Promise<unknown> => {
    const response = await fetch(url, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) });
    const json: unknown = await response.json();
    if (!response.ok) throw new Error(`Entra emulator ${url} answered ${response.status}: ${JSON.stringify(json)}`);
    return json;
  };
  return {
    ssoToken: async (user, overrides = {}) => ((await post(urls.ssoTokenUrl, { user, ...overrides })) as { access_token: string }).access_token,
    counters: async () => {
      const response = await fetch(`${urls.controlUrl}/counters`);
      return (await response.json()) as EntraCounters;
    },
    reset: async () => void (await post(`${urls.controlUrl}/reset`, {})),
    fault: async (rule) => void (await post(`${urls.controlUrl}/faults`, rule)),
    requireMfa: async (user, required = true) => void (await post(`${urls.controlUrl}/mfa`, { user, required })),
    revoke: async (user) => void (await post(`${urls.controlUrl}/revoke`, { user })),
    setAccessTokenLifetime: async (seconds) => void (await post(`${urls.controlUrl}/settings`, { accessTokenLifetimeSeconds: seconds })),
    setAssertionClockOffset: async (seconds) => void (await post(`${urls.controlUrl}/settings`, { assertionClockOffsetSeconds: seconds })),
  };
}
