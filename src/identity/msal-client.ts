import { ConfidentialClientApplication, LogLevel } from '@azure/msal-node';
import type { Config } from '../config';
import type { UserIdentity } from '../context/request-context';
import type { Logger } from '../logging';
import type { AuthorityMetadata } from './authority-metadata';
import type { CacheCipher } from './cache-crypto';
import { createPartitionCachePlugin } from './partition-cache-plugin';
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
export function createUserMsalClient(deps: MsalClientDeps, user: Pick<UserIdentity, 'tenantId' | 'objectId'>): ConfidentialClientApplication {
  const { config, logger } = deps;
  return new ConfidentialClientApplication({
    auth: {
      clientId: config.clientId,
      clientSecret: config.clientSecret,
      authority: config.authority,
      knownAuthorities: [...config.knownAuthorities],
      authorityMetadata: deps.metadata.json,
    },
    cache: { cachePlugin: createPartitionCachePlugin({ user, store: deps.store, cipher: deps.cipher, logger }) },
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
  });
}
