import { createHash, randomBytes } from 'node:crypto';
import type { JWTPayload } from 'jose';
import { type AppRegistration, type Directory, type DirectoryUser, GRAPH_APP_ID, GRAPH_RESOURCE } from '../shared/directory';
import type { EntraControls } from './controls';
import type { SigningKey } from './signing';

/** Teams desktop's public client id: the `azp` of the SSO tokens Teams hands a bot. */
export const TEAMS_CLIENT_ID = '1fec8e78-bce4-4aaf-ab1b-5451cc387264';

const OIDC_SCOPES = new Set(['openid', 'profile', 'offline_access', 'email']);

/** Everything the token endpoint and the SSO endpoint share for one emulator instance. */
export interface EntraState {
  directory: Directory;
  baseUrl: string;
  key: SigningKey;
  controls: EntraControls;
  /** Opaque refresh token → the user and client it is bound to. */
  refreshTokens: Map<string, { userObjectId: string; clientId: string }>;
  accessTokenLifetimeSeconds: number;
  /** Restored by `POST /_control/reset`. */
  defaultAccessTokenLifetimeSeconds: number;
  /**
   * How far the token endpoint's clock runs ahead when it checks an on-behalf-of assertion's time
   * window (0 by default, and after reset). Plays Entra finding an assertion expired that the bot's
   * own check (same 5-minute skew) still accepted: AADSTS500133 end to end.
   */
  assertionClockOffsetSeconds: number;
  now(): number;
}

export function v2Issuer(state: Pick<EntraState, 'baseUrl'>, tenantId: string): string {
  return `${state.baseUrl}/${tenantId}/v2.0`;
}

export function v1Issuer(tenantId: string): string {
  return `https://sts.windows.net/${tenantId}/`;
}

export function botApp(directory: Directory): AppRegistration {
  const app = directory.apps.find((a) => a.exposedScopes.includes('access_as_user')) ?? directory.apps[0];
  if (!app) throw new Error('The directory has no app registration');
  return app;
}

export function groupIdsOf(directory: Directory, user: DirectoryUser): string[] {
  return user.groups.map((name) => directory.groups.find((g) => g.name === name)?.id).filter((id): id is string => id !== undefined);
}

export interface RequestedScopes {
  resource: string;
  names: string[];
  /** Fully qualified, as Entra echoes them in `scope`. */
  qualified: string[];
}

/** Splits `<resource>/<name> openid profile offline_access` into one resource and its scope names. */
export function parseScopes(scope: string): RequestedScopes | undefined {
  const resourceScopes = scope.split(/\s+/).filter((s) => s !== '' && !OIDC_SCOPES.has(s));
  if (resourceScopes.length === 0) return undefined;
  const parsed = resourceScopes.map((s) => {
    const at = s.lastIndexOf('/');
    return at > 0 ? { resource: s.slice(0, at), name: s.slice(at + 1) } : undefined;
  });
  const first = parsed[0];
  if (!first || parsed.some((p) => !p || p.resource !== first.resource || p.name === '')) return undefined;
  const names = parsed.map((p) => p!.name);
  return { resource: first.resource, names, qualified: names.map((n) => `${first.resource}/${n}`) };
}

/** Entra names a resource by its app id or its URI (Graph: `00000003-…` or `https://graph.microsoft.com`); consent is per resource. */
export function canonicalResource(resource: string): string {
  const trimmed = resource.replace(/\/+$/, '');
  return trimmed === GRAPH_APP_ID ? GRAPH_RESOURCE : trimmed;
}

function permissionsOn(permissions: readonly string[], resource: string): string[] {
  const canonical = canonicalResource(resource);
  return permissions.filter((p) => canonicalResource(p.slice(0, p.lastIndexOf('/'))) === canonical).map((p) => p.slice(p.lastIndexOf('/') + 1));
}

/** True when both the app (admin consent) and the user have consented to every requested scope. */
export function isConsented(app: AppRegistration, user: DirectoryUser, scopes: RequestedScopes): boolean {
  if (!user.consented) return false;
  const granted = permissionsOn(app.consentedPermissions, scopes.resource);
  return scopes.names.every((name) => (name === '.default' ? granted.length > 0 : granted.includes(name)));
}

/** The app roles (application permissions) the app holds on a resource: the `roles` claim of its app-only tokens. */
export function appRolesOn(app: AppRegistration, resource: string): string[] {
  return permissionsOn(app.applicationPermissions, resource);
}

function pairwiseSub(user: DirectoryUser, clientId: string): string {
  return createHash('sha256').update(`${user.objectId}:${clientId}`).digest('base64url').slice(0, 43);
}

