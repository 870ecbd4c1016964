import { performance } from 'node:perf_hooks';
import { userKeyOf } from '../../../src/context/request-context';
import { isAppError } from '../../../src/errors';
import { MemoryTokenCacheStore } from '../../unit/identity/memory-token-cache-store';
import { claimsOf, startEntraFixture, type EntraFixture } from './entra-fixture';

const ALICE = { tenantId: '7e4a1c00-0000-4000-8000-000000000001', objectId: 'a11ce000-0000-4000-8000-000000000001' };
const BOB = { tenantId: '7e4a1c00-0000-4000-8000-000000000001', objectId: 'b0b00000-0000-4000-8000-000000000002' };

async function codeOf(promise: Promise<unknown>): Promise<string> {
  try {
    await promise;
  } catch (error) {
    return isAppError(error) ? error.code : `not an AppError: ${String(error)}`;
  }
  return 'resolved';
}

let fx: EntraFixture;
beforeAll(async () => { fx = await startEntraFixture(); });
afterAll(async () => { await fx.emulator.stop(); });
beforeEach(async () => { await fx.control.reset(); });

describe('sign-in and the shared per-user token cache', () => {
  test('when alice signs in, then one OBO request yields a Databricks token for her, and later turns and another instance make none', async () => {
    const store = new MemoryTokenCacheStore();
    const first = fx.newService(store);
    const user = await first.signIn(await fx.control.ssoToken('alice'));
    expect(user).toEqual({ ...ALICE, upn: 'alice@contoso.example', displayName: 'Alice Wong' });
    expect((await fx.control.counters()).byGrant.on_behalf_of).toBe(1);

    const token = await first.tokenProviderFor(user).getDatabricksToken();
    expect(claimsOf(token)).toMatchObject({ oid: ALICE.objectId, tid: ALICE.tenantId, aud: '2ff814a6-3304-4ab8-85cb-cd0e6f879c1d', scp: 'user_impersonation' });
    await first.tokenProviderFor(user).getDatabricksToken();

    const second = fx.newService(store);
    expect(await second.tokenProviderFor(ALICE).getDatabricksToken()).toBe(token);

    const counters = await fx.control.counters();
    expect(counters.tokenRequests).toBe(1);
    expect(counters.byUser[ALICE.objectId]).toEqual({ on_behalf_of: 1 });
  });

  test('when the cache is stored, then it is encrypted under a key id and holds no token in clear', async () => {
    const store = new MemoryTokenCacheStore();
    const service = fx.newService(store);
    await service.signIn(await fx.control.ssoToken('alice'));
    const token = await service.tokenProviderFor(ALICE).getDatabricksToken();
    const blob = store.blobs.get(userKeyOf(ALICE))!;
    expect([...store.blobs.keys()]).toEqual([userKeyOf(ALICE)]);
    expect(blob).toMatch(/^tc1\.[0-9a-f]{12}\./);
    expect(blob).not.toContain(token.split('.')[1]!);
    expect(blob).not.toContain('RefreshToken');
    expect(blob).not.toContain(ALICE.objectId);
  });

  test('when a user never signed in, then hasSession is false and a token request says AUTH.SIGN_IN_REQUIRED without calling Entra', async () => {
    const service = fx.newService(new MemoryTokenCacheStore());
    expect(await service.hasSession(BOB)).toBe(false);
    expect(await codeOf(service.tokenProviderFor(BOB).getDatabricksToken())).toBe('AUTH.SIGN_IN_REQUIRED');
    expect((await fx.control.counters()).tokenRequests).toBe(0);
  });

  test('when a user signs out, then the partition is gone and the next turn asks for sign-in', async () => {
    const store = new MemoryTokenCacheStore();
    const service = fx.newService(store);
    await service.signIn(await fx.control.ssoToken('bob'));
    expect(await service.hasSession(BOB)).toBe(true);
    await fx.newService(store).signOut(BOB);
    expect(await service.hasSession(BOB)).toBe(false);
    expect(await codeOf(service.tokenProviderFor(BOB).getDatabricksToken())).toBe('AUTH.SIGN_IN_REQUIRED');
  });

  test("when alice's blob is copied under bob's key, then it is unreadable there and bob gets no token", async () => {
    const store = new MemoryTokenCacheStore();
    const service = fx.newService(store);
    await service.signIn(await fx.control.ssoToken('alice'));
    store.blobs.set(userKeyOf(BOB), store.blobs.get(userKeyOf(ALICE))!);
    expect(await service.hasSession(BOB)).toBe(false);
    expect(await codeOf(service.tokenProviderFor(BOB).getDatabricksToken())).toBe('AUTH.SIGN_IN_REQUIRED');
  });

  test('when a provider is asked for bob with only alice signed in, then it never returns alice’s token', async () => {
    const store = new MemoryTokenCacheStore();
    const service = fx.newService(store);
    await service.signIn(await fx.control.ssoToken('alice'));
    expect(await codeOf(service.tokenProviderFor(BOB).getDatabricksToken())).toBe('AUTH.SIGN_IN_REQUIRED');
  });

  test('when another instance has a different cache key, then it cannot read the partition and asks for sign-in', async () => {
    const store = new MemoryTokenCacheStore();
    await fx.newService(store).signIn(await fx.control.ssoToken('alice'));
    const { createIdentityService } = await import('../../../src/identity');
    const { silentLogger } = await import('../../../src/logging');
    const other = createIdentityService({ config: fx.identityConfig, cacheStore: store, encryptionKey: Buffer.alloc(32, 7).toString('base64'), logger: silentLogger() });
    expect(await codeOf(other.tokenProviderFor(ALICE).getDatabricksToken())).toBe('AUTH.SIGN_IN_REQUIRED');
  });

  test('when the same user signs in again with a new SSO token, then one more OBO runs and the partition still holds one account', async () => {
    const store = new MemoryTokenCacheStore();
    const service = fx.newService(store);
    await service.signIn(await fx.control.ssoToken('alice'));
    await service.signIn(await fx.control.ssoToken('alice'));
    expect((await fx.control.counters()).byGrant.on_behalf_of).toBe(2);
    expect(await service.hasSession(ALICE)).toBe(true);
    expect(claimsOf(await service.tokenProviderFor(ALICE).getDatabricksToken()).oid).toBe(ALICE.objectId);
  });

  test('when a client is built per turn, then no discovery request is made after the first OIDC document and the store is read once per turn (measured)', async () => {
    const store = new MemoryTokenCacheStore();
    const service = fx.newService(store);
    await service.signIn(await fx.control.ssoToken('alice'));
    const turns = 200;
    const readsBefore = store.reads.length;
    const started = performance.now();
    for (let i = 0; i < turns; i += 1) await service.tokenProviderFor(ALICE).getDatabricksToken();
    const perTurnMs = (performance.now() - started) / turns;
    const counters = await fx.control.counters();
    expect(store.reads.length - readsBefore).toBe(turns);
    expect(counters.openidConfiguration).toBe(1);
    expect(counters.tokenRequests).toBe(1);
    console.info(`per-turn MSAL client + silent token from the encrypted partition: ${perTurnMs.toFixed(2)} ms (${turns} turns)`);
  });
});

