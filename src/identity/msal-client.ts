import { type Configuration, ConfidentialClientApplication, LogLevel } from '@azure/msal-node';
import type { Config } from '../config';
import type { UserIdentity } from '../context/request-context';
import type { Logger } from '../logging';
import type { AuthorityMetadata } from './authority-metadata';
import type { CacheCipher } from './cache-crypto';
import { createPartitionCachePlugin, type PartitionView } from './partition-cache-plugin';
import type { TokenCacheStore } from './ports';

export interface MsalClientDeps {
  config: Config['identity'];
  metadata: AuthorityMetadata;
  store: TokenCacheStore;
  cipher: CacheCipher;
  logger: Logger;
}

/**
 * A ConfidentialClientApplication for ONE user and one turn, whose cache is that user's partition.
 * Never keep the result beyond the call that needed it. With `authorityMetadata` given (and the host
 * either well known or in `knownAuthorities`), building one makes no discovery request.
 */
export function createUserMsalClient(deps: MsalClientDeps, user: Pick<UserIdentity, 'tenantId' | 'objectId'>, view?: PartitionView): ConfidentialClientApplication {
  return new ConfidentialClientApplication({
    ...baseConfiguration(deps),
    cache: { cachePlugin: createPartitionCachePlugin({ user, store: deps.store, cipher: deps.cipher, logger: deps.logger, ...(view ? { view } : {}) }) },
  });
}

/**
 * The bot app's own client (client credentials): no user, so MSAL's in-memory cache holds only app
 * tokens. Used for Graph only when the deployment chose application permissions for the approver check.
 */
export function createAppMsalClient(deps: Pick<MsalClientDeps, 'config' | 'metadata' | 'logger'>): ConfidentialClientApplication {
  return new ConfidentialClientApplication(baseConfiguration(deps));
}

function baseConfiguration(deps: Pick<MsalClientDeps, 'config' | 'metadata' | 'logger'>): Configuration {
  const { config, logger } = deps;
  return {
    auth: {
      clientId: config.clientId,
      clientSecret: config.clientSecret,
      authority: config.authority,
      knownAuthorities: [...config.knownAuthorities],
      authorityMetadata: deps.metadata.json,
    },
    system: {
      loggerOptions: {
        logLevel: LogLevel.Warning,
        piiLoggingEnabled: false,
        loggerCallback: (level, message) => {
          if (level <= LogLevel.Error) logger.error({ msal: true }, message);
          else logger.debug({ msal: true }, message);
        },
      },
    },
  };
}
