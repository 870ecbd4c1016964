import { CosmosClient, type RetryOptions } from '@azure/cosmos';
import type { Config } from '../config';
import { withCosmosTelemetry } from '../telemetry/cosmos';

/**
 * Throttling (429) is left to the SDK's ResourceThrottleRetryPolicy: it honours the service's
 * `x-ms-retry-after-ms` (no fixed interval), up to 9 retries or 30 s of accumulated waiting per
 * request. Only then does a call fail, and `mapCosmosError` turns it into STORAGE.THROTTLED.
 */
export const COSMOS_RETRY_OPTIONS: Readonly<Required<RetryOptions>> = Object.freeze({
  maxRetryAttemptCount: 9,
  fixedRetryIntervalInMilliseconds: 0,
  maxWaitTimeInSeconds: 30,
});

/** The shared client; build once in the composition root. */
export function createCosmosClient(config: Config['cosmos'], retryOptions: RetryOptions = COSMOS_RETRY_OPTIONS): CosmosClient {
  return new CosmosClient(withCosmosTelemetry({
    endpoint: config.endpoint,
    key: config.key,
    userAgentSuffix: 'teams-databricks-agent',
    connectionPolicy: {
      enableEndpointDiscovery: config.endpointDiscovery,
      retryOptions: { ...retryOptions },
    },
  }));
}
