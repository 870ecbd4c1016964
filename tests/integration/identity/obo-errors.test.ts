import { randomBytes } from 'node:crypto';
import type { ErrorCode } from '../../../src/errors';
import { AppError, isAppError } from '../../../src/errors';
import type { IdentityService } from '../../../src/identity';
import { createIdentityService } from '../../../src/identity';
import { silentLogger } from '../../../src/logging';
import type { FaultKind } from '../../../emulators/entra/controls';
import { MemoryTokenCacheStore } from '../../unit/identity/memory-token-cache-store';
import { startEntraFixture, type EntraFixture } from './entra-fixture';

let fx: EntraFixture;
beforeAll(async () => { fx = await startEntraFixture(); });
afterAll(async () => { await fx.emulator.stop(); });
beforeEach(async () => { await fx.control.reset(); });

async function failureOf(action: () => Promise<unknown>): Promise<{ code: ErrorCode; details: Record<string, unknown> }> {
  try {
    await action();
  } catch (error) {
    if (isAppError(error)) return { code: error.code, details: error.details };
    throw error;
  }
  throw new Error('expected the action to fail');
}

async function signInFails(user: string, service: IdentityService = fx.newService(new MemoryTokenCacheStore())) {
  const sso = await fx.control.ssoToken(user);
  return failureOf(() => service.signIn(sso));
}

describe('on-behalf-of failures surface as their own codes', () => {
  test('when the user has not consented (AADSTS65001), then AUTH.CONSENT_REQUIRED with the admin-consent URL', async () => {
    const failure = await signInFails('dave');
    expect(failure.code).toBe('AUTH.CONSENT_REQUIRED');
    expect(failure.details.consentUrl).toBe(`${fx.emulator.info.authority}/adminconsent?client_id=${fx.emulator.info.botAppId}`);
    expect(failure.details.aadsts).toBe('65001');
  });

  test('when Conditional Access requires MFA (AADSTS50076), then AUTH.INTERACTION_REQUIRED carrying the claims challenge', async () => {
    await fx.control.requireMfa('bob');
    const failure = await signInFails('bob');
    expect(failure.code).toBe('AUTH.INTERACTION_REQUIRED');
    expect(JSON.parse(String(failure.details.claims))).toHaveProperty('access_token.capolids');
  });

  test('when the client secret is wrong (AADSTS7000215), then AUTH.CLIENT_MISCONFIGURED', async () => {
    const failure = await signInFails('alice', fx.newService(new MemoryTokenCacheStore(), { clientSecret: 'wrong-secret' }));
    expect(failure).toMatchObject({ code: 'AUTH.CLIENT_MISCONFIGURED', details: { aadsts: '7000215' } });
  });

  test('when the client id is unknown to the tenant (AADSTS700016), then AUTH.CLIENT_MISCONFIGURED', async () => {
    const failure = await signInFails('alice', fx.newService(new MemoryTokenCacheStore(), { clientId: 'c0ffee00-0000-4000-8000-00000000c0de' }));
    expect(failure).toMatchObject({ code: 'AUTH.CLIENT_MISCONFIGURED', details: { aadsts: '700016' } });
  });

  const injected: Array<[FaultKind, ErrorCode]> = [
    ['expired_assertion', 'AUTH.ASSERTION_EXPIRED'],
    ['invalid_assertion', 'AUTH.SIGN_IN_REQUIRED'],
    ['consent_required', 'AUTH.CONSENT_REQUIRED'],
    ['mfa_required', 'AUTH.INTERACTION_REQUIRED'],
    ['bad_client_secret', 'AUTH.CLIENT_MISCONFIGURED'],
    ['unknown_client', 'AUTH.CLIENT_MISCONFIGURED'],
    ['http_500', 'AUTH.IDENTITY_UNAVAILABLE'],
    ['http_503', 'AUTH.IDENTITY_UNAVAILABLE'],
  ];
  test.each(injected)('when the token endpoint answers %s, then %s', async (error, code) => {
    await fx.control.fault({ count: 1, error, grant: 'on_behalf_of' });
    const failure = await signInFails('carol');
    expect(failure.code).toBe(code);
  });

  test('when the identity provider cannot be reached, then AUTH.IDENTITY_UNAVAILABLE', async () => {
    const service = createIdentityService({
      config: { ...fx.identityConfig, authority: `https://localhost:1/${fx.emulator.info.tenantId}` },
      cacheStore: new MemoryTokenCacheStore(),
      encryptionKey: randomBytes(32).toString('base64'),
      logger: silentLogger(),
    });
    const failure = await signInFails('alice', service);
    expect(failure.code).toBe('AUTH.IDENTITY_UNAVAILABLE');
  });

  test('when a failed sign-in is retried after the fault clears, then it succeeds and nothing was cached for the failure', async () => {
    const store = new MemoryTokenCacheStore();
    const service = fx.newService(store);
    await fx.control.fault({ count: 1, error: 'http_503' });
    const sso = await fx.control.ssoToken('alice');
    expect((await failureOf(() => service.signIn(sso))).code).toBe('AUTH.IDENTITY_UNAVAILABLE');
    expect(store.blobs.size).toBe(0);
    await expect(service.signIn(sso)).resolves.toMatchObject({ objectId: 'a11ce000-0000-4000-8000-000000000001' });
    expect((await fx.control.counters()).byGrant.on_behalf_of).toBe(2);
  });
});

