/**
 * The Cosmos emulator runs a transactional batch all-or-nothing within one partition key, as Cosmos DB
 * does (https://learn.microsoft.com/azure/cosmos-db/nosql/transactional-batch). Driven with the real
 * @azure/cosmos SDK (`items.batch` sends `x-ms-cosmos-batch-atomic: true`).
 */
import { BulkOperationType, type Container, type CosmosClient, type OperationInput } from '@azure/cosmos';
import type { CosmosEmulatorInfo } from '../../../emulators/cosmos/server';
import type { RunningEmulator } from '../../../emulators/shared/types';
import { createCosmosClient } from '../../../src/persistence';
import { cosmosConfigFor, startPrivateCosmos, uniqueDatabaseId } from '../../support/cosmos-emulator';

let emulator: RunningEmulator<CosmosEmulatorInfo>;
let client: CosmosClient;
let container: Container;

beforeAll(async () => {
  emulator = await startPrivateCosmos();
  const databaseId = uniqueDatabaseId('batch');
  client = createCosmosClient(cosmosConfigFor(emulator.info, databaseId));
  const { database } = await client.databases.createIfNotExists({ id: databaseId });
  ({ container } = await database.containers.createIfNotExists({ id: 'things', partitionKey: { paths: ['/pk'] } }));
});

afterAll(async () => {
  client.dispose();
  await emulator.stop();
});

async function snapshot(pk: string): Promise<Record<string, unknown>[]> {
  const { resources } = await container.items.query<Record<string, unknown>>('SELECT c.id, c.v, c._etag FROM c', { partitionKey: pk }).fetchAll();
  return resources.sort((a, b) => String(a.id).localeCompare(String(b.id)));
}

describe('transactional batch on the Cosmos emulator', () => {
  it('when every operation succeeds, then all are applied and each reports its own status', async () => {
    await container.items.create({ id: 'ok-old', pk: 'ok', v: 0 });
    const ops: OperationInput[] = [
      { operationType: BulkOperationType.Create, resourceBody: { id: 'ok-new', pk: 'ok', v: 1 } },
      { operationType: BulkOperationType.Replace, id: 'ok-old', resourceBody: { id: 'ok-old', pk: 'ok', v: 2 } },
    ];
    const response = await container.items.batch(ops, 'ok');
    expect(response.code).toBe(200);
    expect(response.result?.map((r) => r.statusCode)).toEqual([201, 200]);
    expect((await snapshot('ok')).map((d) => [d.id, d.v])).toEqual([['ok-new', 1], ['ok-old', 2]]);
  });

  it('when the last operation fails, then the earlier create, upsert, replace and delete are all undone and the others report 424', async () => {
    await container.items.create({ id: 'a-replace', pk: 'a', v: 0 });
    await container.items.create({ id: 'a-delete', pk: 'a', v: 0 });
    await container.items.create({ id: 'a-upsert', pk: 'a', v: 0 });
    await container.items.create({ id: 'a-taken', pk: 'a', v: 0 });
    const before = await snapshot('a');
    const ops: OperationInput[] = [
      { operationType: BulkOperationType.Create, resourceBody: { id: 'a-new', pk: 'a', v: 1 } },
      { operationType: BulkOperationType.Upsert, resourceBody: { id: 'a-upsert', pk: 'a', v: 1 } },
      { operationType: BulkOperationType.Replace, id: 'a-replace', resourceBody: { id: 'a-replace', pk: 'a', v: 1 } },
      { operationType: BulkOperationType.Delete, id: 'a-delete' },
      { operationType: BulkOperationType.Create, resourceBody: { id: 'a-taken', pk: 'a', v: 1 } },
    ];
    const response = await container.items.batch(ops, 'a');
    expect(response.code).toBe(207);
    expect(response.result?.map((r) => r.statusCode)).toEqual([424, 424, 424, 424, 409]);
    expect(await snapshot('a')).toEqual(before);
    const { resource: created } = await container.item('a-new', 'a').read();
    expect(created).toBeUndefined();
  });

  it('when a replace names a stale ETag (If-Match), then the batch fails with 412 and nothing changes', async () => {
    const { resource: head } = await container.items.create({ id: 'b-head', pk: 'b', v: 0 });
    await container.item('b-head', 'b').replace({ id: 'b-head', pk: 'b', v: 1 });
    const before = await snapshot('b');
    const ops: OperationInput[] = [
      { operationType: BulkOperationType.Create, resourceBody: { id: 'b-history', pk: 'b', v: 2 } },
      { operationType: BulkOperationType.Replace, id: 'b-head', ifMatch: head?._etag, resourceBody: { id: 'b-head', pk: 'b', v: 2 } },
    ];
    const response = await container.items.batch(ops, 'b');
    expect(response.result?.map((r) => r.statusCode)).toEqual([424, 412]);
    expect(await snapshot('b')).toEqual(before);
  });

  it('when an operation addresses another partition key, then the request is refused and nothing changes', async () => {
    const ops: OperationInput[] = [
      { operationType: BulkOperationType.Create, resourceBody: { id: 'c-1', pk: 'c', v: 1 } },
      { operationType: BulkOperationType.Create, resourceBody: { id: 'd-1', pk: 'd', v: 1 } },
    ];
    await expect(container.items.batch(ops, 'c')).rejects.toThrow(/different partition key value/);
    expect(await snapshot('c')).toEqual([]);
    expect(await snapshot('d')).toEqual([]);
  });

  it('when a batch fails, then a later batch and plain reads see the partition exactly as before (indexes restored)', async () => {
    await container.items.create({ id: 'e-1', pk: 'e', v: 0 });
    const failing: OperationInput[] = [
      { operationType: BulkOperationType.Delete, id: 'e-1' },
      { operationType: BulkOperationType.Read, id: 'e-missing' },
    ];
    expect((await container.items.batch(failing, 'e')).result?.map((r) => r.statusCode)).toEqual([424, 404]);
    const { resource } = await container.item('e-1', 'e').read<{ v: number }>();
    expect(resource?.v).toBe(0);
    const { resources } = await container.items.query('SELECT c.id FROM c WHERE c.v = 0', { partitionKey: 'e' }).fetchAll();
    expect(resources).toEqual([{ id: 'e-1' }]);
    const ok = await container.items.batch([{ operationType: BulkOperationType.Delete, id: 'e-1' }], 'e');
    expect(ok.result?.map((r) => r.statusCode)).toEqual([204]);
  });
});
