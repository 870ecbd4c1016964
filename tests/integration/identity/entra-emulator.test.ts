import { FOREIGN_TENANT_ID, OTHER_APP_ID, TENANT_ID } from '../../../emulators/shared/directory';
import { claimsOf, startEntraFixture, type EntraFixture } from './entra-fixture';

const DBX = '2ff814a6-3304-4ab8-85cb-cd0e6f879c1d';
const OBO = 'urn:ietf:params:oauth:grant-type:jwt-bearer';
const ALICE_OID = 'a11ce000-0000-4000-8000-000000000001';

let fx: EntraFixture;
beforeAll(async () => { fx = await startEntraFixture(); });
afterAll(async () => { await fx.emulator.stop(); });
beforeEach(async () => { await fx.control.reset(); });

async function token(form: Record<string, string>, tenant = TENANT_ID) {
  const response = await fetch(`${fx.emulator.info.baseUrl}/${tenant}/oauth2/v2.0/token`, { method: 'POST', body: new URLSearchParams(form) });
  return { status: response.status, body: (await response.json()) as Record<string, string> };
}

async function obo(user = 'alice', extra: Record<string, string> = {}) {
  return token({
    grant_type: OBO, requested_token_use: 'on_behalf_of', client_id: fx.emulator.info.botAppId, client_secret: fx.emulator.info.clientSecret,
    assertion: await fx.control.ssoToken(user), scope: `${DBX}/user_impersonation openid profile offline_access`, ...extra,
  });
}