describe('cache store failures are not disguised as sign-in problems', () => {
  test('when the store cannot be written at sign-in, then its STORAGE code surfaces unchanged', async () => {
    const store = new MemoryTokenCacheStore();
    store.write = async () => { throw new AppError('STORAGE.UNAVAILABLE', 'cosmos down'); };
    const failure = await signInFails('alice', fx.newService(store));
    expect(failure.code).toBe('STORAGE.UNAVAILABLE');
  });

  test('when the store cannot be read on a later turn, then its STORAGE code surfaces unchanged', async () => {
    const store = new MemoryTokenCacheStore();
    const service = fx.newService(store);
    const user = await service.signIn(await fx.control.ssoToken('alice'));
    store.read = async () => { throw new AppError('STORAGE.THROTTLED', 'busy'); };
    expect((await failureOf(() => service.tokenProviderFor(user).getDatabricksToken())).code).toBe('STORAGE.THROTTLED');
  });
});

describe('the emulator answers in Entra ID shapes', () => {
  async function postToken(form: Record<string, string>) {
    const response = await fetch(`${fx.emulator.info.authority}/oauth2/v2.0/token`, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: new URLSearchParams(form),
    });
    return { status: response.status, body: (await response.json()) as Record<string, unknown> };
  }

  test('when the client secret is wrong, then 401 invalid_client with AADSTS7000215 and the trace fields', async () => {
    const { status, body } = await postToken({ grant_type: 'client_credentials', client_id: fx.emulator.info.botAppId, client_secret: 'nope', scope: '2ff814a6-3304-4ab8-85cb-cd0e6f879c1d/.default' });
    expect(status).toBe(401);
    expect(body).toMatchObject({ error: 'invalid_client', error_codes: [7000215] });
    expect(String(body.error_description)).toMatch(/^AADSTS7000215: /);
    for (const field of ['timestamp', 'trace_id', 'correlation_id']) expect(typeof body[field]).toBe('string');
  });

  test('when client_credentials is asked with the right secret, then an app-only token without scp', async () => {
    const { status, body } = await postToken({ grant_type: 'client_credentials', client_id: fx.emulator.info.botAppId, client_secret: fx.emulator.info.clientSecret, scope: '2ff814a6-3304-4ab8-85cb-cd0e6f879c1d/.default' });
    expect(status).toBe(200);
    expect(body).toMatchObject({ token_type: 'Bearer', expires_in: 3600 });
    const claims = JSON.parse(Buffer.from(String(body.access_token).split('.')[1]!, 'base64url').toString()) as Record<string, unknown>;
    expect(claims).toMatchObject({ aud: '2ff814a6-3304-4ab8-85cb-cd0e6f879c1d', idtyp: 'app', appid: fx.emulator.info.botAppId });
    expect(claims.scp).toBeUndefined();
    expect((await fx.control.counters()).byGrant.client_credentials).toBe(1);
  });

  test('when a request is delayed by the controls, then the answer comes no sooner than the delay', async () => {
    await fx.control.fault({ count: 1, delayMs: 300 });
    const started = Date.now();
    const { status } = await postToken({ grant_type: 'client_credentials', client_id: fx.emulator.info.botAppId, client_secret: fx.emulator.info.clientSecret, scope: '2ff814a6-3304-4ab8-85cb-cd0e6f879c1d/.default' });
    expect(status).toBe(200);
    expect(Date.now() - started).toBeGreaterThanOrEqual(290);
  });
});
