import type { Container, ContainerRequest, CosmosClient } from '@azure/cosmos';
import { cosmosCall } from './cosmos-errors';

/**
 * The single definition of the Cosmos database layout: container id → partition key path. The
 * Bicep template must declare exactly these (a test cross-checks it). See docs/data-model.md.
 */
export const CONTAINERS = {
  /** Checkpoints, pending writes and channel values of one LangGraph thread. */
  checkpoints: '/threadId',
  /** Long-term memory; one partition per tenant + user. */
  memory: '/pk',
  /** Approval ledger; read by opaque id. */
  approvals: '/id',
  /** Append-only audit trail; one partition per tenant + user. */
  audit: '/userKey',
  /** Create-if-absent markers (activity ids, token-exchange ids). */
  dedupe: '/id',
  /** Short ETag leases (one run per thread across instances). */
  leases: '/id',
  /** Encrypted MSAL caches; one item per tenant + user. */
  tokenCache: '/id',
  /** Who asked for which approval, and the tenant's four-eyes approvals (`approval-index.ts`). */
  approvalIndex: '/key',
  /** Conversation references for proactive messages: 1:1 chats and channels (`conversation-references.ts`). */
  references: '/tenantId',
  /** Chunks of values too large to inline, grouped by owner (a thread id). */
  blobs: '/ownerKey',
} as const;

export type ContainerName = keyof typeof CONTAINERS;
export type Containers = Record<ContainerName, Container>;

/** Dedupe markers only need to outlive Teams' redelivery window; the service expires them (the emulator does not, and nothing depends on it). */
export const DEDUPE_TTL_SECONDS = 7 * 24 * 3600;

/** TTL on without a default (-1): only items that carry their own `ttl` expire (pruned checkpoint history). */
const TTL_PER_ITEM = -1;

const EXCLUDED_PAYLOAD_PATHS: Partial<Record<ContainerName, string[]>> = {
  checkpoints: ['/checkpoint/*', '/metadata/*', '/value/*', '/data/*', '/writes/*'],
  blobs: ['/data/?'],
  tokenCache: ['/value/?'],
};

function definitionOf(name: ContainerName): ContainerRequest {
  const excluded = EXCLUDED_PAYLOAD_PATHS[name];
  return {
    id: name,
    partitionKey: { paths: [CONTAINERS[name]] },
    ...(name === 'dedupe' ? { defaultTtl: DEDUPE_TTL_SECONDS } : {}),
    ...(name === 'checkpoints' ? { defaultTtl: TTL_PER_ITEM } : {}),
    ...(excluded
      ? {
          indexingPolicy: {
            indexingMode: 'consistent',
            automatic: true,
            includedPaths: [{ path: '/*' }],
            excludedPaths: [...excluded.map((path) => ({ path })), { path: '/"_etag"/?' }],
          },
        }
      : {}),
  };
}

/** Creates the database and every container when missing; safe to call on every start. */
export async function ensureContainers(client: CosmosClient, databaseId: string): Promise<Containers> {
  const { database } = await cosmosCall('create database', () => client.databases.createIfNotExists({ id: databaseId }));
  const entries: [ContainerName, Container][] = [];
  for (const name of Object.keys(CONTAINERS) as ContainerName[]) {
    const { container } = await cosmosCall(`create container ${name}`, () => database.containers.createIfNotExists(definitionOf(name)));
    entries.push([name, container]);
  }
  return Object.fromEntries(entries) as Containers;
}
