import type { UserIdentity } from '../context/request-context';

/**
 * Stores one user's serialized MSAL cache under a per-user partition key (tenant + object id).
 * Implementations hold opaque strings; encryption is applied by the identity layer before `write`.
 */
export interface TokenCacheStore {
  read(partitionKey: string): Promise<string | undefined>;
  write(partitionKey: string, value: string): Promise<void>;
  remove(partitionKey: string): Promise<void>;
  /** The stored value with its version (the item's ETag); both undefined when absent. */
  readVersioned?(partitionKey: string): Promise<VersionedCacheValue>;
  /**
   * Writes only if the stored version is still `version` (undefined: only if nothing is stored).
   * Returns the new version, or undefined when another writer got there first.
   */
  writeIfUnchanged?(partitionKey: string, value: string, version: string | undefined): Promise<string | undefined>;
}

export interface VersionedCacheValue {
  value: string | undefined;
  version: string | undefined;
}

/** Bound to one user for one turn; never stored in a module, singleton, graph state or checkpoint. */
export interface TokenProvider {
  readonly user: Pick<UserIdentity, 'tenantId' | 'objectId'>;
  /** An Azure Databricks access token for this user (silent from the shared cache, refreshed as needed). */
  getDatabricksToken(): Promise<string>;
  /**
   * This user's own Microsoft Graph token (delegated GroupMember.Read.All), from the same cached
   * account: Entra's refresh token from the sign-in's on-behalf-of exchange is redeemed for Graph.
   */
  getGraphToken(): Promise<string>;
}

/** Bound to one user for one turn (like TokenProvider): `hasSession` and the tokens share one partition read. */
export interface TurnSession {
  hasSession(): Promise<boolean>;
  readonly tokens: TokenProvider;
}

/** Claims of a validated Teams SSO token (audience = our app, scope access_as_user). */
export interface ValidatedSsoToken {
  tenantId: string;
  objectId: string;
  upn: string | undefined;
  name: string | undefined;
  expiresAt: Date;
}

/** The identity chain, shared across turns (holds configuration and the cache store, no user state). */
export interface IdentityService {
  validateSsoToken(token: string): Promise<ValidatedSsoToken>;
  /** Validates the SSO token, runs OBO once, and stores the result in the user's cache partition. */
  signIn(ssoToken: string): Promise<UserIdentity>;
  /** True when the user's cache partition holds an account (no network). */
  hasSession(user: Pick<UserIdentity, 'tenantId' | 'objectId'>): Promise<boolean>;
  tokenProviderFor(user: Pick<UserIdentity, 'tenantId' | 'objectId'>): TokenProvider;
  /** One turn's session check and tokens over a single read of the user's cache partition. */
  session(user: Pick<UserIdentity, 'tenantId' | 'objectId'>): TurnSession;
  signOut(user: Pick<UserIdentity, 'tenantId' | 'objectId'>): Promise<void>;
  /** The bot app's own Microsoft Graph token (client credentials, `.default`): no user's identity. */
  getAppGraphToken(): Promise<string>;
}
