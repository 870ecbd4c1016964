import { decodeJwt } from 'jose';
import { type AppRegistration, type DirectoryUser, findUser } from '../shared/directory';
import type { GrantName } from './controls';
import { type EntraErrorResponse, type EntraFailureName, entraError, entraOutage } from './entra-errors';
import {
  type EntraState,
  type RequestedScopes,
  clientInfoOf,
  isConsented,
  issueRefreshToken,
  mintAppAccessToken,
  mintIdToken,
  mintUserAccessToken,
  parseScopes,
} from './tokens';

const OBO_GRANT = 'urn:ietf:params:oauth:grant-type:jwt-bearer';

export interface TokenEndpointResponse {
  status: number;
  body: Record<string, unknown>;
}

function grantOf(grantType: string | null): GrantName {
  if (grantType === OBO_GRANT) return 'on_behalf_of';
  if (grantType === 'refresh_token') return 'refresh_token';
  if (grantType === 'client_credentials') return 'client_credentials';
  return 'other';
}

/** The user a request is about, read without verification (for counters and fault rules only). */
function claimedUser(state: EntraState, grant: GrantName, form: URLSearchParams): DirectoryUser | undefined {
  try {
    if (grant === 'on_behalf_of') {
      const oid = decodeJwt(form.get('assertion') ?? '').oid;
      return typeof oid === 'string' ? findUser(state.directory, oid) : undefined;
    }
    if (grant === 'refresh_token') {
      const bound = state.refreshTokens.get(form.get('refresh_token') ?? '');
      return bound ? findUser(state.directory, bound.userObjectId) : undefined;
    }
  } catch {
    return undefined;
  }
  return undefined;
}

const fail = (name: EntraFailureName, detail?: string): EntraErrorResponse => entraError(name, detail);

/** The assertion's unique token id (`uti`), read without verification, for the per-assertion counter. */
function utiOf(assertion: string): string | undefined {
  try {
    const uti = decodeJwt(assertion).uti;
    return typeof uti === 'string' ? uti : undefined;
  } catch {
    return undefined;
  }
}

/** `POST /{tenant}/oauth2/v2.0/token`: on-behalf-of, refresh_token and client_credentials, as Entra answers them. */
export async function handleTokenRequest(state: EntraState, tenant: string, form: URLSearchParams): Promise<TokenEndpointResponse> {
  const grant = grantOf(form.get('grant_type'));
  const user = claimedUser(state, grant, form);
  state.controls.countToken(grant, user?.objectId);

  const fault = state.controls.takeFault(grant, user ? [user.objectId, user.upn, user.shortName] : []);
  if (fault?.delayMs) await new Promise((resolve) => setTimeout(resolve, fault.delayMs));
  if (fault?.error === 'http_500' || fault?.error === 'http_503') return entraOutage(fault.error === 'http_500' ? 500 : 503);
  if (fault?.error) return fail(fault.error, '(injected by the emulator)');

  if (tenant !== state.directory.tenantId) return fail('tenant_not_found', `Tenant '${tenant}'.`);
  const app = state.directory.apps.find((a) => a.clientId === form.get('client_id'));
  if (!app) return fail('unknown_client', `Application with identifier '${form.get('client_id') ?? ''}' was not found.`);
  if (form.get('client_secret') !== app.clientSecret) return fail('bad_client_secret', `Trace for app '${app.clientId}'.`);

  const scopes = parseScopes(form.get('scope') ?? '');
  if (grant === 'on_behalf_of') return onBehalfOf(state, app, form, scopes);
  if (grant === 'refresh_token') return refresh(state, app, form, scopes);
  if (grant === 'client_credentials') return clientCredentials(state, app, scopes);
  return fail('unsupported_grant');
}

async function onBehalfOf(state: EntraState, app: AppRegistration, form: URLSearchParams, scopes: RequestedScopes | undefined): Promise<TokenEndpointResponse> {
  if (form.get('requested_token_use') !== 'on_behalf_of') return fail('invalid_request', 'requested_token_use must be on_behalf_of.');
  const assertion = form.get('assertion') ?? '';
  const uti = utiOf(assertion);
  if (uti) state.controls.countAssertion(uti);
  const verified = await state.key.verify(assertion, new Date(state.now() + state.assertionClockOffsetSeconds * 1000));
  if (!verified.ok) return fail(verified.reason === 'expired' ? 'expired_assertion' : 'invalid_assertion');
  const claims = verified.claims;
  const audiences = Array.isArray(claims.aud) ? claims.aud : [claims.aud];
  if (!audiences.some((aud) => aud === app.clientId || aud === app.appIdUri)) return fail('invalid_assertion', 'Invalid audience.');
  if (claims.tid !== state.directory.tenantId) return fail('invalid_assertion', 'Assertion tenant does not match.');
  const scp = typeof claims.scp === 'string' ? claims.scp.split(' ') : [];
  if (!scp.some((s) => app.exposedScopes.includes(s))) return fail('invalid_assertion', 'Assertion is missing the exposed scope.');
  const user = typeof claims.oid === 'string' ? findUser(state.directory, claims.oid) : undefined;
  if (!user) return fail('invalid_assertion', 'User not found in the directory.');
  return issueUserTokens(state, app, user, scopes);
}

async function refresh(state: EntraState, app: AppRegistration, form: URLSearchParams, scopes: RequestedScopes | undefined): Promise<TokenEndpointResponse> {
  const bound = state.refreshTokens.get(form.get('refresh_token') ?? '');
  if (!bound || bound.clientId !== app.clientId) return fail('invalid_refresh_token');
  const user = findUser(state.directory, bound.userObjectId);
  if (!user) return fail('invalid_refresh_token');
  return issueUserTokens(state, app, user, scopes);
}

async function issueUserTokens(state: EntraState, app: AppRegistration, user: DirectoryUser, scopes: RequestedScopes | undefined): Promise<TokenEndpointResponse> {
  if (!scopes) return fail('invalid_scope');
  if (!isConsented(app, user, scopes)) {
    return fail('consent_required', `User '${user.upn}' or the administrator has not consented to '${scopes.qualified.join(' ')}' for app '${app.clientId}'.`);
  }
  if (state.controls.mfaRequired.has(user.objectId)) return fail('mfa_required');
  return {
    status: 200,
    body: {
      token_type: 'Bearer',
      scope: scopes.qualified.join(' '),
      expires_in: state.accessTokenLifetimeSeconds,
      ext_expires_in: state.accessTokenLifetimeSeconds,
      access_token: await mintUserAccessToken(state, app, user, scopes),
      refresh_token: issueRefreshToken(state, user, app),
      id_token: await mintIdToken(state, app, user),
      client_info: clientInfoOf(user, state.directory.tenantId),
    },
  };
}

async function clientCredentials(state: EntraState, app: AppRegistration, scopes: RequestedScopes | undefined): Promise<TokenEndpointResponse> {
  if (!scopes || scopes.names.length !== 1 || scopes.names[0] !== '.default') return fail('invalid_scope', 'client_credentials needs <resource>/.default.');
  return {
    status: 200,
    body: {
      token_type: 'Bearer',
      expires_in: state.accessTokenLifetimeSeconds,
      ext_expires_in: state.accessTokenLifetimeSeconds,
      access_token: await mintAppAccessToken(state, app, scopes),
    },
  };
}
