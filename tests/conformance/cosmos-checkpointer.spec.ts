import type { CosmosClient } from '@azure/cosmos';
import { validate } from '@langchain/langgraph-checkpoint-validation';
import type { RunningEmulator } from '../../emulators/shared/types';
import type { CosmosEmulatorInfo } from '../../emulators/cosmos/server';
import { createCosmosClient } from '../../src/persistence/cosmos-client';
import { ensureContainers } from '../../src/persistence/containers';
import { CosmosCheckpointSaver } from '../../src/persistence/checkpointer/cosmos-checkpoint-saver';
import { cosmosConfigFor, startPrivateCosmos, uniqueDatabaseId } from '../support/cosmos-emulator';

let emulator: RunningEmulator<CosmosEmulatorInfo> | undefined;
let client: CosmosClient | undefined;
const databases = new WeakMap<CosmosCheckpointSaver, string>();

validate<CosmosCheckpointSaver>({
  checkpointerName: 'CosmosCheckpointSaver',
  beforeAllTimeout: 60_000,
  async beforeAll() {
    emulator = await startPrivateCosmos();
    client = createCosmosClient(cosmosConfigFor(emulator.info, 'unused'));
  },
  async afterAll() {
    client?.dispose();
    await emulator?.stop();
  },
  async createCheckpointer() {
    if (!client) throw new Error('the Cosmos emulator did not start');
    const databaseId = uniqueDatabaseId('conformance');
    const containers = await ensureContainers(client, databaseId);
    const saver = new CosmosCheckpointSaver({ checkpoints: containers.checkpoints, blobs: containers.blobs });
    databases.set(saver, databaseId);
    return saver;
  },
  async destroyCheckpointer(saver) {
    const databaseId = databases.get(saver);
    if (client && databaseId) await client.database(databaseId).delete();
  },
});
