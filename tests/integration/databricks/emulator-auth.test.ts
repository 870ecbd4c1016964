import { generateKeyPair } from 'jose';
import { DATABRICKS_RESOURCE_ID, FOREIGN_TENANT_ID } from '../../../emulators/shared/directory';
import { startPrivateDatabricks, type PrivateDatabricks } from './emulator-support';

/** The emulator's bearer-token checks, with tokens the Entra emulator would never issue. */
let db: PrivateDatabricks;

beforeAll(async () => {
  db = await startPrivateDatabricks();
}, 60_000);
afterAll(async () => db?.stop());

async function warehouseInfo(token: string | undefined): Promise<{ status: number; body: { error_code?: string; message?: string; state?: string } }> {
  const response = await fetch(`${db.info.baseUrl}/api/2.0/sql/warehouses/${db.info.warehouseId}`, {
    headers: token === undefined ? {} : { authorization: `Bearer ${token}` },
  });
  return { status: response.status, body: (await response.json()) as { error_code?: string; message?: string } };
}

const unsigned = (claims: Record<string, unknown>): string =>
  `${Buffer.from(JSON.stringify({ alg: 'none', typ: 'JWT' })).toString('base64url')}.${Buffer.from(JSON.stringify(claims)).toString('base64url')}.`;

describe('Databricks emulator authentication', () => {
  test('when a valid Databricks-audience token is sent, then the API answers', async () => {
    const { status, body } = await warehouseInfo(await db.token('alice'));
    expect(status).toBe(200);
    expect(body.state).toBe('RUNNING');
  });

  test('when no token is sent, then 401 UNAUTHENTICATED in the Databricks error shape', async () => {
    const { status, body } = await warehouseInfo(undefined);
    expect(status).toBe(401);
    expect(body).toEqual({ error_code: 'UNAUTHENTICATED', message: expect.any(String) });
  });

  test('when the token is expired, then 401 UNAUTHENTICATED', async () => {
    const past = Math.floor(Date.now() / 1000) - 7200;
    const { status, body } = await warehouseInfo(await db.token('alice', { iat: past, nbf: past, exp: past + 600 }));
    expect(status).toBe(401);
    expect(body.error_code).toBe('UNAUTHENTICATED');
    expect(body.message).toMatch(/expired/i);
  });

  test('when the token is for another audience (e.g. Microsoft Graph), then 401', async () => {
    const { status, body } = await warehouseInfo(await db.token('alice', { aud: '00000003-0000-0000-c000-000000000000' }));
    expect(status).toBe(401);
    expect(body.error_code).toBe('UNAUTHENTICATED');
  });

  test('when the token is unsigned (alg none), then 401', async () => {
    const now = Math.floor(Date.now() / 1000);
    const token = unsigned({ aud: DATABRICKS_RESOURCE_ID, iss: db.issuer, upn: 'carol@contoso.example', exp: now + 600, tid: 'x' });
    expect((await warehouseInfo(token)).status).toBe(401);
  });

  test('when the token is signed by a key not in the JWKS, then 401', async () => {
    const { privateKey } = await generateKeyPair('RS256');
    expect((await warehouseInfo(await db.token('carol', {}, { key: privateKey }))).status).toBe(401);
  });

  test('when the issuer is not trusted, then 401', async () => {
    expect((await warehouseInfo(await db.token('carol', { iss: 'https://evil.example/v2.0' }))).status).toBe(401);
  });

  test('when the token comes from another tenant, then 403 PERMISSION_DENIED', async () => {
    const { status, body } = await warehouseInfo(await db.token('carol', { tid: FOREIGN_TENANT_ID }));
    expect(status).toBe(403);
    expect(body.error_code).toBe('PERMISSION_DENIED');
  });

  test('when the UPN is not a workspace user, then 403 PERMISSION_DENIED', async () => {
    const { status, body } = await warehouseInfo(await db.token('mallory@contoso.example'));
    expect(status).toBe(403);
    expect(body.error_code).toBe('PERMISSION_DENIED');
  });

  test('when a Thrift call carries a bad token, then HTTP 401 (no Thrift processing)', async () => {
    const response = await fetch(`${db.info.baseUrl}${db.info.httpPath}`, { method: 'POST', headers: { authorization: 'Bearer nope' }, body: Buffer.alloc(8) });
    expect(response.status).toBe(401);
  });

  test('when a statement id is unknown to the caller, then 404 RESOURCE_DOES_NOT_EXIST', async () => {
    const history = (await db.control('/history')) as { queries: unknown[] };
    expect(Array.isArray(history.queries)).toBe(true);
    const response = await fetch(`${db.info.baseUrl}/api/2.0/sql/statements/00000000-0000-4000-8000-000000000000`, {
      headers: { authorization: `Bearer ${await db.token('bob')}` },
    });
    expect(response.status).toBe(404);
    expect(((await response.json()) as { error_code: string }).error_code).toBe('RESOURCE_DOES_NOT_EXIST');
  });
});