describe('the Entra ID emulator on the wire', () => {
  test('when the OIDC document is fetched, then it names the tenant issuer, JWKS and token endpoint', async () => {
    const doc = (await (await fetch(`${fx.emulator.info.authority}/v2.0/.well-known/openid-configuration`)).json()) as Record<string, string>;
    expect(doc).toMatchObject({
      issuer: `${fx.emulator.info.baseUrl}/${TENANT_ID}/v2.0`,
      jwks_uri: fx.emulator.info.jwksUri,
      token_endpoint: `${fx.emulator.info.authority}/oauth2/v2.0/token`,
      authorization_endpoint: `${fx.emulator.info.authority}/oauth2/v2.0/authorize`,
    });
    expect(fx.emulator.info.issuers).toEqual([doc.issuer, `https://sts.windows.net/${TENANT_ID}/`]);
  });

  test('when the JWKS is fetched twice, then it serves the same RS256 key id', async () => {
    const keys = async () => ((await (await fetch(fx.emulator.info.jwksUri)).json()) as { keys: Array<{ kid: string; alg: string; kty: string }> }).keys;
    const [first, second] = [await keys(), await keys()];
    expect(first).toHaveLength(1);
    expect(first[0]).toMatchObject({ alg: 'RS256', kty: 'RSA' });
    expect(second[0]!.kid).toBe(first[0]!.kid);
  });

  test('when an unknown tenant is asked, then AADSTS90002', async () => {
    const { status, body } = await token({ grant_type: 'client_credentials' }, FOREIGN_TENANT_ID);
    expect(status).toBe(400);
    expect(body.error_description).toMatch(/^AADSTS90002:/);
  });

  test('when OBO succeeds, then the response has every field MSAL uses, with the right claims', async () => {
    const { status, body } = await obo();
    expect(status).toBe(200);
    expect(body).toMatchObject({ token_type: 'Bearer', scope: `${DBX}/user_impersonation`, expires_in: 3600, ext_expires_in: 3600 });
    expect(body.refresh_token).toMatch(/^0\.A[\w-]+$/);
    expect(claimsOf(body.access_token!)).toMatchObject({
      aud: DBX, iss: `${fx.emulator.info.baseUrl}/${TENANT_ID}/v2.0`, scp: 'user_impersonation', oid: ALICE_OID, tid: TENANT_ID,
      upn: 'alice@contoso.example', name: 'Alice Wong', appid: fx.emulator.info.botAppId, azp: fx.emulator.info.botAppId, ver: '2.0',
    });
    expect(claimsOf(body.id_token!)).toMatchObject({ aud: fx.emulator.info.botAppId, oid: ALICE_OID, tid: TENANT_ID, preferred_username: 'alice@contoso.example' });
    expect(JSON.parse(Buffer.from(body.client_info!, 'base64url').toString())).toEqual({ uid: ALICE_OID, utid: TENANT_ID });
    const at = claimsOf(body.access_token!) as { exp: number; iat: number; nbf: number };
    expect(at.exp - at.iat).toBe(3600);
    expect(at.nbf).toBe(at.iat);
  });

  test('when a refresh token is redeemed by its client, then new tokens come back; by another client, then invalid_grant', async () => {
    const { body } = await obo();
    const refresh = { grant_type: 'refresh_token', refresh_token: body.refresh_token!, scope: `${DBX}/user_impersonation offline_access` };
    const own = await token({ ...refresh, client_id: fx.emulator.info.botAppId, client_secret: fx.emulator.info.clientSecret });
    expect(own.status).toBe(200);
    expect(claimsOf(own.body.access_token!).oid).toBe(ALICE_OID);
    const other = await token({ ...refresh, client_id: OTHER_APP_ID, client_secret: 'other-app-secret' });
    expect(other).toMatchObject({ status: 400, body: { error: 'invalid_grant' } });
    expect((await fx.control.counters()).byUser[ALICE_OID]).toEqual({ on_behalf_of: 1, refresh_token: 2 });
  });

  test('when another app without the Databricks permission runs OBO, then consent_required (AADSTS65001)', async () => {
    const assertion = await fx.control.ssoToken('alice', { aud: `api://localhost/other-${OTHER_APP_ID}` });
    const { status, body } = await token({
      grant_type: OBO, requested_token_use: 'on_behalf_of', client_id: OTHER_APP_ID, client_secret: 'other-app-secret', assertion, scope: `${DBX}/user_impersonation`,
    });
    expect(status).toBe(400);
    expect(body).toMatchObject({ error: 'invalid_grant', suberror: 'consent_required', error_codes: [65001] });
  });

  test('when the assertion was issued for another app, then AADSTS50013', async () => {
    const { status, body } = await obo('alice', { assertion: await fx.control.ssoToken('alice', { aud: 'api://elsewhere' }) });
    expect(status).toBe(400);
    expect(body).toMatchObject({ error: 'invalid_grant', error_codes: [50013] });
  });

  test('when the assertion expired, then AADSTS500133', async () => {
    const { body } = await obo('alice', { assertion: await fx.control.ssoToken('alice', { expiresInSeconds: -3600 }) });
    expect(body).toMatchObject({ error: 'invalid_grant', error_codes: [500133] });
  });

  test('when the assertion clock runs ahead of a fresh token’s lifetime, then AADSTS500133, counted per code and per assertion; at 0 the same token works', async () => {
    const assertion = await fx.control.ssoToken('alice');
    await fx.control.setAssertionClockOffset(70 * 60);
    const { status, body } = await obo('alice', { assertion });
    await fx.control.setAssertionClockOffset(0);
    const again = await obo('alice', { assertion });
    const counters = await fx.control.counters();

    expect(status).toBe(400);
    expect(body).toMatchObject({ error: 'invalid_grant', error_codes: [500133] });
    expect(again.status).toBe(200);
    expect(counters.aadstsErrors).toEqual({ '500133': 1 });
    expect(Object.values(counters.oboAssertions)).toEqual([2]);
  });

  test('when settings are malformed, then the control answers 400 and changes nothing', async () => {
    const post = async (body: unknown) => (await fetch(`${fx.emulator.info.controlUrl}/settings`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) })).status;
    expect(await post({})).toBe(400);
    expect(await post({ assertionClockOffsetSeconds: -1 })).toBe(400);
    expect(await post({ assertionClockOffsetSeconds: '60' })).toBe(400);
    expect(await post({ accessTokenLifetimeSeconds: 0 })).toBe(400);
    expect((await obo('alice')).status).toBe(200);
  });

  test('when MFA is forced for a user and then lifted, then OBO fails with a claims challenge, then succeeds', async () => {
    await fx.control.requireMfa('bob');
    const { body } = await obo('bob');
    expect(body).toMatchObject({ error: 'interaction_required', error_codes: [50076] });
    expect(JSON.parse(body.claims!)).toHaveProperty('access_token');
    expect((await obo('alice')).status).toBe(200);
    await fx.control.requireMfa('bob', false);
    expect((await obo('bob')).status).toBe(200);
  });

  test('when a fault targets one user, then only that user’s request fails and the rule is used up', async () => {
    await fx.control.fault({ count: 1, error: 'http_503', user: 'bob' });
    expect((await obo('alice')).status).toBe(200);
    expect((await obo('bob')).status).toBe(503);
    expect((await obo('bob')).status).toBe(200);
  });

  test('when the token lifetime is changed at run time, then new tokens use it until reset', async () => {
    await fx.control.setAccessTokenLifetime(120);
    expect((await obo()).body.expires_in).toBe(120);
    await fx.control.reset();
    expect((await obo()).body.expires_in).toBe(3600);
  });

  test('when counters are reset, then they start from zero', async () => {
    await obo();
    expect((await fx.control.counters()).tokenRequests).toBe(1);
    await fx.control.reset();
    expect(await fx.control.counters()).toMatchObject({ tokenRequests: 0, byUser: {} });
  });

  test('when a control request is malformed, then 400 names the problem', async () => {
    await expect(fx.control.fault({ count: 1, error: 'nonsense' as never })).rejects.toThrow(/unknown error nonsense/);
    await expect(fx.control.ssoToken('nobody')).rejects.toThrow(/400/);
  });
});
