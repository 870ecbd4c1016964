import { type KeyObject, generateKeyPairSync, sign } from 'node:crypto';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { type Activity, CallerIdConstants, CloudAdapter, ConfigurationBotFrameworkAuthentication } from 'botbuilder';
import { AuthenticationConstants } from 'botframework-connector';
import { createAdapter } from '../../../bot/adapters/teams-ai/adapter';
import { createServer, type RunningServer } from '../../../bot/http/server';
import { silentLogger } from '../../../src/logging';
import { buildMessage } from '../../fakes/bot-activities';


const APP_ID = '11111111-1111-1111-1111-111111111111';
const TENANT = '22222222-2222-2222-2222-222222222222';
const KID = 'test-key-1';

interface Keys {
  privateKey: KeyObject;
  jwk: Record<string, unknown>;
}

function makeKeys(): Keys {
  const { privateKey, publicKey } = generateKeyPairSync('rsa', { modulusLength: 2048 });
  return { privateKey, jwk: { ...publicKey.export({ format: 'jwk' }), kid: KID, kty: 'RSA', use: 'sig', endorsements: ['msteams'] } };
}

const b64 = (value: object): string => Buffer.from(JSON.stringify(value)).toString('base64url');

function mint(keys: Keys, claims: Record<string, unknown>, header: Record<string, unknown> = { alg: 'RS256', kid: KID, typ: 'JWT' }): string {
  const now = Math.floor(Date.now() / 1000);
  const input = `${b64(header)}.${b64({ nbf: now - 60, exp: now + 3600, iat: now - 60, ...claims })}`;
  if (header.alg === 'none') return `${input}.`;
  return `${input}.${sign('RSA-SHA256', Buffer.from(input), keys.privateKey).toString('base64url')}`;
}

