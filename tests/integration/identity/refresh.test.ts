import { isAppError } from '../../../src/errors';
import { MemoryTokenCacheStore } from '../../unit/identity/memory-token-cache-store';
import { claimsOf, startEntraFixture, type EntraFixture } from './entra-fixture';

/** MSAL renews a token 300 s before expiry (whole seconds): a 302 s token is surely near expiry after 3.1 s. */
const LIFETIME_SECONDS = 302;
const ALICE = { tenantId: '7e4a1c00-0000-4000-8000-000000000001', objectId: 'a11ce000-0000-4000-8000-000000000001' };

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

async function codeOf(promise: Promise<unknown>): Promise<string> {
  try {
    await promise;
  } catch (error) {
    return isAppError(error) ? error.code : `not an AppError: ${String(error)}`;
  }
  return 'resolved';
}

let fx: EntraFixture;
beforeAll(async () => { fx = await startEntraFixture({ accessTokenLifetimeSeconds: LIFETIME_SECONDS }); });
afterAll(async () => { await fx.emulator.stop(); });
beforeEach(async () => { await fx.control.reset(); });

async function signedInNearExpiry(user = 'alice') {
  const store = new MemoryTokenCacheStore();
  const service = fx.newService(store);
  const identity = await service.signIn(await fx.control.ssoToken(user));
  const first = await service.tokenProviderFor(identity).getDatabricksToken();
  await sleep(3_100);
  return { store, service, identity, first };
}

describe('refresh near expiry', () => {
  test('when the cached token is near expiry, then one refresh_token request renews it and the renewed token is shared by other instances', async () => {
    const { store, service, identity, first } = await signedInNearExpiry();
    const renewed = await service.tokenProviderFor(identity).getDatabricksToken();
    expect(renewed).not.toBe(first);
    expect(claimsOf(renewed)).toMatchObject({ oid: ALICE.objectId, aud: '2ff814a6-3304-4ab8-85cb-cd0e6f879c1d' });

    expect(await fx.newService(store).tokenProviderFor(ALICE).getDatabricksToken()).toBe(renewed);
    const counters = await fx.control.counters();
    expect(counters.byGrant).toMatchObject({ on_behalf_of: 1, refresh_token: 1 });
    expect(counters.byUser[ALICE.objectId]).toEqual({ on_behalf_of: 1, refresh_token: 1 });
  });

  test('when the refresh token was revoked (invalid_grant), then AUTH.SIGN_IN_REQUIRED', async () => {
    const { service, identity } = await signedInNearExpiry();
    await fx.control.revoke('alice');
    expect(await codeOf(service.tokenProviderFor(identity).getDatabricksToken())).toBe('AUTH.SIGN_IN_REQUIRED');
  });

  test('when Conditional Access starts requiring MFA, then the refresh fails with AUTH.INTERACTION_REQUIRED', async () => {
    const { service, identity } = await signedInNearExpiry();
    await fx.control.requireMfa('alice');
    expect(await codeOf(service.tokenProviderFor(identity).getDatabricksToken())).toBe('AUTH.INTERACTION_REQUIRED');
  });

  test('when Entra is down at refresh time, then AUTH.IDENTITY_UNAVAILABLE and the next turn refreshes fine', async () => {
    const { service, identity } = await signedInNearExpiry();
    await fx.control.fault({ count: 1, error: 'http_503', grant: 'refresh_token' });
    expect(await codeOf(service.tokenProviderFor(identity).getDatabricksToken())).toBe('AUTH.IDENTITY_UNAVAILABLE');
    expect(claimsOf(await service.tokenProviderFor(identity).getDatabricksToken()).oid).toBe(ALICE.objectId);
    expect((await fx.control.counters()).byGrant.refresh_token).toBe(2);
  });
});
