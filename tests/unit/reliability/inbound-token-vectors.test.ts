/**
 * Inbound Bot Framework token vectors (reliability-security.md §1 finding 1, §4 cases 1–3) against
 * the bot's real adapter in the Azure profile, on BOTH hosts (`BOT_HOST=teams-ai`: botbuilder's
 * CloudAdapter; `BOT_HOST=agents`: the Agents SDK's, behind bot/adapters/agents/inbound-auth.ts),
 * beyond those in tests/unit/bot/inbound-auth.test.ts:
 * every forged or stale token is refused with 401, reaches no handler and causes no outbound call,
 * and unknown key ids do not make the bot hammer the OpenID key endpoint.
 *
 * "No outbound call" can fail: the handler replies to every activity it gets, so an accepted one
 * makes the bot call out (token request for its reply, then POST to the activity's serviceUrl).
 * Every HTTP(S) request the process starts, other than to the channel's key endpoint, is counted,
 * and the attacker's serviceUrl is a listening server that counts whatever reaches it.
 */
import { type KeyObject, createHmac, generateKeyPairSync, sign } from 'node:crypto';
import http from 'node:http';
import https from 'node:https';
import type { AddressInfo } from 'node:net';
import { MsalTokenProvider } from '@microsoft/agents-hosting';
import type { Activity } from 'botbuilder';
import type { Request as RestifyRequest, Response as RestifyResponse } from 'restify';
import { createAgentsAdapter } from '../../../bot/adapters/agents/agents-adapter';
import { agentsProcessor } from '../../../bot/adapters/agents/agents-host';
import { createAdapter } from '../../../bot/adapters/teams-ai/adapter';
import { createServer, type RunningServer } from '../../../bot/http/server';
import type { TurnLogic } from '../../../bot/turns/host-turn';
import type { BotHost, Config } from '../../../src/config';
import { silentLogger } from '../../../src/logging';
import { buildMessage } from '../../fakes/bot-activities';

const APP_ID = '11111111-1111-1111-1111-111111111111';
const TENANT = '22222222-2222-2222-2222-222222222222';
const KID = 'channel-key-1';
const ISSUER = 'https://api.botframework.com';

const { privateKey, publicKey } = generateKeyPairSync('rsa', { modulusLength: 2048 });
const forger = generateKeyPairSync('rsa', { modulusLength: 2048 });
const b64 = (value: object): string => Buffer.from(JSON.stringify(value)).toString('base64url');

interface MintOptions {
  header?: Record<string, unknown>;
  key?: KeyObject;
  hmacSecret?: Buffer;
}

function mint(claims: Record<string, unknown>, options: MintOptions = {}): string {
  const now = Math.floor(Date.now() / 1000);
  const header = options.header ?? { alg: options.hmacSecret ? 'HS256' : 'RS256', kid: KID, typ: 'JWT' };
  const input = `${b64(header)}.${b64({ nbf: now - 60, exp: now + 3600, iat: now - 60, ...claims })}`;
  if (header.alg === 'none') return `${input}.`;
  if (options.hmacSecret) return `${input}.${createHmac('sha256', options.hmacSecret).update(input).digest('base64url')}`;
  return `${input}.${sign('RSA-SHA256', Buffer.from(input), options.key ?? privateKey).toString('base64url')}`;
}

