/**
 * The Cosmos emulator answers a partition-scoped query from that partition only, as Cosmos DB does
 * (the package alone scanned every document of the container). Driven with the real @azure/cosmos SDK.
 */
import type { Container, CosmosClient } from '@azure/cosmos';
import type { CosmosEmulatorInfo } from '../../../emulators/cosmos/server';
import type { RunningEmulator } from '../../../emulators/shared/types';
import { createCosmosClient } from '../../../src/persistence';
import { cosmosConfigFor, startPrivateCosmos, uniqueDatabaseId } from '../../support/cosmos-emulator';

let emulator: RunningEmulator<CosmosEmulatorInfo>;
let client: CosmosClient;
let container: Container;

beforeAll(async () => {
  emulator = await startPrivateCosmos();
  const databaseId = uniqueDatabaseId('partitions');
  client = createCosmosClient(cosmosConfigFor(emulator.info, databaseId));
  const { database } = await client.databases.createIfNotExists({ id: databaseId });
  ({ container } = await database.containers.createIfNotExists({ id: 'things', partitionKey: { paths: ['/pk'] } }));
  for (const pk of ['a', 'b', 'c']) {
    for (let n = 0; n < 5; n++) await container.items.create({ id: `${pk}-${n}`, pk, n });
  }
});

afterAll(async () => {
  client.dispose();
  await emulator.stop();
});

const ids = (items: { id: string }[]): string[] => items.map((i) => i.id).sort();

describe('partition-scoped queries on the Cosmos emulator', () => {
  it('when a query names a partition key, then only that partition’s documents are considered, whatever the WHERE says', async () => {
    const { resources } = await container.items.query<{ id: string }>('SELECT c.id FROM c WHERE c.n >= 3', { partitionKey: 'b' }).fetchAll();
    expect(ids(resources)).toEqual(['b-3', 'b-4']);
  });

  it('when a TOP query with parameters and ORDER BY names a partition key (as the checkpointer reads the latest), then only that partition is considered', async () => {
    const query = { query: 'SELECT TOP 1 * FROM c WHERE c.n >= @n ORDER BY c.id DESC', parameters: [{ name: '@n', value: 0 }] };
    const { resources } = await container.items.query<{ id: string }>(query, { partitionKey: 'a' }).fetchAll();
    expect(ids(resources)).toEqual(['a-4']);
  });

  it('when a query is cross-partition, then every partition is considered', async () => {
    const { resources } = await container.items.query<{ id: string }>('SELECT c.id FROM c WHERE c.n = 0').fetchAll();
    expect(ids(resources)).toEqual(['a-0', 'b-0', 'c-0']);
  });

  it('when documents are replaced, upserted and deleted, then the partition’s query sees exactly the current ones', async () => {
    await container.item('c-0', 'c').replace({ id: 'c-0', pk: 'c', n: 100 });
    await container.items.upsert({ id: 'c-9', pk: 'c', n: 9 });
    await container.item('c-1', 'c').delete();
    const { resources } = await container.items.query<{ id: string; n: number }>('SELECT c.id, c.n FROM c ORDER BY c.n DESC', { partitionKey: 'c' }).fetchAll();
    expect(resources).toEqual([{ id: 'c-0', n: 100 }, { id: 'c-9', n: 9 }, { id: 'c-4', n: 4 }, { id: 'c-3', n: 3 }, { id: 'c-2', n: 2 }]);
  });

  it('when a partition has more documents than a page, then paging with continuations returns each exactly once', async () => {
    const iterator = container.items.query<{ id: string }>('SELECT c.id FROM c', { partitionKey: 'a', maxItemCount: 2 });
    const seen: string[] = [];
    while (iterator.hasMoreResults()) {
      const { resources } = await iterator.fetchNext();
      seen.push(...resources.map((r) => r.id));
    }
    expect(seen.sort()).toEqual(['a-0', 'a-1', 'a-2', 'a-3', 'a-4']);
  });

  it('when the partition holds nothing, then the query returns nothing', async () => {
    const { resources } = await container.items.query('SELECT * FROM c', { partitionKey: 'nobody' }).fetchAll();
    expect(resources).toEqual([]);
  });

  it('when the SDK asks for a query plan, then a plan is answered without executing the query (even one that could not run)', async () => {
    const url = `${emulator.info.endpoint}dbs/${container.database.id}/colls/things/docs`;
    const response = await fetch(url, {
      method: 'POST',
      headers: { 'content-type': 'application/query+json', 'x-ms-cosmos-is-query-plan-request': 'True', 'x-ms-documentdb-query-enablecrosspartition': 'true' },
      body: JSON.stringify({ query: 'SELECT * FROM c WHERE NO_SUCH_FUNCTION(c.n)' }),
    });
    expect(response.status).toBe(200);
    expect(await response.json()).toMatchObject({ queryInfo: { orderBy: [] }, queryRanges: [expect.objectContaining({ min: '', max: 'FF' })] });
    await expect(container.items.query('SELECT * FROM c WHERE NO_SUCH_FUNCTION(c.n)').fetchAll()).rejects.toMatchObject({ code: 400 });
  });
});

