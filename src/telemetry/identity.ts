/**
 * `token.acquire` spans around every MSAL acquisition the identity service makes: the on-behalf-of
 * exchange at sign-in, silent (cache or refresh) acquisitions per turn, and the app's
 * client-credentials token. The span shows the kind and resource, never the token.
 */
import type { IdentityService, TokenProvider } from '../identity/ports';
import { ATTR } from './attributes';
import { record } from './instruments';
import { traced, withOutcome } from './trace';

type TokenKind = 'obo' | 'silent' | 'app';

function tokenCall<T>(kind: TokenKind, resource: 'databricks' | 'graph', work: () => Promise<T>): Promise<T> {
  const attributes = { [ATTR.tokenKind]: kind, [ATTR.tokenResource]: resource };
  return traced('token.acquire', attributes, () => withOutcome(work, (outcome) => record.tokenCall({ ...attributes, [ATTR.outcome]: outcome })));
}

export function traceIdentity(identity: IdentityService): IdentityService {
  return {
    ...identity,
    signIn: (ssoToken) => tokenCall('obo', 'databricks', () => identity.signIn(ssoToken)),
    tokenProviderFor: (user) => traceTokens(identity.tokenProviderFor(user)),
    // A turn's tokens come through its session (one token-cache read shared with the session check).
    session: (user) => {
      const session = identity.session(user);
      return { hasSession: () => session.hasSession(), tokens: traceTokens(session.tokens) };
    },
    getAppGraphToken: () => tokenCall('app', 'graph', () => identity.getAppGraphToken()),
  };
}

function traceTokens(provider: TokenProvider): TokenProvider {
  return {
    ...provider,
    getDatabricksToken: () => tokenCall('silent', 'databricks', () => provider.getDatabricksToken()),
    getGraphToken: () => tokenCall('silent', 'graph', () => provider.getGraphToken()),
  };
}
