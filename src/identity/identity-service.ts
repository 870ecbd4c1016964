import type { AuthenticationResult, ConfidentialClientApplication } from '@azure/msal-node';
import type { Config } from '../config';
import { GRAPH_APP_SCOPE } from '../config/schema';
import { type UserIdentity, userKeyOf } from '../context/request-context';
import { AppError } from '../errors';
import type { Logger } from '../logging';
import { type MetadataSource, createAuthorityMetadataSource } from './authority-metadata';
import { createCacheCipher } from './cache-crypto';
import { type MsalClientDeps, createAppMsalClient, createUserMsalClient } from './msal-client';
import { mapMsalError } from './msal-errors';
import { accountsOf, loadView, type PartitionView } from './partition-cache-plugin';
import type { IdentityService, TokenCacheStore, TokenProvider, TurnSession } from './ports';
import { createSsoValidator } from './sso-validator';

type UserRef = Pick<UserIdentity, 'tenantId' | 'objectId'>;

export interface IdentityServiceDeps {
  config: Config['identity'];
  cacheStore: TokenCacheStore;
  /** Base64 of 32 bytes: the AES-256-GCM key of the token cache. */
  encryptionKey: string;
  logger: Logger;
  now?: () => number;
  /** Defaults to fetching the authority's OIDC document once. */
  metadata?: MetadataSource;
}

/**
 * The identity chain. Shared across turns, it holds configuration, the JWKS cache and the cache
 * store, never a user's token or client: every MSAL client is built per call for one user and
 * bound to that user's cache partition.
 */
export function createIdentityService(deps: IdentityServiceDeps): IdentityService {
  const { config, cacheStore } = deps;
  const now = deps.now ?? Date.now;
  const logger = deps.logger.child({ module: 'identity' });
  const cipher = createCacheCipher(deps.encryptionKey);
  const metadata = deps.metadata ?? createAuthorityMetadataSource(config.authority);
  const validateSsoToken = createSsoValidator({ config, metadata, now });
  const consentUrl = `${config.authority.replace(/\/$/, '')}/adminconsent?client_id=${encodeURIComponent(config.clientId)}`;

  const clientFor = async (user: UserRef, view?: PartitionView) => {
    const clientDeps: MsalClientDeps = { config, metadata: await metadata(), store: cacheStore, cipher, logger };
    return createUserMsalClient(clientDeps, user, view);
  };

  const signIn = async (ssoToken: string): Promise<UserIdentity> => {
    const validated = await validateSsoToken(ssoToken);
    const user: UserRef = { tenantId: validated.tenantId, objectId: validated.objectId };
    const client = await clientFor(user);
    await client.getTokenCache().getAllAccounts();
    let result: AuthenticationResult | null;
    try {
      result = await client.acquireTokenOnBehalfOf({ oboAssertion: ssoToken, scopes: [config.databricksScope] });
    } catch (error) {
      throw mapMsalError(error, 'obo', consentUrl);
    }
    // A repeated assertion is served from the partition without an account (msal-node): read it back.
    const account = result?.account ?? (await client.getTokenCache().getAccountByLocalId(user.objectId));
    if (!account || account.localAccountId !== user.objectId || account.tenantId !== user.tenantId) {
      throw new AppError('AUTH.SIGN_IN_REQUIRED', 'The on-behalf-of response names another account than the SSO token', {
        details: { partitionKey: userKeyOf(user) },
      });
    }
    logger.info({ tenantId: user.tenantId, objectId: user.objectId }, 'signed in (on-behalf-of)');
    return {
      tenantId: user.tenantId,
      objectId: user.objectId,
      upn: validated.upn,
      displayName: validated.name ?? validated.upn ?? user.objectId,
    };
  };

  const silentToken = async (user: UserRef, scope: string, view?: PartitionView): Promise<string> => {
    const client = await clientFor(user, view);
    const account = await client.getTokenCache().getAccountByLocalId(user.objectId);
    if (!account || account.tenantId !== user.tenantId) {
      throw new AppError('AUTH.SIGN_IN_REQUIRED', 'No cached account for this user', { details: { partitionKey: userKeyOf(user) } });
    }
    try {
      const result = await client.acquireTokenSilent({ account, scopes: [scope] });
      return result.accessToken;
    } catch (error) {
      throw mapMsalError(error, 'silent', consentUrl);
    }
  };

  let appClient: Promise<ConfidentialClientApplication> | undefined;
  const getAppGraphToken = async (): Promise<string> => {
    appClient ??= metadata().then((json) => createAppMsalClient({ config, metadata: json, logger }));
    let result: AuthenticationResult | null;
    try {
      result = await (await appClient).acquireTokenByClientCredential({ scopes: [GRAPH_APP_SCOPE] });
    } catch (error) {
      appClient = undefined;
      throw mapMsalError(error, 'app', consentUrl);
    }
    if (!result) throw new AppError('AUTH.IDENTITY_UNAVAILABLE', 'Entra ID returned no client-credentials token for Microsoft Graph');
    return result.accessToken;
  };

  /** One turn's view of the user's partition: the session check and every token of the turn share one read. */
  const sessionOf = (user: UserRef): TurnSession => {
    const bound: UserRef = { tenantId: user.tenantId, objectId: user.objectId };
    const view: PartitionView = {};
    return {
      async hasSession() {
        const { plaintext } = await loadView(view, cacheStore, cipher, userKeyOf(bound), logger);
        const has = plaintext !== undefined && accountsOf(plaintext, bound).length > 0;
        // A sign-in may follow a "no": the next use reads the partition again.
        if (!has) delete view.loaded;
        return has;
      },
      tokens: { user: bound, getDatabricksToken: () => silentToken(bound, config.databricksScope, view), getGraphToken: () => silentToken(bound, config.graphScope, view) },
    };
  };

  return {
    validateSsoToken,
    signIn,
    async hasSession(user) {
      return sessionOf(user).hasSession();
    },
    tokenProviderFor(user): TokenProvider {
      const bound: UserRef = { tenantId: user.tenantId, objectId: user.objectId };
      return { user: bound, getDatabricksToken: () => silentToken(bound, config.databricksScope), getGraphToken: () => silentToken(bound, config.graphScope) };
    },
    session: sessionOf,
    async signOut(user) {
      await cacheStore.remove(userKeyOf(user));
      logger.info({ tenantId: user.tenantId, objectId: user.objectId }, 'signed out');
    },
    getAppGraphToken,
  };
}
