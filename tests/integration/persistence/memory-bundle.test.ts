import { Item, Items, type CosmosClient } from '@azure/cosmos';
import type { RunningEmulator } from '../../../emulators/shared/types';
import type { CosmosEmulatorInfo } from '../../../emulators/cosmos/server';
import { hasCode } from '../../../src/errors';
import { ensureContainers } from '../../../src/persistence/containers';
import { createCosmosClient } from '../../../src/persistence/cosmos-client';
import { compositeId } from '../../../src/persistence/item-ids';
import { CosmosStore } from '../../../src/persistence/memory-store';
import { cosmosConfigFor, startPrivateCosmos, uniqueDatabaseId } from '../../support/cosmos-emulator';

let emulator: RunningEmulator<CosmosEmulatorInfo>;
const clients: CosmosClient[] = [];

beforeAll(async () => {
  emulator = await startPrivateCosmos();
});
afterAll(async () => {
  for (const client of clients) client.dispose();
  await emulator.stop();
});

/** `n` stores, each on its own Cosmos client (as on separate bot instances), over one database. */
async function instances(n: number, maxBundleEntries?: number) {
  const databaseId = uniqueDatabaseId('bundle');
  const out: { store: CosmosStore; memory: Awaited<ReturnType<typeof ensureContainers>>['memory'] }[] = [];
  for (let i = 0; i < n; i += 1) {
    const client = createCosmosClient(cosmosConfigFor(emulator.info, databaseId));
    clients.push(client);
    const { memory } = await ensureContainers(client, databaseId);
    out.push({ store: new CosmosStore(memory, maxBundleEntries === undefined ? {} : { maxBundleEntries }), memory });
  }
  return out;
}

const carol = ['t-1', 'carol', 'memories'];

describe("one user's memories in one item", () => {
  it('when two instances add memories for the same user at the same time, then every memory of both is kept', async () => {
    const [a, b] = await instances(2);
    await Promise.all(
      Array.from({ length: 16 }, (_, i) => (i % 2 === 0 ? a! : b!).store.put(carol, `k${i}`, { text: `fact ${i}` })),
    );
    const kept = await a!.store.search(carol, { limit: 200 });
    expect(kept.map((item) => item.key).sort()).toEqual(Array.from({ length: 16 }, (_, i) => `k${i}`).sort());
  }, 60_000);

  it('when the memories are listed, then it is one point read and no query', async () => {
    const [a] = await instances(1);
    await a!.store.put(carol, 'one', { text: 'one' });
    const reads = jest.spyOn(Item.prototype, 'read');
    const queries = jest.spyOn(Items.prototype, 'query');
    try {
      expect((await a!.store.search(carol)).map((item) => item.key)).toEqual(['one']);
      expect({ reads: reads.mock.calls.length, queries: queries.mock.calls.length }).toEqual({ reads: 1, queries: 0 });
    } finally {
      reads.mockRestore();
      queries.mockRestore();
    }
  });

  it('when a user has memories in the old one-item-per-key layout, then the first read folds them into one item, deletes the old items and loses none', async () => {
    const [a] = await instances(1);
    const old = ['2026-11-01T10:00:00.000Z', '2026-11-02T10:00:00.000Z'].map((at, i) => ({
      id: compositeId('m.', [carol, `old${i}`]),
      pk: 't-1:carol',
      namespace: carol,
      nsPath: 't-1:carol:memories:',
      key: `old${i}`,
      value: { text: `old fact ${i}`, createdAt: at },
      createdAt: at,
      updatedAt: at,
    }));
    for (const doc of old) await a!.memory.items.create(doc);
    const found = await a!.store.search(carol);
    expect(found.map((item) => [item.key, item.value.text])).toEqual([['old1', 'old fact 1'], ['old0', 'old fact 0']]);
    const left = await a!.memory.items.query({ query: 'SELECT c.id FROM c WHERE NOT IS_DEFINED(c.kind)' }, { partitionKey: 't-1:carol' }).fetchAll();
    expect(left.resources).toHaveLength(0);
    await a!.store.put(carol, 'new', { text: 'new fact' });
    expect((await a!.store.search(carol)).map((item) => item.key).sort()).toEqual(['new', 'old0', 'old1']);
  });

  it('when several memories are forgotten in one store batch, then it is one conditional write and only those go', async () => {
    const [a] = await instances(1);
    for (const key of ['a', 'b', 'c', 'd']) await a!.store.put(carol, key, { text: key });
    const replaces = jest.spyOn(Item.prototype, 'replace');
    try {
      await a!.store.batch([
        { namespace: carol, key: 'a', value: null },
        { namespace: carol, key: 'c', value: null },
        { namespace: carol, key: 'e', value: { text: 'e' } },
      ]);
      expect(replaces).toHaveBeenCalledTimes(1);
    } finally {
      replaces.mockRestore();
    }
    expect((await a!.store.search(carol)).map((item) => item.key).sort()).toEqual(['b', 'd', 'e']);
  });

  it('when a user already holds the most memories kept, then one more is refused with STORAGE.TOO_LARGE and nothing is lost; replacing and deleting still work', async () => {
    const [a] = await instances(1, 3);
    for (const key of ['a', 'b', 'c']) await a!.store.put(carol, key, { text: key });
    const refused = await a!.store.put(carol, 'd', { text: 'd' }).catch((e: unknown) => e);
    expect(hasCode(refused, 'STORAGE.TOO_LARGE')).toBe(true);
    await a!.store.put(carol, 'a', { text: 'A' });
    await a!.store.delete(carol, 'b');
    expect((await a!.store.search(carol)).map((item) => [item.key, item.value.text]).sort()).toEqual([['a', 'A'], ['c', 'c']]);
  });

  it('when a value would push the item over the size limit, then it is refused with STORAGE.TOO_LARGE and the others stay', async () => {
    const [a] = await instances(1);
    await a!.store.put(carol, 'small', { text: 'small' });
    const refused = await a!.store.put(carol, 'huge', { text: 'x'.repeat(2_000_000) }).catch((e: unknown) => e);
    expect(hasCode(refused, 'STORAGE.TOO_LARGE')).toBe(true);
    expect((await a!.store.search(carol)).map((item) => item.key)).toEqual(['small']);
  });

  it('when a namespace under a bundled one is written, then it is refused (the bundle read stays the whole answer)', async () => {
    const [a] = await instances(1);
    const refused = await a!.store.put([...carol, 'archive'], 'x', { text: 'x' }).catch((e: unknown) => e);
    expect(hasCode(refused, 'INTERNAL.UNEXPECTED')).toBe(true);
  });
});
