/**
 * Access-token validation as Microsoft Graph does it: signature against Entra's signing keys,
 * audience Graph (`https://graph.microsoft.com` or its app id `00000003-…`), an issuer of the tenant
 * (v1 `sts.windows.net` or v2), lifetime (5 minutes of skew); any failure is
 * `401 InvalidAuthenticationToken` (learn.microsoft.com/graph/errors; /graph/resolve-auth-errors).
 * Then the permission check of `checkMemberGroups` (learn.microsoft.com/graph/api/user-checkmembergroups):
 * delegated `/me` needs User.Read or any group/directory read scope; `/users/{id}` needs
 * GroupMember.Read.All, Group.Read.All or Directory.Read.All (delegated), or the application
 * permissions User.Read.All plus GroupMember.Read.All/Group.Read.All, or Directory.Read.All.
 */
import { readFileSync } from 'node:fs';
import { Agent } from 'node:https';
import { createRemoteJWKSet, decodeJwt, errors, jwtVerify, type JWTPayload } from 'jose';
import { type Directory, type DirectoryUser, GRAPH_APP_ID, GRAPH_RESOURCE, findUser } from '../shared/directory';

export interface GraphAuthOptions {
  jwksUri: string;
  issuers: string[];
  tenantId: string;
  directory: Directory;
  caCertPath?: string;
}

export type GraphCaller = { kind: 'delegated'; user: DirectoryUser; scopes: string[] } | { kind: 'app'; appId: string; roles: string[] };

export class GraphHttpError extends Error {
  constructor(readonly status: number, readonly code: string, message: string) {
    super(message);
  }
}

const invalidToken = (message: string): GraphHttpError => new GraphHttpError(401, 'InvalidAuthenticationToken', message);
const denied = (): GraphHttpError => new GraphHttpError(403, 'Authorization_RequestDenied', 'Insufficient privileges to complete the operation.');

const ME_SCOPES = ['User.Read', 'User.ReadBasic.All', 'User.Read.All', 'GroupMember.Read.All', 'Group.Read.All', 'Directory.Read.All'];
const GROUP_READ = ['GroupMember.Read.All', 'Group.Read.All', 'Directory.Read.All'];

export type Authenticate = (authorization: string | undefined) => Promise<GraphCaller>;

export function createGraphAuthenticator(options: GraphAuthOptions): Authenticate {
  const agent = options.caCertPath ? new Agent({ ca: readFileSync(options.caCertPath) }) : undefined;
  const jwks = createRemoteJWKSet(new URL(options.jwksUri), agent ? { agent } : {});
  return async (authorization) => {
    const token = /^Bearer\s+(\S+)$/i.exec(authorization ?? '')?.[1];
    if (!token) throw invalidToken('Access token is empty.');
    let claims: JWTPayload;
    try {
      ({ payload: claims } = await jwtVerify(token, jwks, { issuer: options.issuers, algorithms: ['RS256'], clockTolerance: 300, requiredClaims: ['exp'] }));
    } catch (error) {
      if (error instanceof errors.JWTExpired) throw invalidToken('Lifetime validation failed, the token is expired.');
      if (error instanceof errors.JWTClaimValidationFailed && error.claim === 'iss') throw invalidToken('Access token validation failure. Invalid issuer.');
      throw invalidToken('Access token validation failure.');
    }
    const audiences = Array.isArray(claims.aud) ? claims.aud : [claims.aud];
    if (!audiences.some((aud) => aud === GRAPH_RESOURCE || aud === `${GRAPH_RESOURCE}/` || aud === GRAPH_APP_ID)) {
      throw invalidToken('Access token validation failure. Invalid audience.');
    }
    if (claims.tid !== options.tenantId) throw invalidToken('Access token validation failure. Invalid issuer.');
    if (typeof claims.scp === 'string') {
      const user = typeof claims.oid === 'string' ? findUser(options.directory, claims.oid) : undefined;
      if (!user) throw invalidToken('Access token validation failure. The user is not in this tenant.');
      return { kind: 'delegated', user, scopes: claims.scp.split(' ') };
    }
    const roles = Array.isArray(claims.roles) ? claims.roles.filter((r): r is string => typeof r === 'string') : [];
    return { kind: 'app', appId: typeof claims.appid === 'string' ? claims.appid : String(claims.azp ?? ''), roles };
  };
}

/** The subject `/me` stands for; app-only tokens have none (Graph answers 400). */
export function meOf(caller: GraphCaller): DirectoryUser {
  if (caller.kind !== 'delegated') throw new GraphHttpError(400, 'BadRequest', '/me request is only valid with delegated authentication flow.');
  if (!caller.scopes.some((s) => ME_SCOPES.includes(s))) throw denied();
  return caller.user;
}

/** May the caller read another user's group memberships? */
export function assertMayReadMemberships(caller: GraphCaller): void {
  if (caller.kind === 'delegated') {
    if (!caller.scopes.some((s) => GROUP_READ.includes(s))) throw denied();
    return;
  }
  const has = (role: string): boolean => caller.roles.includes(role);
  if (!(has('Directory.Read.All') || (has('User.Read.All') && (has('GroupMember.Read.All') || has('Group.Read.All'))))) throw denied();
}

/** The token's subject, read without verification (for counters and fault rules only). */
export function claimedSubject(authorization: string | undefined): string | undefined {
  const token = /^Bearer\s+(\S+)$/i.exec(authorization ?? '')?.[1];
  if (!token) return undefined;
  try {
    const oid = decodeJwt(token).oid;
    return typeof oid === 'string' ? oid : undefined;
  } catch {
    return undefined;
  }
}
