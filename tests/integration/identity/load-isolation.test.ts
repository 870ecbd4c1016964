import { performance } from 'node:perf_hooks';
import { DEMO_DIRECTORY, type DirectoryUser } from '../../../emulators/shared/directory';
import type { IdentityService } from '../../../src/identity';
import { MemoryTokenCacheStore } from '../../unit/identity/memory-token-cache-store';
import { claimsOf, startEntraFixture, type EntraFixture } from './entra-fixture';

const TURNS_PER_USER = 20;
const CONCURRENT_TURNS = 25;
const USERS = DEMO_DIRECTORY.users.filter((u) => /^load\d\d$/.test(u.shortName));

let fx: EntraFixture;
beforeAll(async () => { fx = await startEntraFixture(); });
afterAll(async () => { await fx.emulator.stop(); });
beforeEach(async () => { await fx.control.reset(); });

/** Deterministic pseudo-random sequence so a failing interleaving can be replayed. */
function random(seed: number): () => number {
  let state = seed;
  return () => {
    state = (state * 1103515245 + 12345) % 2 ** 31;
    return state / 2 ** 31;
  };
}

function percentile(values: number[], p: number): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))] ?? 0;
}

interface Mismatch { user: string; got: unknown }

async function laterTurns(services: IdentityService[], rnd: () => number, mismatches: Mismatch[], latencies: number[]): Promise<void> {
  const turns = USERS.flatMap((user) => Array.from({ length: TURNS_PER_USER - 1 }, () => user));
  for (let i = turns.length - 1; i > 0; i -= 1) {
    const j = Math.floor(rnd() * (i + 1));
    [turns[i], turns[j]] = [turns[j]!, turns[i]!];
  }
  const plan = turns.map((user) => ({ user, service: services[Math.floor(rnd() * services.length)]! }));
  let next = 0;
  const worker = async (): Promise<void> => {
    for (let turn = plan[next++]; turn; turn = plan[next++]) {
      const started = performance.now();
      const token = await turn.service.tokenProviderFor({ tenantId: DEMO_DIRECTORY.tenantId, objectId: turn.user.objectId }).getDatabricksToken();
      latencies.push(performance.now() - started);
      const oid = claimsOf(token).oid;
      if (oid !== turn.user.objectId) mismatches.push({ user: turn.user.shortName, got: oid });
    }
  };
  await Promise.all(Array.from({ length: CONCURRENT_TURNS }, worker));
}

async function firstTurn(service: IdentityService, user: DirectoryUser, sso: string, mismatches: Mismatch[]): Promise<void> {
  const identity = await service.signIn(sso);
  if (identity.objectId !== user.objectId) mismatches.push({ user: user.shortName, got: identity.objectId });
  const oid = claimsOf(await service.tokenProviderFor(identity).getDatabricksToken()).oid;
  if (oid !== user.objectId) mismatches.push({ user: user.shortName, got: oid });
}

describe('50 users x 20 interleaved turns over 2 identity services sharing one cache store', () => {
  test('when each user’s first turn finishes before the rest, then exactly 50 OBO requests and every token is the caller’s', async () => {
    expect(USERS).toHaveLength(50);
    const store = new MemoryTokenCacheStore();
    const services = [fx.newService(store), fx.newService(store)];
    const rnd = random(42);
    const mismatches: Mismatch[] = [];
    const latencies: number[] = [];
    const started = performance.now();

    const ssoTokens = await Promise.all(USERS.map((u) => fx.control.ssoToken(u.shortName)));
    await Promise.all(USERS.map((user, i) => firstTurn(services[i % 2]!, user, ssoTokens[i]!, mismatches)));
    await laterTurns(services, rnd, mismatches, latencies);
    const elapsed = performance.now() - started;

    const counters = await fx.control.counters();
    expect(mismatches).toEqual([]);
    expect(counters.byGrant).toEqual({ on_behalf_of: 50, refresh_token: 0, client_credentials: 0, other: 0 });
    for (const user of USERS) expect(counters.byUser[user.objectId]).toEqual({ on_behalf_of: 1 });
    expect(new Set(store.blobs.keys()).size).toBe(50);
    console.info(
      `identity load (first turns first): ${USERS.length * TURNS_PER_USER} turns in ${elapsed.toFixed(0)} ms; ` +
        `OBO=${counters.byGrant.on_behalf_of}, refresh=${counters.byGrant.refresh_token}, cross-user tokens=${mismatches.length}; ` +
        `silent turn (${CONCURRENT_TURNS} in flight) p50=${percentile(latencies, 50).toFixed(1)} ms p95=${percentile(latencies, 95).toFixed(1)} ms`,
    );
  });

  test.each([
    ['the same SSO token (one exchange delivered to both instances)', false],
    ['a different SSO token per instance (two clients signing in at once)', true],
  ])('when first turns race on both instances with %s, then every token is still the caller’s and the OBO count is reported', async (label, distinct) => {
    const store = new MemoryTokenCacheStore();
    const services = [fx.newService(store), fx.newService(store)];
    const rnd = random(7);
    const mismatches: Mismatch[] = [];
    const latencies: number[] = [];

    const ssoTokens = await Promise.all(USERS.map((u) => fx.control.ssoToken(u.shortName)));
    const otherTokens = distinct ? await Promise.all(USERS.map((u) => fx.control.ssoToken(u.shortName))) : ssoTokens;
    await Promise.all(USERS.flatMap((user, i) => [
      firstTurn(services[0]!, user, ssoTokens[i]!, mismatches),
      firstTurn(services[1]!, user, otherTokens[i]!, mismatches),
    ]));
    await laterTurns(services, rnd, mismatches, latencies);

    const counters = await fx.control.counters();
    expect(mismatches).toEqual([]);
    expect(counters.byGrant.on_behalf_of).toBeGreaterThanOrEqual(50);
    expect(counters.byGrant.on_behalf_of).toBeLessThanOrEqual(100);
    expect(counters.byGrant.refresh_token).toBe(0);
    console.info(`identity load (first turns racing on 2 instances, ${label}): OBO=${counters.byGrant.on_behalf_of} for 50 users, cross-user tokens=${mismatches.length}`);
  });
});