async function startMetadataServer(keys: Keys): Promise<{ url: string; close: () => Promise<void> }> {
  const server = http.createServer((req, res) => {
    const base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
    res.setHeader('content-type', 'application/json');
    if (req.url === '/openid') res.end(JSON.stringify({ issuer: 'https://api.botframework.com', jwks_uri: `${base}/keys`, id_token_signing_alg_values_supported: ['RS256'] }));
    else if (req.url === '/keys') res.end(JSON.stringify({ keys: [keys.jwk] }));
    else {
      res.writeHead(404);
      res.end();
    }
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return { url: `http://127.0.0.1:${(server.address() as AddressInfo).port}/openid`, close: () => new Promise((resolve) => server.close(() => resolve())) };
}

describe('inbound authentication, Azure profile', () => {
  const keys = makeKeys();
  const seen: Partial<Activity>[] = [];
  let metadata: { url: string; close: () => Promise<void> };
  let server: RunningServer;
  let base: string;

  // The SDK would validate an Entra ("emulator path") token against Entra's keys; here those are the
  // test's keys, so a token signed by them is one the SDK itself accepts and only our wrapper refuses.
  const entraMetadataUrl = AuthenticationConstants.ToBotFromEmulatorOpenIdMetadataUrl;

  beforeAll(async () => {
    jest.spyOn(console, 'error').mockImplementation(() => undefined);
    jest.spyOn(console, 'warn').mockImplementation(() => undefined);
    metadata = await startMetadataServer(keys);
    (AuthenticationConstants as { ToBotFromEmulatorOpenIdMetadataUrl: string }).ToBotFromEmulatorOpenIdMetadataUrl = metadata.url;
    const adapter = createAdapter(
      { appId: APP_ID, appPassword: 'secret', tenantId: TENANT, appType: 'SingleTenant', authenticateInbound: true },
      silentLogger(),
      { channelOpenIdMetadataUrl: metadata.url },
    );
    server = createServer({
      admit: () => undefined,
      logger: silentLogger(),
      authority: `https://login.microsoftonline.com/${TENANT}`,
      probes: [],
      processActivity: (req, res) =>
        adapter.process(req, res, async (turn) => {
          seen.push(turn.activity);
        }),
    });
    base = `http://127.0.0.1:${await server.listen(0)}`;
  });

  afterAll(async () => {
    (AuthenticationConstants as { ToBotFromEmulatorOpenIdMetadataUrl: string }).ToBotFromEmulatorOpenIdMetadataUrl = entraMetadataUrl;
    await server.close();
    await metadata.close();
    jest.restoreAllMocks();
  });

  async function post(activity: Partial<Activity>, token: string | undefined): Promise<number> {
    seen.length = 0;
    const res = await fetch(`${base}/api/messages`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', ...(token === undefined ? {} : { authorization: `Bearer ${token}` }) },
      body: JSON.stringify(activity),
    });
    return res.status;
  }

  const activity = buildMessage('hello');
  const channelClaims = { iss: 'https://api.botframework.com', aud: APP_ID, serviceurl: activity.serviceUrl };

  it('when Teams sends a Bot Framework channel token for this bot, then the activity is processed', async () => {
    expect(await post(activity, mint(keys, channelClaims))).toBe(200);
    expect(seen).toHaveLength(1);
  });

  it('when an Entra "emulator path" token for the bot app id arrives, then it is refused with 401', async () => {
    const token = mint(keys, { iss: `https://sts.windows.net/${TENANT}/`, aud: APP_ID, appid: APP_ID, ver: '1.0', tid: TENANT });
    expect(await post(activity, token)).toBe(401);
    expect(seen).toHaveLength(0);
  });

  it('when the token is unsigned (alg none), then it is refused with 401', async () => {
    expect(await post(activity, mint(keys, channelClaims, { alg: 'none', typ: 'JWT' }))).toBe(401);
    expect(seen).toHaveLength(0);
  });

  it('when the token is for another audience, then it is refused with 401', async () => {
    expect(await post(activity, mint(keys, { ...channelClaims, aud: '99999999-9999-9999-9999-999999999999' }))).toBe(401);
    expect(seen).toHaveLength(0);
  });

  it("when the activity's serviceUrl differs from the token's, then it is refused with 401", async () => {
    expect(await post({ ...activity, serviceUrl: 'https://attacker.example/' }, mint(keys, channelClaims))).toBe(401);
    expect(seen).toHaveLength(0);
  });

  it('when a token is signed by an unknown key, then it is refused with 401', async () => {
    const other = makeKeys();
    expect(await post(activity, mint(other, channelClaims))).toBe(401);
    expect(seen).toHaveLength(0);
  });

  it('when there is no Authorization header, then it is refused with 401', async () => {
    expect(await post(activity, undefined)).toBe(401);
    expect(seen).toHaveLength(0);
  });
});

describe('inbound authentication, the SDK default for comparison (finding 1)', () => {
  it('when the SDK runs without the channel-only wrapper, then it accepts an Entra emulator-path token that ours refuses', async () => {
    jest.spyOn(console, 'error').mockImplementation(() => undefined);
    const keys = makeKeys();
    const metadata = await startMetadataServer(keys);
    const sdkDefault = new CloudAdapter(
      new ConfigurationBotFrameworkAuthentication({
        MicrosoftAppId: APP_ID,
        MicrosoftAppPassword: 'secret',
        MicrosoftAppType: 'SingleTenant',
        MicrosoftAppTenantId: TENANT,
        ValidateAuthority: true,
        ToChannelFromBotLoginUrl: AuthenticationConstants.ToChannelFromBotLoginUrl,
        ToChannelFromBotOAuthScope: AuthenticationConstants.ToChannelFromBotOAuthScope,
        ToBotFromChannelTokenIssuer: AuthenticationConstants.ToBotFromChannelTokenIssuer,
        OAuthUrl: AuthenticationConstants.OAuthUrl,
        ToBotFromChannelOpenIdMetadataUrl: metadata.url,
        ToBotFromEmulatorOpenIdMetadataUrl: metadata.url,
        CallerId: CallerIdConstants.PublicAzureChannel,
      }),
    );
    const ours = createAdapter({ appId: APP_ID, appPassword: 'secret', tenantId: TENANT, appType: 'SingleTenant', authenticateInbound: true }, silentLogger(), { channelOpenIdMetadataUrl: metadata.url });
    const servers = [sdkDefault, ours].map((adapter) =>
      createServer({ admit: () => undefined,
      logger: silentLogger(), authority: 'https://login.example/t', probes: [], processActivity: (req, res) => adapter.process(req, res, async () => undefined) }),
    );
    const ports = await Promise.all(servers.map((s) => s.listen(0)));
    const activity = { ...buildMessage('hello'), serviceUrl: 'https://attacker.example/' };
    const token = mint(keys, { iss: 'https://sts.windows.net/d6d49420-f39b-4df7-a1dc-d59a935871db/', aud: APP_ID, appid: APP_ID, ver: '1.0' });
    const statuses = await Promise.all(
      ports.map(async (port) =>
        (await fetch(`http://127.0.0.1:${port}/api/messages`, { method: 'POST', headers: { 'content-type': 'application/json', authorization: `Bearer ${token}` }, body: JSON.stringify(activity) })).status,
      ),
    );
    await Promise.all(servers.map((s) => s.close()));
    await metadata.close();
    jest.restoreAllMocks();
    expect(statuses).toEqual([200, 401]);
  });
});
