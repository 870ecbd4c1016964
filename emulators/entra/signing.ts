import { type JWK, type JWTPayload, type KeyLike, SignJWT, calculateJwkThumbprint, errors, exportJWK, generateKeyPair, jwtVerify } from 'jose';

/** The emulator's RSA signing key: generated at start, kid stable for the life of the process. */
export interface SigningKey {
  kid: string;
  jwk: JWK;
  sign(claims: JWTPayload): Promise<string>;
  /** Verifies an RS256 token signed by this key; `expired` when only the time window failed. */
  verify(token: string, now: Date): Promise<{ ok: true; claims: JWTPayload } | { ok: false; reason: 'invalid' | 'expired' }>;
}

export async function createSigningKey(): Promise<SigningKey> {
  const { privateKey, publicKey } = await generateKeyPair('RS256', { modulusLength: 2048, extractable: true });
  const publicJwk = await exportJWK(publicKey);
  const kid = await calculateJwkThumbprint(publicJwk);
  const jwk: JWK = { ...publicJwk, kid, use: 'sig', alg: 'RS256' };
  return {
    kid,
    jwk,
    sign: (claims) => sign(privateKey, kid, claims),
    verify: (token, now) => verify(publicKey, token, now),
  };
}

function sign(privateKey: KeyLike, kid: string, claims: JWTPayload): Promise<string> {
  return new SignJWT(claims).setProtectedHeader({ alg: 'RS256', typ: 'JWT', kid }).sign(privateKey);
}

async function verify(publicKey: KeyLike, token: string, now: Date): Promise<{ ok: true; claims: JWTPayload } | { ok: false; reason: 'invalid' | 'expired' }> {
  try {
    const { payload } = await jwtVerify(token, publicKey, { algorithms: ['RS256'], currentDate: now, clockTolerance: 300, requiredClaims: ['exp'] });
    return { ok: true, claims: payload };
  } catch (error) {
    return { ok: false, reason: error instanceof errors.JWTExpired ? 'expired' : 'invalid' };
  }
}
