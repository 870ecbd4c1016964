import { type JWTPayload, type JWTVerifyGetKey, createRemoteJWKSet, decodeJwt, decodeProtectedHeader, errors, jwtVerify } from 'jose';
import type { Config } from '../config';
import { AppError, type ErrorCode } from '../errors';
import type { MetadataSource } from './authority-metadata';
import type { ValidatedSsoToken } from './ports';

/**
 * Validates the SSO token Teams hands the bot before anything is done with it: RS256 only, signed
 * by a key of the tenant JWKS, issuer of an allowed tenant (v1 or v2 form), audience = our app,
 * delegated scope `access_as_user`, and the time window with five minutes' skew.
 */
export const SSO_SCOPE = 'access_as_user';
/**
 * The client applications allowed to request our SSO token: Teams desktop/mobile and Teams web, the
 * two pre-authorized in aad.manifest.json. A token any other app obtained for our API is refused.
 */
export const TEAMS_CLIENT_IDS: readonly string[] = ['1fec8e78-bce4-4aaf-ab1b-5451cc387264', '5e3ce6c0-2b1f-4285-8d4b-75ee78787346'];
const CLOCK_SKEW_SECONDS = 300;
/** jose refetches the JWKS on an unknown kid at most once per this interval. */
const JWKS_COOLDOWN_MS = 30_000;
const JWKS_MAX_AGE_MS = 10 * 60_000;

export type SsoValidator = (token: string) => Promise<ValidatedSsoToken>;

export function createSsoValidator(deps: { config: Config['identity']; metadata: MetadataSource; now: () => number }): SsoValidator {
  const { config } = deps;
  const audiences = new Set([config.clientId, config.appIdUri]);
  const allowedTenants = new Set(config.allowedTenantIds);
  const authorityHost = new URL(config.authority).origin;
  let jwks: JWTVerifyGetKey | undefined;
  const keys = async (): Promise<JWTVerifyGetKey> => {
    jwks ??= createRemoteJWKSet(new URL((await deps.metadata()).jwksUri), { cooldownDuration: JWKS_COOLDOWN_MS, cacheMaxAge: JWKS_MAX_AGE_MS });
    return jwks;
  };

  return async (token) => {
    precheck(token);
    const getKey = await keys();
    let claims: JWTPayload;
    try {
      ({ payload: claims } = await jwtVerify(token, getKey, {
        algorithms: ['RS256'],
        currentDate: new Date(deps.now()),
        clockTolerance: CLOCK_SKEW_SECONDS,
        requiredClaims: ['exp'],
      }));
    } catch (error) {
      throw mapJoseError(error);
    }
    const tid = stringClaim(claims, 'tid');
    if (!tid || !allowedTenants.has(tid)) reject('TOKEN.TENANT', `tenant ${tid ?? '(none)'} is not allowed`);
    const issuers = [`https://sts.windows.net/${tid}/`, `${authorityHost}/${tid}/v2.0`];
    if (!issuers.includes(stringClaim(claims, 'iss') ?? '')) reject('TOKEN.ISSUER', `issuer ${String(claims.iss)} is not one of ${issuers.join(', ')}`);
    const aud = Array.isArray(claims.aud) ? claims.aud : [claims.aud];
    if (!aud.some((a) => typeof a === 'string' && audiences.has(a))) reject('TOKEN.AUDIENCE', `audience ${String(claims.aud)} is not this app`);
    if (claims.scp === undefined && claims.roles === undefined && claims.azp === undefined && claims.appid === undefined) {
      reject('TOKEN.TYPE', 'an ID token was presented where an access token is required');
    }
    const scopes = (stringClaim(claims, 'scp') ?? '').split(' ');
    if (!scopes.includes(SSO_SCOPE)) reject('TOKEN.SCOPE', `scope ${String(claims.scp)} lacks ${SSO_SCOPE}`);
    const client = stringClaim(claims, 'azp') ?? stringClaim(claims, 'appid');
    if (!client || !TEAMS_CLIENT_IDS.includes(client)) reject('TOKEN.CLIENT', `client application ${client ?? '(none)'} is not a Teams client`);
    const oid = stringClaim(claims, 'oid');
    if (!oid) reject('TOKEN.MALFORMED', 'the token has no oid claim');
    return {
      tenantId: tid,
      objectId: oid,
      upn: stringClaim(claims, 'upn') ?? stringClaim(claims, 'preferred_username'),
      name: stringClaim(claims, 'name'),
      expiresAt: new Date((claims.exp as number) * 1000),
    };
  };
}

function precheck(token: string): void {
  if (typeof token !== 'string' || token.split('.').length !== 3) reject('TOKEN.MALFORMED', 'not a compact JWS');
  let alg: unknown;
  try {
    alg = decodeProtectedHeader(token).alg;
    decodeJwt(token);
  } catch (error) {
    reject('TOKEN.MALFORMED', 'the token cannot be decoded', error);
  }
  if (alg !== 'RS256') reject('TOKEN.ALGORITHM', `algorithm ${String(alg)} is not accepted`);
}

function mapJoseError(error: unknown): AppError {
  if (error instanceof AppError) return error;
  if (error instanceof errors.JWKSNoMatchingKey || error instanceof errors.JWKSMultipleMatchingKeys) return rejection('TOKEN.UNKNOWN_KEY', 'no key of the tenant JWKS matches the token', error);
  if (error instanceof errors.JWSSignatureVerificationFailed) return rejection('TOKEN.SIGNATURE', 'signature verification failed', error);
  if (error instanceof errors.JOSEAlgNotAllowed || error instanceof errors.JOSENotSupported) return rejection('TOKEN.ALGORITHM', 'algorithm not accepted', error);
  if (error instanceof errors.JWTExpired) return rejection('TOKEN.EXPIRED', 'the token has expired', error);
  if (error instanceof errors.JWTClaimValidationFailed) {
    if (error.claim === 'nbf' || error.claim === 'iat') return rejection('TOKEN.NOT_YET_VALID', `the token is not valid yet (${error.claim})`, error);
    return rejection('TOKEN.MALFORMED', `claim ${error.claim} is invalid: ${error.reason}`, error);
  }
  if (error instanceof errors.JWKSTimeout || error instanceof errors.JWKSInvalid || (error instanceof errors.JOSEError && error.message.startsWith('Expected 200 OK'))) {
    return new AppError('AUTH.IDENTITY_UNAVAILABLE', 'the tenant JWKS could not be loaded', { cause: error });
  }
  if (error instanceof errors.JOSEError) return rejection('TOKEN.MALFORMED', error.message, error);
  return new AppError('AUTH.IDENTITY_UNAVAILABLE', 'the tenant JWKS could not be loaded', { cause: error });
}

function rejection(code: ErrorCode, reason: string, cause?: unknown): AppError {
  return new AppError(code, `SSO token rejected: ${reason}`, { cause, details: { reason } });
}

function reject(code: ErrorCode, reason: string, cause?: unknown): never {
  throw rejection(code, reason, cause);
}

function stringClaim(claims: JWTPayload, name: string): string | undefined {
  const value = claims[name];
  return typeof value === 'string' && value !== '' ? value : undefined;
}
