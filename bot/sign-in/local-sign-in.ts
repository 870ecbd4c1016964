import type { Config } from '../../src/config';
import { AppError } from '../../src/errors';
import type { IdentityService } from '../../src/identity/ports';
import type { Logger } from '../../src/logging';

/**
 * Local mode only: the Agents Playground cannot do Teams SSO, so with LOCAL_PLAYGROUND_SSO=true a user
 * without a session is signed in with an SSO token minted by the local Entra emulator for the
 * activity's own sender. The config refuses the flag whenever any Azure setting is present, and this
 * decorator re-checks the profile, so it can never run against a real tenant. The minted token goes
 * through the normal validation and OBO, and must name the same user.
 */
export function withPlaygroundSignIn(identity: IdentityService, config: Pick<Config, 'profile' | 'local'>, logger: Logger): IdentityService {
  const local = config.local;
  if (config.profile !== 'local' || !local?.playgroundSso) return identity;
  return {
    ...identity,
    hasSession: async (user) => {
      if (await identity.hasSession(user)) return true;
      const response = await fetch(local.ssoTokenUrl, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ user: user.objectId }),
      });
      if (!response.ok) {
        logger.warn({ status: response.status, user: user.objectId }, 'playground sign-in: the Entra emulator minted no token');
        return false;
      }
      const { access_token: token } = (await response.json()) as { access_token?: string };
      if (!token) return false;
      const signedIn = await identity.signIn(token);
      if (signedIn.objectId !== user.objectId || signedIn.tenantId !== user.tenantId) {
        throw new AppError('AUTH.USER_MISMATCH', 'playground sign-in produced a token for another user');
      }
      logger.info({ user: user.objectId }, 'playground sign-in through the local Entra emulator');
      return true;
    },
  };
}
