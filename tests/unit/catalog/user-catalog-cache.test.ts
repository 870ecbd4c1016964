import { UserCatalogCache, type UserCatalog } from '../../../src/catalog';

const SPACE = 'space-1';
const alice = { tenantId: 't1', objectId: 'a11ce' };
const bob = { tenantId: 't1', objectId: 'b0b' };
const view = (...tables: string[]): UserCatalog => ({ spaceId: SPACE, tables: tables.map((name) => ({ name, columns: [{ name: 'id', type: 'INT' }] })) });

describe('UserCatalogCache (one per composition root, keyed by the validated user)', () => {
  it("when alice's view is cached and bob asks, then bob's own view is read and bob never gets alice's", async () => {
    const cache = new UserCatalogCache({ spaceId: SPACE });
    const loads: string[] = [];
    const aliceView = await cache.get(alice, async () => (loads.push('alice'), view('main.retail.orders')));
    const bobView = await cache.get(bob, async () => (loads.push('bob'), view('main.retail.orders', 'main.retail.region_targets')));
    expect(aliceView.tables.map((t) => t.name)).toEqual(['main.retail.orders']);
    expect(bobView.tables.map((t) => t.name)).toEqual(['main.retail.orders', 'main.retail.region_targets']);
    expect(await cache.get(alice, async () => view('should not load'))).toBe(aliceView);
    expect(await cache.get(bob, async () => view('should not load'))).toBe(bobView);
    expect(loads).toEqual(['alice', 'bob']);
  });

  it('when the same object id comes from another tenant, then it is another user', async () => {
    const cache = new UserCatalogCache({ spaceId: SPACE });
    await cache.get(alice, async () => view('main.retail.orders'));
    const other = await cache.get({ tenantId: 't2', objectId: alice.objectId }, async () => view());
    expect(other.tables).toEqual([]);
  });

  it('when the TTL has passed, then the view is read again (permissions may have changed)', async () => {
    let now = 1_000;
    const cache = new UserCatalogCache({ spaceId: SPACE, ttlMs: 300_000, now: () => now });
    await cache.get(alice, async () => view('main.retail.orders'));
    now += 299_999;
    expect((await cache.get(alice, async () => view())).tables).toHaveLength(1);
    now += 2;
    expect((await cache.get(alice, async () => view())).tables).toHaveLength(0);
  });

  it('when a read fails, then nothing is cached and the next turn reads again', async () => {
    const cache = new UserCatalogCache({ spaceId: SPACE });
    await expect(cache.get(alice, async () => Promise.reject(new Error('warehouse down')))).rejects.toThrow('warehouse down');
    expect((await cache.get(alice, async () => view('main.retail.orders'))).tables).toHaveLength(1);
  });

  it('when one user asks twice at once, then one read serves both; another user waits for no one', async () => {
    const cache = new UserCatalogCache({ spaceId: SPACE });
    let release: (v: UserCatalog) => void = () => undefined;
    let reads = 0;
    const slow = (): Promise<UserCatalog> => ((reads += 1), new Promise<UserCatalog>((r) => (release = r)));
    const first = cache.get(alice, slow);
    const second = cache.get(alice, slow);
    expect((await cache.get(bob, async () => view('b'))).tables[0]?.name).toBe('b');
    release(view('a'));
    expect(await first).toBe(await second);
    expect(reads).toBe(1);
  });

  it('when more users than maxEntries are cached, then the oldest is dropped', async () => {
    const cache = new UserCatalogCache({ spaceId: SPACE, maxEntries: 1 });
    await cache.get(alice, async () => view('a'));
    await cache.get(bob, async () => view('b'));
    expect((await cache.get(alice, async () => view('a2'))).tables[0]?.name).toBe('a2');
  });

  it('when a view is invalidated, then it is read again', async () => {
    const cache = new UserCatalogCache({ spaceId: SPACE });
    await cache.get(alice, async () => view('a'));
    cache.invalidate(alice);
    expect((await cache.get(alice, async () => view('a2'))).tables[0]?.name).toBe('a2');
  });

  it('when a view is cached, then it holds names and types only (no token-shaped field)', async () => {
    const cache = new UserCatalogCache({ spaceId: SPACE });
    const stored = await cache.get(alice, async () => view('main.retail.orders'));
    expect(Object.keys(stored).sort()).toEqual(['spaceId', 'tables']);
    expect(JSON.stringify(stored)).not.toMatch(/token|bearer|eyJ/i);
  });
});
