/**
 * A transactional batch throttled past the SDK's retries: @azure/cosmos 4.9.3 rethrows it as a plain
 * `Error('Batch request error: …')` without the status (see src/persistence/cosmos-batch-status.ts);
 * the caller must still get STORAGE.THROTTLED, not STORAGE.UNAVAILABLE.
 */
import { BulkOperationType, type CosmosClient } from '@azure/cosmos';
import { emptyCheckpoint, uuid6 } from '@langchain/langgraph-checkpoint';
import type { CosmosEmulatorInfo } from '../../../emulators/cosmos/server';
import type { RunningEmulator } from '../../../emulators/shared/types';
import { hasCode } from '../../../src/errors';
import { CosmosCheckpointSaver } from '../../../src/persistence/checkpointer/cosmos-checkpoint-saver';
import { createCosmosClient } from '../../../src/persistence/cosmos-client';
import { mapCosmosError } from '../../../src/persistence/cosmos-errors';
import { ensureContainers } from '../../../src/persistence/containers';
import { cosmosConfigFor, startPrivateCosmos, uniqueDatabaseId } from '../../support/cosmos-emulator';
import { startThrottleProxy, type ThrottleProxy } from '../../support/cosmos-throttle-proxy';

let emulator: RunningEmulator<CosmosEmulatorInfo>;
let proxy: ThrottleProxy;
const clients: CosmosClient[] = [];
const databaseId = uniqueDatabaseId('batch429');

function clientVia(endpoint: string): CosmosClient {
  const client = createCosmosClient({ ...cosmosConfigFor(emulator.info, databaseId), endpoint }, { maxRetryAttemptCount: 2, fixedRetryIntervalInMilliseconds: 0, maxWaitTimeInSeconds: 5 });
  clients.push(client);
  return client;
}

const failureOf = (work: () => Promise<unknown>): Promise<unknown> => work().then(() => undefined, (error: unknown) => error);

beforeAll(async () => {
  emulator = await startPrivateCosmos();
  proxy = await startThrottleProxy(emulator.info.endpoint, { retryAfterMs: 1 });
  proxy.shouldThrottle = () => false;
  await ensureContainers(clientVia(emulator.info.endpoint), databaseId);
});

afterAll(async () => {
  for (const client of clients) client.dispose();
  await proxy.stop();
  await emulator.stop();
});

describe('a transactional batch answered 429 until the SDK gives up', () => {
  it('when the SDK rethrows it without a status, then it maps to STORAGE.THROTTLED', async () => {
    const containers = await ensureContainers(clientVia(proxy.endpoint), databaseId);
    proxy.shouldThrottle = () => true;
    const start = proxy.stats.requests;
    const raw = await failureOf(() => containers.checkpoints.items.batch([{ operationType: BulkOperationType.Create, resourceBody: { id: 'x', threadId: 'batch-429' } }], 'batch-429'));
    proxy.shouldThrottle = () => false;
    expect(proxy.stats.requests - start).toBe(3);
    expect((raw as { code?: unknown }).code).toBeUndefined();
    expect(hasCode(mapCosmosError(raw, 'commit checkpoint'), 'STORAGE.THROTTLED')).toBe(true);
  });

  it('when a checkpoint put (one batch) is throttled past the retries, then the caller gets STORAGE.THROTTLED and nothing is written', async () => {
    const containers = await ensureContainers(clientVia(proxy.endpoint), databaseId);
    const saver = new CosmosCheckpointSaver({ checkpoints: containers.checkpoints, blobs: containers.blobs });
    const threadId = 'batch-429-put';
    expect(await saver.getTuple({ configurable: { thread_id: threadId } })).toBeUndefined();
    proxy.shouldThrottle = () => true;
    const checkpoint = { ...emptyCheckpoint(), id: uuid6(-3), channel_values: { x: 1 }, channel_versions: { x: 1 } };
    const failure = await failureOf(() => saver.put({ configurable: { thread_id: threadId } }, checkpoint, { source: 'input', step: -1, parents: {} }, { x: 1 }));
    proxy.shouldThrottle = () => false;
    expect(hasCode(failure, 'STORAGE.THROTTLED')).toBe(true);
    expect(await saver.getTuple({ configurable: { thread_id: threadId } })).toBeUndefined();
  });

  it('when a batch error carries no diagnostics of throttled attempts, then it is not called throttled', () => {
    expect(hasCode(mapCosmosError(new Error('Batch request error: socket hang up'), 'commit checkpoint'), 'STORAGE.UNAVAILABLE')).toBe(true);
  });
});