describe('why the per-turn client is given the authority metadata', () => {
  test('when clients are built without authorityMetadata, then each instance fetches the OIDC document; with it, none does (measured)', async () => {
    const { ConfidentialClientApplication } = await import('@azure/msal-node');
    const auth = { clientId: fx.identityConfig.clientId, clientSecret: fx.identityConfig.clientSecret, authority: fx.identityConfig.authority, knownAuthorities: [...fx.identityConfig.knownAuthorities] };
    const sso = await fx.control.ssoToken('bob');
    const metadata = await (await fetch(`${fx.identityConfig.authority}/v2.0/.well-known/openid-configuration`)).text();
    const timed = async (withMetadata: boolean) => {
      const before = (await fx.control.counters()).openidConfiguration;
      const started = performance.now();
      for (let i = 0; i < 10; i += 1) {
        const cca = new ConfidentialClientApplication({ auth: withMetadata ? { ...auth, authorityMetadata: metadata } : auth });
        await cca.acquireTokenOnBehalfOf({ oboAssertion: sso, scopes: [fx.identityConfig.databricksScope], skipCache: true });
      }
      return { discovery: (await fx.control.counters()).openidConfiguration - before, ms: (performance.now() - started) / 10 };
    };
    const without = await timed(false);
    const withMeta = await timed(true);
    expect(without.discovery).toBe(10);
    expect(withMeta.discovery).toBe(0);
    console.info(`per-instance OBO: without authorityMetadata ${without.ms.toFixed(1)} ms + 1 discovery GET; with it ${withMeta.ms.toFixed(1)} ms + 0`);
  });
});

describe('a repeated sign-in with the same SSO token', () => {
  test('when Teams retries the exchange with the same token, then it is served from the partition with no second OBO', async () => {
    const service = fx.newService(new MemoryTokenCacheStore());
    const sso = await fx.control.ssoToken('alice');
    const first = await service.signIn(sso);
    await expect(fx.newService(new MemoryTokenCacheStore()).signIn(sso)).resolves.toEqual(first);
    expect(await service.signIn(sso)).toEqual(first);
    expect((await fx.control.counters()).byGrant.on_behalf_of).toBe(2);
  });
});
