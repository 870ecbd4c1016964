import { createServer, type Server } from 'node:https';
import { listenLocal } from '../shared/idle-connections';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { DEMO_DIRECTORY, type Directory, findUser } from '../shared/directory';
import type { RunningEmulator, TlsMaterial } from '../shared/types';
import { EntraControls, parseFaultRule } from './controls';
import { entraError } from './entra-errors';
import { BodyTooLarge, parseJsonObject, readBody, sendJson } from './http';
import { createSigningKey } from './signing';
import { handleTokenRequest } from './token-endpoint';
import { type EntraState, type SsoTokenOverrides, botApp, mintSsoToken, v1Issuer, v2Issuer } from './tokens';

export interface EntraEmulatorInfo {
  baseUrl: string;
  /** `${baseUrl}/${tenantId}` */
  authority: string;
  tenantId: string;
  issuers: string[];
  jwksUri: string;
  ssoTokenUrl: string;
  controlUrl: string;
  botAppId: string;
  clientSecret: string;
  appIdUri: string;
  approversGroupId: string;
  directory: Directory;
}

export interface EntraEmulatorOptions {
  port?: number;
  tls: TlsMaterial;
  directory?: Directory;
  /** Lifetime of issued access tokens (default 3600); short values exercise refresh near expiry. */
  accessTokenLifetimeSeconds?: number;
  now?: () => number;
}

/**
 * Entra ID over HTTPS: OIDC discovery, JWKS, the v2 token endpoint (on-behalf-of, refresh_token,
 * client_credentials) with Entra's error shapes, a local SSO endpoint standing in for Teams, and
 * Microsoft Graph tokens (`https://graph.microsoft.com/…` or `00000003-…/…`: delegated scopes the app
 * was admin-consented, app roles for client credentials) for the Graph emulator, and
 * test controls (typed client: `control-client.ts`):
 * - `POST /_local/sso-token {user, aud?, scp?, expiresInSeconds?, claims?}` → `{access_token}`
 * - `GET /_control/counters`, `POST /_control/reset`
 * - `POST /_control/faults {count, error?, delayMs?, grant?, user?}` (error: a name of `ENTRA_FAILURES`, `http_500`, `http_503`)
 * - `POST /_control/mfa {user, required}`, `POST /_control/revoke {user}`, `POST /_control/settings {accessTokenLifetimeSeconds?, assertionClockOffsetSeconds?}`
 */
export async function startEntraEmulator(options: EntraEmulatorOptions): Promise<RunningEmulator<EntraEmulatorInfo>> {
  const directory = options.directory ?? DEMO_DIRECTORY;
  const state: EntraState = {
    directory,
    baseUrl: '',
    key: await createSigningKey(),
    controls: new EntraControls(),
    refreshTokens: new Map(),
    accessTokenLifetimeSeconds: options.accessTokenLifetimeSeconds ?? 3600,
    defaultAccessTokenLifetimeSeconds: options.accessTokenLifetimeSeconds ?? 3600,
    assertionClockOffsetSeconds: 0,
    now: options.now ?? Date.now,
  };
  const server: Server = createServer({ cert: options.tls.cert, key: options.tls.key }, (req, res) => {
    route(state, req, res).catch((error: unknown) => {
      if (error instanceof BodyTooLarge) sendJson(res, 413, { error: 'invalid_request', error_description: error.message });
      else if (!res.headersSent) sendJson(res, 500, { error: 'server_error', error_description: String(error) });
    });
  });
  const { port, stop } = await listenLocal(server, options.port);
  state.baseUrl = `https://localhost:${port}`;
  const app = botApp(directory);
  const tenantId = directory.tenantId;
  const info: EntraEmulatorInfo = {
    baseUrl: state.baseUrl,
    authority: `${state.baseUrl}/${tenantId}`,
    tenantId,
    issuers: [v2Issuer(state, tenantId), v1Issuer(tenantId)],
    jwksUri: `${state.baseUrl}/${tenantId}/discovery/v2.0/keys`,
    ssoTokenUrl: `${state.baseUrl}/_local/sso-token`,
    controlUrl: `${state.baseUrl}/_control`,
    botAppId: app.clientId,
    clientSecret: app.clientSecret,
    appIdUri: app.appIdUri,
    approversGroupId: directory.groups.find((g) => g.name === 'approvers')?.id ?? '',
    directory,
  };
  return {
    info,
    stop,
  };
}

