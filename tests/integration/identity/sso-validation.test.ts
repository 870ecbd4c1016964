import { createPublicKey, generateKeyPairSync } from 'node:crypto';
import { SignJWT, UnsecuredJWT, importJWK, type JWK } from 'jose';
import { isAppError } from '../../../src/errors';
import type { IdentityService } from '../../../src/identity';
import { FOREIGN_TENANT_ID, OTHER_APP_ID, TENANT_ID } from '../../../emulators/shared/directory';
import { MemoryTokenCacheStore } from '../../unit/identity/memory-token-cache-store';
import { claimsOf, startEntraFixture, type EntraFixture } from './entra-fixture';

let fx: EntraFixture;
let service: IdentityService;
let jwk: JWK;
beforeAll(async () => {
  fx = await startEntraFixture();
  service = fx.newService(new MemoryTokenCacheStore());
  jwk = ((await (await fetch(fx.emulator.info.jwksUri)).json()) as { keys: JWK[] }).keys[0]!;
});
afterAll(async () => { await fx.emulator.stop(); });

const sso = (overrides: Record<string, unknown> = {}) => fx.control.ssoToken('alice', overrides);
const now = () => Math.floor(Date.now() / 1000);
const ownKey = generateKeyPairSync('rsa', { modulusLength: 2048 });

async function rejection(token: string): Promise<string> {
  try {
    await service.validateSsoToken(token);
  } catch (error) {
    return isAppError(error) ? error.code : `not an AppError: ${String(error)}`;
  }
  return 'accepted';
}

async function idTokenFromObo(): Promise<string> {
  const form = new URLSearchParams({
    grant_type: 'urn:ietf:params:oauth:grant-type:jwt-bearer', requested_token_use: 'on_behalf_of',
    client_id: fx.emulator.info.botAppId, client_secret: fx.emulator.info.clientSecret,
    assertion: await sso(), scope: '2ff814a6-3304-4ab8-85cb-cd0e6f879c1d/user_impersonation openid profile offline_access',
  });
  const response = await fetch(`${fx.emulator.info.authority}/oauth2/v2.0/token`, { method: 'POST', body: form });
  return ((await response.json()) as { id_token: string }).id_token;
}

function tamper(token: string, patch: Record<string, unknown>): string {
  const [header, , signature] = token.split('.');
  const payload = Buffer.from(JSON.stringify({ ...claimsOf(token), ...patch })).toString('base64url');
  return `${header}.${payload}.${signature}`;
}

