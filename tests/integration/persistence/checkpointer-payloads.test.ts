import { randomBytes } from 'node:crypto';
import type { CosmosClient } from '@azure/cosmos';
import { emptyCheckpoint, uuid6, type Checkpoint } from '@langchain/langgraph-checkpoint';
import type { RunningEmulator } from '../../../emulators/shared/types';
import type { CosmosEmulatorInfo } from '../../../emulators/cosmos/server';
import { createCosmosClient } from '../../../src/persistence/cosmos-client';
import { createPersistence, type Persistence } from '../../../src/persistence/persistence';
import { cosmosConfigFor, startPrivateCosmos, uniqueDatabaseId } from '../../support/cosmos-emulator';

let emulator: RunningEmulator<CosmosEmulatorInfo>;
let client: CosmosClient;
let p: Persistence;
const meta = { source: 'loop' as const, step: 1, parents: {} };

async function chunkCount(threadId: string): Promise<number> {
  const { resources } = await p.containers.blobs.items
    .query({ query: 'SELECT c.id FROM c WHERE c.ownerKey = @o', parameters: [{ name: '@o', value: threadId }] })
    .fetchAll();
  return resources.length;
}

function checkpointWith(values: Record<string, unknown>): Checkpoint {
  const base = emptyCheckpoint();
  return { ...base, id: uuid6(-3), channel_values: values, channel_versions: Object.fromEntries(Object.keys(values).map((k) => [k, 1])) };
}

beforeAll(async () => {
  emulator = await startPrivateCosmos();
  const databaseId = uniqueDatabaseId('payloads');
  client = createCosmosClient(cosmosConfigFor(emulator.info, databaseId));
  p = await createPersistence(client, databaseId);
});

afterAll(async () => {
  client.dispose();
  await emulator.stop();
});

describe('checkpointer payloads', () => {
  it('when a channel holds 3 MB of binary data, then it round-trips byte for byte through chunks', async () => {
    const threadId = 'payload-binary';
    const bytes = new Uint8Array(randomBytes(3 * 1024 * 1024));
    const checkpoint = checkpointWith({ blob: bytes, small: 'x' });
    const config = await p.checkpointer.put({ configurable: { thread_id: threadId } }, checkpoint, meta, { blob: 1, small: 1 });
    const tuple = await p.checkpointer.getTuple(config);
    expect(Buffer.from(tuple?.checkpoint.channel_values.blob as Uint8Array).equals(Buffer.from(bytes))).toBe(true);
    expect(tuple?.checkpoint.channel_values.small).toBe('x');
    expect(await chunkCount(threadId)).toBe(3);
  });

  it('when a large regular write is repeated for the same (task, idx), then the first value is kept and the loser\'s chunks are discarded', async () => {
    const threadId = 'payload-writes';
    const config = await p.checkpointer.put({ configurable: { thread_id: threadId } }, checkpointWith({}), meta, {});
    const first = 'a'.repeat(1_500_000);
    await p.checkpointer.putWrites(config, [['big', first]], 'task-1');
    const chunksAfterFirst = await chunkCount(threadId);
    await p.checkpointer.putWrites(config, [['big', 'b'.repeat(1_500_000)]], 'task-1');
    expect(await chunkCount(threadId)).toBe(chunksAfterFirst);
    const tuple = await p.checkpointer.getTuple(config);
    expect(tuple?.pendingWrites).toEqual([['task-1', 'big', first]]);
  });

  it('when a special channel is written twice, then the second value replaces the first', async () => {
    const threadId = 'payload-special';
    const config = await p.checkpointer.put({ configurable: { thread_id: threadId } }, checkpointWith({}), meta, {});
    await p.checkpointer.putWrites(config, [['__error__', 'first']], 'task-1');
    await p.checkpointer.putWrites(config, [['__error__', 'second']], 'task-1');
    expect((await p.checkpointer.getTuple(config))?.pendingWrites).toEqual([['task-1', '__error__', 'second']]);
  });

  it('when writes arrive before their checkpoint (durability exit), then they are attached once the checkpoint is put', async () => {
    const threadId = 'payload-exit';
    const checkpoint = checkpointWith({ a: 1 });
    await p.checkpointer.putWrites({ configurable: { thread_id: threadId, checkpoint_ns: '', checkpoint_id: checkpoint.id } }, [['__interrupt__', [{ id: 'i1', value: 'ask' }]]], 'task-9');
    const config = await p.checkpointer.put({ configurable: { thread_id: threadId } }, checkpoint, meta, { a: 1 });
    expect((await p.checkpointer.getTuple(config))?.pendingWrites).toEqual([['task-9', '__interrupt__', [{ id: 'i1', value: 'ask' }]]]);
  });

  it('when two forks of one parent write the same channel version with different values, then each fork reads its own value', async () => {
    const threadId = 'payload-fork';
    const parent = checkpointWith({ kept: 'base', changed: 'v1' });
    const parentConfig = await p.checkpointer.put({ configurable: { thread_id: threadId } }, parent, meta, { kept: 1, changed: 1 });
    const forkA = { ...checkpointWith({ kept: 'base', changed: 'A' }), channel_versions: { kept: 1, changed: 2 } };
    const forkB = { ...checkpointWith({ kept: 'base', changed: 'B' }), channel_versions: { kept: 1, changed: 2 } };
    const configA = await p.checkpointer.put(parentConfig, forkA, meta, { changed: 2 });
    const configB = await p.checkpointer.put(parentConfig, forkB, meta, { changed: 2 });
    expect((await p.checkpointer.getTuple(configA))?.checkpoint.channel_values).toEqual({ kept: 'base', changed: 'A' });
    expect((await p.checkpointer.getTuple(configB))?.checkpoint.channel_values).toEqual({ kept: 'base', changed: 'B' });
  });
});