async function route(state: EntraState, req: IncomingMessage, res: ServerResponse): Promise<void> {
  const url = new URL(req.url ?? '/', state.baseUrl);
  const path = url.pathname.replace(/\/+$/, '');
  const method = req.method ?? 'GET';
  let match: RegExpMatchArray | null;

  if (method === 'GET' && (match = path.match(/^\/([^/]+)\/v2\.0\/\.well-known\/openid-configuration$/))) {
    state.controls.counters.openidConfiguration += 1;
    const tenant = match[1]!;
    if (tenant !== state.directory.tenantId && tenant !== 'common' && tenant !== 'organizations') {
      const error = entraError('tenant_not_found', `Tenant '${tenant}'.`);
      return sendJson(res, error.status, error.body);
    }
    return sendJson(res, 200, openIdConfiguration(state, tenant === state.directory.tenantId ? tenant : '{tenantid}', tenant));
  }
  if (method === 'GET' && /^\/[^/]+\/discovery(\/v2\.0)?\/keys$/.test(path)) {
    state.controls.counters.jwks += 1;
    return sendJson(res, 200, { keys: [state.key.jwk] });
  }
  if (method === 'GET' && path === '/common/discovery/instance') {
    const host = new URL(state.baseUrl).host;
    return sendJson(res, 200, {
      tenant_discovery_endpoint: `${state.baseUrl}/${state.directory.tenantId}/v2.0/.well-known/openid-configuration`,
      'api-version': '1.1',
      metadata: [{ preferred_network: host, preferred_cache: host, aliases: [host] }],
    });
  }
  if (method === 'POST' && (match = path.match(/^\/([^/]+)\/oauth2\/v2\.0\/token$/))) {
    const form = new URLSearchParams(await readBody(req));
    const result = await handleTokenRequest(state, match[1]!, form);
    const codes = result.body.error_codes;
    if (Array.isArray(codes)) for (const code of codes) if (typeof code === 'number') state.controls.countError(code);
    return sendJson(res, result.status, result.body);
  }
  if (method === 'POST' && path === '/_local/sso-token') return ssoToken(state, req, res);
  if (path.startsWith('/_control')) return control(state, method, path.slice('/_control'.length), req, res);
  return sendJson(res, 404, { error: 'not_found', error_description: `${method} ${path} is not an Entra endpoint of this emulator` });
}

function openIdConfiguration(state: EntraState, issuerTenant: string, pathTenant: string): Record<string, unknown> {
  const base = `${state.baseUrl}/${pathTenant}`;
  return {
    token_endpoint: `${base}/oauth2/v2.0/token`,
    token_endpoint_auth_methods_supported: ['client_secret_post', 'private_key_jwt', 'client_secret_basic'],
    jwks_uri: `${base}/discovery/v2.0/keys`,
    response_modes_supported: ['query', 'fragment', 'form_post'],
    subject_types_supported: ['pairwise'],
    id_token_signing_alg_values_supported: ['RS256'],
    response_types_supported: ['code', 'id_token', 'code id_token', 'id_token token'],
    scopes_supported: ['openid', 'profile', 'email', 'offline_access'],
    issuer: v2Issuer(state, issuerTenant),
    request_uri_parameter_supported: false,
    userinfo_endpoint: `${state.baseUrl}/oidc/userinfo`,
    authorization_endpoint: `${base}/oauth2/v2.0/authorize`,
    device_authorization_endpoint: `${base}/oauth2/v2.0/devicecode`,
    http_logout_supported: true,
    frontchannel_logout_supported: true,
    end_session_endpoint: `${base}/oauth2/v2.0/logout`,
    claims_supported: ['sub', 'iss', 'aud', 'exp', 'iat', 'auth_time', 'nonce', 'preferred_username', 'name', 'tid', 'ver', 'oid'],
    kerberos_endpoint: `${base}/kerberos`,
    tenant_region_scope: 'EU',
    cloud_instance_name: new URL(state.baseUrl).host,
    cloud_graph_host_name: 'graph.windows.net',
    msgraph_host: 'graph.microsoft.com',
  };
}