describe('SSO token validation', () => {
  test('when Teams hands a genuine token (v2 issuer, app id URI audience), then its claims are returned', async () => {
    const validated = await service.validateSsoToken(await sso());
    expect(validated).toMatchObject({ tenantId: TENANT_ID, objectId: 'a11ce000-0000-4000-8000-000000000001', upn: 'alice@contoso.example', name: 'Alice Wong' });
    expect(validated.expiresAt.getTime()).toBeGreaterThan(Date.now());
  });

  test('when the token has the v1 issuer and the client id as audience, then it is accepted', async () => {
    const token = await sso({ aud: fx.emulator.info.botAppId, claims: { iss: `https://sts.windows.net/${TENANT_ID}/`, ver: '1.0' } });
    expect(await rejection(token)).toBe('accepted');
  });

  test('when the token expired two minutes ago, then the five-minute skew still accepts it', async () => {
    expect(await rejection(await sso({ claims: { exp: now() - 120, iat: now() - 3720, nbf: now() - 3720 } }))).toBe('accepted');
  });

  const cases: Array<[string, () => Promise<string>, string]> = [
    ['not a JWT at all', async () => 'definitely-not-a-token', 'TOKEN.MALFORMED'],
    ['three garbage segments', async () => 'abc.def.ghi', 'TOKEN.MALFORMED'],
    ['alg none', async () => new UnsecuredJWT(claimsOf(await sso())).encode(), 'TOKEN.ALGORITHM'],
    ['HS256 signed with the public key as the secret', async () => {
      const pem = createPublicKey({ key: jwk as import('node:crypto').JsonWebKey, format: 'jwk' }).export({ type: 'spki', format: 'pem' });
      return new SignJWT(claimsOf(await sso())).setProtectedHeader({ alg: 'HS256', kid: jwk.kid }).sign(Buffer.from(pem));
    }, 'TOKEN.ALGORITHM'],
    ['RS512 instead of RS256', async () => new SignJWT(claimsOf(await sso())).setProtectedHeader({ alg: 'RS512', kid: jwk.kid }).sign(ownKey.privateKey), 'TOKEN.ALGORITHM'],
    ['an unknown key id', async () => new SignJWT(claimsOf(await sso())).setProtectedHeader({ alg: 'RS256', kid: 'unknown-kid' }).sign(ownKey.privateKey), 'TOKEN.UNKNOWN_KEY'],
    ['our key id but a forger’s key', async () => new SignJWT(claimsOf(await sso())).setProtectedHeader({ alg: 'RS256', kid: jwk.kid }).sign(ownKey.privateKey), 'TOKEN.SIGNATURE'],
    ['a tampered payload (oid swapped to bob)', async () => tamper(await sso(), { oid: 'b0b00000-0000-4000-8000-000000000002' }), 'TOKEN.SIGNATURE'],
    ['a stripped signature', async () => `${(await sso()).split('.').slice(0, 2).join('.')}.`, 'TOKEN.SIGNATURE'],
    ['a wrong audience', async () => sso({ aud: 'api://evil.example/botid-x' }), 'TOKEN.AUDIENCE'],
    ['a token for another app', async () => sso({ aud: `api://localhost/other-${OTHER_APP_ID}` }), 'TOKEN.AUDIENCE'],
    ['the Databricks audience (a token meant for the resource)', async () => sso({ aud: '2ff814a6-3304-4ab8-85cb-cd0e6f879c1d' }), 'TOKEN.AUDIENCE'],
    ['a look-alike issuer', async () => sso({ claims: { iss: `https://evil.example/${TENANT_ID}/v2.0` } }), 'TOKEN.ISSUER'],
    ['the issuer of another tenant with our tid', async () => sso({ claims: { iss: `https://sts.windows.net/${FOREIGN_TENANT_ID}/` } }), 'TOKEN.ISSUER'],
    ['a foreign tenant', async () => sso({ claims: { tid: FOREIGN_TENANT_ID, iss: `${fx.emulator.info.baseUrl}/${FOREIGN_TENANT_ID}/v2.0` } }), 'TOKEN.TENANT'],
    ['no tenant claim', async () => sso({ claims: { tid: null } }), 'TOKEN.TENANT'],
    ['expired beyond the skew', async () => sso({ expiresInSeconds: -600 }), 'TOKEN.EXPIRED'],
    ['not valid for ten more minutes', async () => sso({ claims: { nbf: now() + 600 } }), 'TOKEN.NOT_YET_VALID'],
    ['no scp claim', async () => sso({ claims: { scp: null } }), 'TOKEN.SCOPE'],
    ['a wrong scope', async () => sso({ scp: 'User.Read' }), 'TOKEN.SCOPE'],
    ['an app-only token (roles, no scp)', async () => sso({ claims: { scp: null, roles: ['Data.Read'], idtyp: 'app' } }), 'TOKEN.SCOPE'],
    ['an ID token instead of an access token', idTokenFromObo, 'TOKEN.TYPE'],
    ['no oid claim', async () => sso({ claims: { oid: null } }), 'TOKEN.MALFORMED'],
    ['no exp claim', async () => sso({ claims: { exp: null } }), 'TOKEN.MALFORMED'],
  ];

  test.each(cases)('when the SSO token is [%s], then it is rejected as %s', async (_name, build, code) => {
    expect(await rejection(await build())).toBe(code);
  });

  test('when tokens with unknown key ids keep arriving, then the JWKS is refetched at most once per cooldown', async () => {
    const before = (await fx.control.counters()).jwks;
    for (let i = 0; i < 5; i += 1) {
      const forged = await new SignJWT(claimsOf(await sso())).setProtectedHeader({ alg: 'RS256', kid: `unknown-${i}` }).sign(ownKey.privateKey);
      expect(await rejection(forged)).toBe('TOKEN.UNKNOWN_KEY');
    }
    expect((await fx.control.counters()).jwks - before).toBeLessThanOrEqual(1);
  });

  test('when an invalid token is presented to signIn, then no OBO request is made', async () => {
    const before = (await fx.control.counters()).tokenRequests;
    await expect(service.signIn(await sso({ aud: 'api://evil.example' }))).rejects.toMatchObject({ code: 'TOKEN.AUDIENCE' });
    expect((await fx.control.counters()).tokenRequests).toBe(before);
  });
});

test('jose can import the emulator JWKS (sanity)', async () => {
  await expect(importJWK(jwk, 'RS256')).resolves.toBeDefined();
});
