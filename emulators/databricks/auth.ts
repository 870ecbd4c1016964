/**
 * Bearer-token authentication for the workspace: an Entra access token for the Azure Databricks
 * resource, verified against the Entra emulator's JWKS, mapped by UPN to a workspace user.
 */
import { readFileSync } from 'node:fs';
import { Agent } from 'node:https';
import { createRemoteJWKSet, errors, jwtVerify, type JWTPayload } from 'jose';
import { DATABRICKS_RESOURCE_ID, type Directory } from '../shared/directory';
import { HttpApiError, type WorkspaceUser } from './engine-types';

export interface AuthOptions {
  jwksUri: string;
  issuers: string[];
  tenantId: string;
  directory: Directory;
  /** CA bundle that signed the JWKS endpoint's certificate. */
  caCertPath?: string;
}

export type Authenticator = (authorization: string | undefined) => Promise<WorkspaceUser>;

const unauthenticated = (message: string): HttpApiError => new HttpApiError(401, 'UNAUTHENTICATED', message);

export function createAuthenticator(options: AuthOptions): Authenticator {
  const agent = options.caCertPath ? new Agent({ ca: readFileSync(options.caCertPath) }) : undefined;
  const jwks = createRemoteJWKSet(new URL(options.jwksUri), agent ? { agent } : {});
  const users = new Map(options.directory.users.map((u) => [u.upn.toLowerCase(), u]));
  const groupNames = new Map(options.directory.groups.map((g) => [g.id, g.name]));

  return async (authorization) => {
    const match = /^Bearer\s+(\S+)$/i.exec(authorization ?? '');
    if (!match?.[1]) throw unauthenticated('Credential was not sent or was of an unsupported type for this API.');
    let claims: JWTPayload;
    try {
      ({ payload: claims } = await jwtVerify(match[1], jwks, {
        audience: [DATABRICKS_RESOURCE_ID, `api://${DATABRICKS_RESOURCE_ID}`],
        issuer: options.issuers,
        algorithms: ['RS256'],
        requiredClaims: ['exp'],
      }));
    } catch (error) {
      if (error instanceof errors.JWTExpired) throw unauthenticated('Token is expired.');
      throw unauthenticated(`Invalid access token. ${error instanceof Error ? error.message : ''}`.trim());
    }
    if (claims.tid !== options.tenantId) {
      throw new HttpApiError(403, 'PERMISSION_DENIED', 'Token was issued for a different tenant than this workspace.');
    }
    const upn = typeof claims.upn === 'string' ? claims.upn : typeof claims.unique_name === 'string' ? claims.unique_name : undefined;
    const user = upn ? users.get(upn.toLowerCase()) : undefined;
    if (!user) throw new HttpApiError(403, 'PERMISSION_DENIED', `User ${upn ?? '(no upn)'} is not a member of this workspace.`);
    return {
      upn: user.upn.toLowerCase(),
      objectId: user.objectId,
      displayName: user.displayName,
      groups: user.groups.map((g) => groupNames.get(g) ?? g),
    };
  };
}
