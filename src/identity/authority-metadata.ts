import { AppError } from '../errors';

/** The authority's OIDC document: handed to MSAL as `authorityMetadata` and used to find the JWKS. */
export interface AuthorityMetadata {
  /** The document as received, for MSAL's `auth.authorityMetadata`. */
  json: string;
  issuer: string;
  jwksUri: string;
  tokenEndpoint: string;
}

export type MetadataSource = () => Promise<AuthorityMetadata>;

const TIMEOUT_MS = 10_000;

/** Fetches `{authority}/v2.0/.well-known/openid-configuration` once and caches it; a failure is retried on the next call. */
export function createAuthorityMetadataSource(authority: string): MetadataSource {
  let pending: Promise<AuthorityMetadata> | undefined;
  return () => {
    pending ??= fetchMetadata(authority).catch((error: unknown) => {
      pending = undefined;
      throw error;
    });
    return pending;
  };
}

async function fetchMetadata(authority: string): Promise<AuthorityMetadata> {
  const url = `${authority.replace(/\/$/, '')}/v2.0/.well-known/openid-configuration`;
  let response: Response;
  try {
    response = await fetch(url, { signal: AbortSignal.timeout(TIMEOUT_MS), headers: { accept: 'application/json' } });
  } catch (error) {
    throw new AppError('AUTH.IDENTITY_UNAVAILABLE', `OIDC discovery failed: GET ${url}`, { cause: error });
  }
  const text = await response.text();
  if (!response.ok) {
    const code = response.status >= 500 || response.status === 429 ? 'AUTH.IDENTITY_UNAVAILABLE' : 'CONFIG.INVALID';
    throw new AppError(code, `OIDC discovery answered ${response.status}: GET ${url}`, { details: { status: response.status } });
  }
  let doc: Record<string, unknown>;
  try {
    doc = JSON.parse(text) as Record<string, unknown>;
  } catch (error) {
    throw new AppError('AUTH.IDENTITY_UNAVAILABLE', `OIDC discovery returned invalid JSON: GET ${url}`, { cause: error });
  }
  const { issuer, jwks_uri: jwksUri, token_endpoint: tokenEndpoint } = doc;
  if (typeof issuer !== 'string' || typeof jwksUri !== 'string' || typeof tokenEndpoint !== 'string' || typeof doc.authorization_endpoint !== 'string') {
    throw new AppError('CONFIG.INVALID', `OIDC document of ${authority} lacks issuer, jwks_uri, token_endpoint or authorization_endpoint`);
  }
  return { json: text, issuer, jwksUri, tokenEndpoint };
}