/** OpenID metadata + JWKS of the "channel", counting key fetches; and a serviceUrl that counts outbound calls. */
async function startFakeChannel(): Promise<{ openIdUrl: string; serviceUrl: string; keyFetches: () => number; outbound: () => number; close: () => Promise<void> }> {
  let keyFetches = 0;
  let outbound = 0;
  const server = http.createServer((req, res) => {
    const base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
    res.setHeader('content-type', 'application/json');
    if (req.url === '/openid') {
      res.end(JSON.stringify({ issuer: ISSUER, jwks_uri: `${base}/keys`, id_token_signing_alg_values_supported: ['RS256'] }));
    } else if (req.url === '/keys') {
      keyFetches += 1;
      res.end(JSON.stringify({ keys: [{ ...publicKey.export({ format: 'jwk' }), kid: KID, kty: 'RSA', use: 'sig', endorsements: ['msteams'] }] }));
    } else {
      outbound += 1;
      res.end('{}');
    }
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  return {
    openIdUrl: `${base}/openid`,
    serviceUrl: `${base}/teams/`,
    keyFetches: () => keyFetches,
    outbound: () => outbound,
    close: () => new Promise((resolve) => server.close(() => resolve())),
  };
}

/** A server at the attacker's serviceUrl: counts every request that reaches it. */
async function startAttacker(): Promise<{ serviceUrl: string; received: () => number; close: () => Promise<void> }> {
  let received = 0;
  const server = http.createServer((req, res) => {
    received += 1;
    req.resume();
    res.writeHead(200, { 'content-type': 'application/json' });
    res.end('{"id":"stolen"}');
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    serviceUrl: `http://127.0.0.1:${(server.address() as AddressInfo).port}/teams/`,
    received: () => received,
    close: () => new Promise((resolve) => server.close(() => resolve())),
  };
}

/** Where an http(s).request call goes, from its arguments (url string, URL or options). */
function targetOf(args: unknown[]): string {
  const first = args[0];
  if (typeof first === 'string' || first instanceof URL) return new URL(first).host;
  const options = (first ?? {}) as { host?: string; hostname?: string; port?: number | string };
  return `${options.hostname ?? options.host ?? ''}${options.port ? `:${options.port}` : ''}`;
}

/** Where the Agents SDK fetches the channel's keys: fixed in the SDK (jwt-middleware.ts `buildJwksUri`). */
const AGENTS_CHANNEL_KEYS_HOST = 'login.botframework.com';

/**
 * Counts every outbound HTTP(S) request of this process (http/https and fetch) except to `allowedHost`
 * (the channel's OpenID/JWKS). Requests to the public internet are counted and failed at once (unit
 * tests stay offline); the Agents SDK's key fetch from login.botframework.com is answered by the fake channel.
 */
function countOutbound(allowedHost: () => string, botHost: () => string): { count: () => number; targets: string[] } {
  const targets: string[] = [];
  const originalHttp = http.request.bind(http) as (...args: unknown[]) => http.ClientRequest;
  for (const module of [http, https]) {
    const original = module.request.bind(module) as (...args: unknown[]) => http.ClientRequest;
    jest.spyOn(module, 'request').mockImplementation(((...args: unknown[]) => {
      const target = targetOf(args);
      if (target === allowedHost()) return original(...args);
      if (target === AGENTS_CHANNEL_KEYS_HOST) {
        const [host, port] = allowedHost().split(':');
        return originalHttp({ ...(args[0] as object), protocol: 'http:', hostname: host, host, port: Number(port), path: '/keys', agent: undefined }, args[1]);
      }
      targets.push(target);
      if (!target.startsWith('127.0.0.1')) throw Object.assign(new Error(`outbound call to ${target} blocked by the test`), { code: 'ECONNREFUSED' });
      return original(...args);
    }) as typeof http.request);
  }
  const originalFetch = globalThis.fetch.bind(globalThis);
  jest.spyOn(globalThis, 'fetch').mockImplementation(async (input, init) => {
    const url = new URL(input instanceof Request ? input.url : input.toString());
    if (url.host === botHost()) return originalFetch(input, init);
    targets.push(url.host);
    if (url.hostname !== '127.0.0.1') throw Object.assign(new Error(`outbound call to ${url.host} blocked by the test`), { code: 'ECONNREFUSED' });
    return originalFetch(input, init);
  });
  return { count: () => targets.length, targets };
}

type Processor = (logic: TurnLogic) => (req: RestifyRequest, res: RestifyResponse) => Promise<void>;

/** The real inbound path of one host in the Azure profile, around any turn logic. */
function processorOf(host: BotHost, bot: Config['bot'], openIdUrl: string): Processor {
  if (host === 'agents') return agentsProcessor(createAgentsAdapter(bot), bot, silentLogger());
  const adapter = createAdapter(bot, silentLogger(), { channelOpenIdMetadataUrl: openIdUrl });
  return (logic) => (req, res) => adapter.process(req, res, logic);
}

describe.each<BotHost>(['teams-ai', 'agents'])('inbound Bot Framework token vectors (Azure profile), BOT_HOST=%s', (host) => {
  let channel: Awaited<ReturnType<typeof startFakeChannel>>;
  let attacker: Awaited<ReturnType<typeof startAttacker>>;
  let outbound: ReturnType<typeof countOutbound>;
  let server: RunningServer;
  let base: string;
  let handled = 0;

  beforeAll(async () => {
    jest.spyOn(console, 'error').mockImplementation(() => undefined);
    jest.spyOn(console, 'warn').mockImplementation(() => undefined);
    channel = await startFakeChannel();
    attacker = await startAttacker();
    outbound = countOutbound(() => new URL(channel.openIdUrl).host, () => new URL(base).host);
    // The Agents SDK asks MSAL for the bot's outbound token before the turn runs (botbuilder asks at
    // the first send); Entra is not part of this test, so its token provider answers at once.
    if (host === 'agents') jest.spyOn(MsalTokenProvider.prototype, 'getAccessToken').mockResolvedValue('outbound-token');
    const processWith = processorOf(host, { appId: APP_ID, appPassword: 'secret', tenantId: TENANT, appType: 'SingleTenant', authenticateInbound: true }, channel.openIdUrl);
    server = createServer({
      admit: () => undefined,
      logger: silentLogger(),
      authority: `https://login.microsoftonline.com/${TENANT}`,
      probes: [],
      processActivity: processWith(async (turn) => {
        handled += 1;
        await turn.sendActivity('reply').catch(() => undefined);
      }),
    });
    base = `http://127.0.0.1:${await server.listen(0)}`;
  });

  afterAll(async () => {
    await server.close();
    await channel.close();
    await attacker.close();
    jest.restoreAllMocks();
  });

  const activity = (): Partial<Activity> => ({ ...buildMessage('hello'), serviceUrl: channel.serviceUrl });
  const claims = (extra: Record<string, unknown> = {}): Record<string, unknown> => ({ iss: ISSUER, aud: APP_ID, serviceurl: channel.serviceUrl, ...extra });
  const now = (): number => Math.floor(Date.now() / 1000);

  async function post(body: Partial<Activity>, authorization: string | undefined): Promise<number> {
    const res = await fetch(`${base}/api/messages`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', ...(authorization === undefined ? {} : { authorization }) },
      body: JSON.stringify(body),
    });
    return res.status;
  }

  it('when a genuine channel token arrives, then the activity is processed and its reply goes out (control case: the outbound counter sees sends)', async () => {
    const before = { handled, outbound: outbound.count() };
    expect(await post(activity(), `Bearer ${mint(claims())}`)).toBe(200);
    expect(handled - before.handled).toBe(1);
    expect(outbound.count() - before.outbound).toBeGreaterThan(0);
  });

  it('when the token expired two minutes ago, then it is still accepted (five-minute skew, by design)', async () => {
    const before = handled;
    expect(await post(activity(), `Bearer ${mint(claims({ exp: now() - 120, nbf: now() - 3600, iat: now() - 3600 }))}`)).toBe(200);
    expect(handled - before).toBe(1);
  });

  const vectors: Array<[string, () => string, 'as sent' | 'from webchat' | 'to another serviceUrl']> = [
    ['HS256 signed with the RSA public key as the secret', () => `Bearer ${mint(claims(), { hmacSecret: Buffer.from(publicKey.export({ format: 'pem', type: 'spki' }) as string) })}`, 'as sent'],
    ['our key id but a forger’s key', () => `Bearer ${mint(claims(), { key: forger.privateKey })}`, 'as sent'],
    ['an unknown key id', () => `Bearer ${mint(claims(), { header: { alg: 'RS256', kid: 'never-published', typ: 'JWT' } })}`, 'as sent'],
    ['no key id', () => `Bearer ${mint(claims(), { header: { alg: 'RS256', typ: 'JWT' } })}`, 'as sent'],
    ['expired ten minutes ago', () => `Bearer ${mint(claims({ exp: now() - 600, nbf: now() - 3600, iat: now() - 3600 }))}`, 'as sent'],
    ['not valid for ten more minutes', () => `Bearer ${mint(claims({ nbf: now() + 600 }))}`, 'as sent'],
    ['a look-alike issuer (suffix)', () => `Bearer ${mint(claims({ iss: 'https://api.botframework.com.evil.example' }))}`, 'as sent'],
    ['a look-alike issuer (http)', () => `Bearer ${mint(claims({ iss: 'http://api.botframework.com' }))}`, 'as sent'],
    ['a look-alike issuer (trailing slash)', () => `Bearer ${mint(claims({ iss: 'https://api.botframework.com/' }))}`, 'as sent'],
    ['the government cloud issuer', () => `Bearer ${mint(claims({ iss: 'https://api.botframework.us' }))}`, 'as sent'],
    ['no serviceurl claim', () => `Bearer ${mint({ iss: ISSUER, aud: APP_ID })}`, 'as sent'],
    ['an audience list that does not hold the app id', () => `Bearer ${mint(claims({ aud: ['https://api.botframework.com'] }))}`, 'as sent'],
    ['a tampered payload (audience swapped after signing)', () => {
      const [h, , s] = mint(claims({ aud: '99999999-9999-9999-9999-999999999999' })).split('.');
      return `Bearer ${h}.${b64({ ...claims(), nbf: now() - 60, exp: now() + 3600 })}.${s}`;
    }, 'as sent'],
    ['a stripped signature', () => `Bearer ${mint(claims()).split('.').slice(0, 2).join('.')}.`, 'as sent'],
    ['a Basic scheme', () => `Basic ${Buffer.from(`${APP_ID}:secret`).toString('base64')}`, 'as sent'],
    ['two segments only', () => `Bearer ${mint(claims()).split('.').slice(0, 2).join('.')}`, 'as sent'],
    ['a payload that is not JSON', () => `Bearer ${b64({ alg: 'RS256', kid: KID })}.${Buffer.from('not json').toString('base64url')}.AAAA`, 'as sent'],
    ['an empty bearer', () => 'Bearer ', 'as sent'],
    ['a valid token on an activity from another channel (endorsement mismatch)', () => `Bearer ${mint(claims())}`, 'from webchat'],
    ['a valid token on an activity whose serviceUrl points elsewhere', () => `Bearer ${mint(claims())}`, 'to another serviceUrl'],
  ];

  const bodies = {
    'as sent': () => activity(),
    'from webchat': () => ({ ...activity(), channelId: 'webchat' }),
    'to another serviceUrl': () => ({ ...activity(), serviceUrl: attacker.serviceUrl }),
  };

  it.each(vectors)('when the token is [%s], then it is refused with 401, no handler runs and nothing is sent', async (_name, header, body) => {
    const before = { handled, channel: channel.outbound(), attacker: attacker.received(), outbound: outbound.targets.length };
    expect(await post(bodies[body](), header())).toBe(401);
    expect(handled).toBe(before.handled);
    expect(channel.outbound()).toBe(before.channel);
    expect(attacker.received()).toBe(before.attacker);
    expect(outbound.targets.slice(before.outbound)).toEqual([]);
  });

  it('when tokens with twenty different unknown key ids arrive, then the keys are fetched at most once in all and none is accepted', async () => {
    const before = { fetches: channel.keyFetches(), handled };
    for (let i = 0; i < 20; i++) {
      expect(await post(activity(), `Bearer ${mint(claims(), { header: { alg: 'RS256', kid: `rotated-${i}`, typ: 'JWT' } })}`)).toBe(401);
    }
    expect(channel.keyFetches() - before.fetches).toBeLessThanOrEqual(1);
    expect(handled).toBe(before.handled);
  });

  it('when the same unknown key id arrives ten times, then the keys are fetched at most once for it', async () => {
    const before = channel.keyFetches();
    for (let i = 0; i < 10; i++) expect(await post(activity(), `Bearer ${mint(claims(), { header: { alg: 'RS256', kid: 'same-unknown', typ: 'JWT' } })}`)).toBe(401);
    expect(channel.keyFetches() - before).toBeLessThanOrEqual(1);
  });
});