function timeClaims(state: EntraState, lifetimeSeconds: number): { iat: number; nbf: number; exp: number } {
  const iat = Math.floor(state.now() / 1000);
  return { iat, nbf: iat, exp: iat + lifetimeSeconds };
}

/** A delegated v2 access token for `scopes.resource`, issued to `app` for `user`. */
export function mintUserAccessToken(state: EntraState, app: AppRegistration, user: DirectoryUser, scopes: RequestedScopes): Promise<string> {
  const claims: JWTPayload = {
    aud: scopes.resource,
    iss: v2Issuer(state, state.directory.tenantId),
    ...timeClaims(state, state.accessTokenLifetimeSeconds),
    aio: randomBytes(24).toString('base64url'),
    azp: app.clientId,
    azpacr: '1',
    appid: app.clientId,
    groups: groupIdsOf(state.directory, user),
    idtyp: 'user',
    name: user.displayName,
    oid: user.objectId,
    preferred_username: user.upn,
    scp: scopes.names.join(' '),
    sub: pairwiseSub(user, app.clientId),
    tid: state.directory.tenantId,
    upn: user.upn,
    uti: randomBytes(16).toString('base64url'),
    ver: '2.0',
  };
  return state.key.sign(claims);
}

export function mintAppAccessToken(state: EntraState, app: AppRegistration, scopes: RequestedScopes): Promise<string> {
  return state.key.sign({
    aud: scopes.resource,
    iss: v2Issuer(state, state.directory.tenantId),
    ...timeClaims(state, state.accessTokenLifetimeSeconds),
    azp: app.clientId,
    azpacr: '1',
    appid: app.clientId,
    idtyp: 'app',
    oid: app.clientId,
    roles: appRolesOn(app, scopes.resource),
    sub: app.clientId,
    tid: state.directory.tenantId,
    uti: randomBytes(16).toString('base64url'),
    ver: '2.0',
  });
}

export function mintIdToken(state: EntraState, app: AppRegistration, user: DirectoryUser): Promise<string> {
  return state.key.sign({
    aud: app.clientId,
    iss: v2Issuer(state, state.directory.tenantId),
    ...timeClaims(state, 3600),
    name: user.displayName,
    oid: user.objectId,
    preferred_username: user.upn,
    sub: pairwiseSub(user, app.clientId),
    tid: state.directory.tenantId,
    uti: randomBytes(16).toString('base64url'),
    ver: '2.0',
  });
}

export interface SsoTokenOverrides {
  aud?: string;
  scp?: string;
  expiresInSeconds?: number;
  /** Extra or replaced claims; `null` removes a claim. */
  claims?: Record<string, unknown>;
}

/** The token Teams hands the bot after SSO: audience = our app id URI, scope access_as_user, v2 issuer. */
export function mintSsoToken(state: EntraState, user: DirectoryUser, overrides: SsoTokenOverrides = {}): Promise<string> {
  const app = botApp(state.directory);
  const claims: Record<string, unknown> = {
    aud: overrides.aud ?? app.appIdUri,
    iss: v2Issuer(state, state.directory.tenantId),
    ...timeClaims(state, overrides.expiresInSeconds ?? 3600),
    aio: randomBytes(24).toString('base64url'),
    azp: TEAMS_CLIENT_ID,
    azpacr: '0',
    name: user.displayName,
    oid: user.objectId,
    preferred_username: user.upn,
    rh: randomBytes(12).toString('base64url'),
    scp: overrides.scp ?? 'access_as_user',
    sub: pairwiseSub(user, TEAMS_CLIENT_ID),
    tid: state.directory.tenantId,
    upn: user.upn,
    uti: randomBytes(16).toString('base64url'),
    ver: '2.0',
  };
  if (overrides.expiresInSeconds !== undefined && overrides.expiresInSeconds <= 0) {
    claims.iat = (claims.exp as number) - 3600;
    claims.nbf = claims.iat;
  }
  for (const [name, value] of Object.entries(overrides.claims ?? {})) {
    if (value === null) delete claims[name];
    else claims[name] = value;
  }
  return state.key.sign(claims as JWTPayload);
}

export function clientInfoOf(user: DirectoryUser, tenantId: string): string {
  return Buffer.from(JSON.stringify({ uid: user.objectId, utid: tenantId })).toString('base64url');
}

export function issueRefreshToken(state: EntraState, user: DirectoryUser, app: AppRegistration): string {
  const token = `0.A${randomBytes(96).toString('base64url')}`;
  state.refreshTokens.set(token, { userObjectId: user.objectId, clientId: app.clientId });
  return token;
}