async function ssoToken(state: EntraState, req: IncomingMessage, res: ServerResponse): Promise<void> {
  const body = parseJsonObject(await readBody(req));
  const user = body && typeof body.user === 'string' ? findUser(state.directory, body.user) : undefined;
  if (!body || !user) return sendJson(res, 400, { error: 'invalid_request', error_description: 'body must be {"user": "<short name or UPN>"}' });
  const overrides: SsoTokenOverrides = {};
  if (typeof body.aud === 'string') overrides.aud = body.aud;
  if (typeof body.scp === 'string') overrides.scp = body.scp;
  if (typeof body.expiresInSeconds === 'number') overrides.expiresInSeconds = body.expiresInSeconds;
  if (typeof body.claims === 'object' && body.claims !== null && !Array.isArray(body.claims)) overrides.claims = body.claims as Record<string, unknown>;
  state.controls.counters.ssoTokens += 1;
  return sendJson(res, 200, { access_token: await mintSsoToken(state, user, overrides), token_type: 'Bearer' });
}

async function control(state: EntraState, method: string, path: string, req: IncomingMessage, res: ServerResponse): Promise<void> {
  if (method === 'GET' && path === '/counters') return sendJson(res, 200, state.controls.counters);
  if (method !== 'POST') return sendJson(res, 404, { error: 'not_found' });
  const body = parseJsonObject(await readBody(req));
  if (!body) return sendJson(res, 400, { error: 'body must be a JSON object' });
  if (path === '/reset') {
    state.controls.reset();
    state.accessTokenLifetimeSeconds = state.defaultAccessTokenLifetimeSeconds;
    state.assertionClockOffsetSeconds = 0;
    return sendJson(res, 200, { ok: true });
  }
  if (path === '/settings') {
    const seconds = body.accessTokenLifetimeSeconds;
    const offset = body.assertionClockOffsetSeconds;
    if (seconds === undefined && offset === undefined) return sendJson(res, 400, { error: 'give accessTokenLifetimeSeconds and/or assertionClockOffsetSeconds' });
    if (seconds !== undefined && (typeof seconds !== 'number' || !Number.isInteger(seconds) || seconds < 1)) return sendJson(res, 400, { error: 'accessTokenLifetimeSeconds must be a positive integer' });
    if (offset !== undefined && (typeof offset !== 'number' || !Number.isInteger(offset) || offset < 0)) return sendJson(res, 400, { error: 'assertionClockOffsetSeconds must be a non-negative integer' });
    if (typeof seconds === 'number') state.accessTokenLifetimeSeconds = seconds;
    if (typeof offset === 'number') state.assertionClockOffsetSeconds = offset;
    return sendJson(res, 200, { ok: true });
  }
  if (path === '/faults') {
    const rule = parseFaultRule(body);
    if (typeof rule === 'string') return sendJson(res, 400, { error: rule });
    state.controls.addFault(rule);
    return sendJson(res, 200, { ok: true });
  }
  const user = typeof body.user === 'string' ? findUser(state.directory, body.user) : undefined;
  if (!user) return sendJson(res, 400, { error: 'user must name a directory user' });
  if (path === '/mfa') {
    if (body.required === false) state.controls.mfaRequired.delete(user.objectId);
    else state.controls.mfaRequired.add(user.objectId);
    return sendJson(res, 200, { ok: true });
  }
  if (path === '/revoke') {
    for (const [token, bound] of state.refreshTokens) if (bound.userObjectId === user.objectId) state.refreshTokens.delete(token);
    return sendJson(res, 200, { ok: true });
  }
  return sendJson(res, 404, { error: 'not_found' });
}
