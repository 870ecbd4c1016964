import { MemoryTokenCacheStore } from '../../unit/identity/memory-token-cache-store';
import { startEntraFixture, type EntraFixture } from './entra-fixture';
import { LOAD_USERS, describeLoad, runLoad } from './load-scenario';

let fx: EntraFixture;
beforeAll(async () => { fx = await startEntraFixture(); });
afterAll(async () => { await fx.emulator.stop(); });
beforeEach(async () => { await fx.control.reset(); });

describe('50 users x 20 interleaved turns over 2 identity services sharing one cache store', () => {
  test('when each user’s first turn finishes before the rest, then exactly 50 OBO requests and every token is the caller’s', async () => {
    expect(LOAD_USERS).toHaveLength(50);
    const store = new MemoryTokenCacheStore();
    const result = await runLoad(fx, [fx.newService(store), fx.newService(store)], 'sequential-first', 42);
    expect(result.mismatches).toEqual([]);
    expect(result.counters.byGrant).toEqual({ on_behalf_of: 50, refresh_token: 0, client_credentials: 0, other: 0 });
    for (const user of LOAD_USERS) expect(result.counters.byUser[user.objectId]).toEqual({ on_behalf_of: 1 });
    expect(store.blobs.size).toBe(50);
    console.info(describeLoad('identity load, memory store, first turns first', result));
  });

  test.each([
    ['the same SSO token (one exchange delivered to both instances)', 'race-same-token'],
    ['a different SSO token per instance (two clients signing in at once)', 'race-distinct-tokens'],
  ] as const)('when first turns race on both instances with %s, then every token is still the caller’s and the OBO count is reported', async (label, mode) => {
    const store = new MemoryTokenCacheStore();
    const result = await runLoad(fx, [fx.newService(store), fx.newService(store)], mode, 7);
    expect(result.mismatches).toEqual([]);
    expect(result.counters.byGrant.on_behalf_of).toBeGreaterThanOrEqual(50);
    expect(result.counters.byGrant.on_behalf_of).toBeLessThanOrEqual(100);
    expect(result.counters.byGrant.refresh_token).toBe(0);
    console.info(describeLoad(`identity load, memory store, first turns racing (${label})`, result));
  });
});
