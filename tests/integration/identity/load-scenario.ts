import { performance } from 'node:perf_hooks';
import { DEMO_DIRECTORY, type DirectoryUser } from '../../../emulators/shared/directory';
import type { EntraCounters } from '../../../emulators/entra/controls';
import type { IdentityService } from '../../../src/identity';
import { claimsOf, type EntraFixture } from './entra-fixture';

export const TURNS_PER_USER = 20;
const CONCURRENT_TURNS = 25;
export const LOAD_USERS = DEMO_DIRECTORY.users.filter((u) => /^load\d\d$/.test(u.shortName));

export interface Mismatch { user: string; got: unknown }

export interface LoadResult {
  mismatches: Mismatch[];
  counters: EntraCounters;
  elapsedMs: number;
  p50Ms: number;
  p95Ms: number;
}

export type FirstTurns = 'sequential-first' | 'race-same-token' | 'race-distinct-tokens';

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

async function firstTurn(service: IdentityService, user: DirectoryUser, sso: string, mismatches: Mismatch[]): Promise<void> {
  const identity = await service.signIn(sso);
  if (identity.objectId !== user.objectId) mismatches.push({ user: user.shortName, got: identity.objectId });
  const oid = claimsOf(await service.tokenProviderFor(identity).getDatabricksToken()).oid;
  if (oid !== user.objectId) mismatches.push({ user: user.shortName, got: oid });
}

/**
 * 50 load users × 20 turns over two identity services (two "instances") sharing one store: first
 * turns (sign-in + token) as `mode` says, then the other 19 turns per user shuffled across both.
 */
export async function runLoad(fx: EntraFixture, services: [IdentityService, IdentityService], mode: FirstTurns, seed: number): Promise<LoadResult> {
  const rnd = random(seed);
  const mismatches: Mismatch[] = [];
  const latencies: number[] = [];
  const started = performance.now();

  const ssoTokens = await Promise.all(LOAD_USERS.map((u) => fx.control.ssoToken(u.shortName)));
  if (mode === 'sequential-first') {
    await Promise.all(LOAD_USERS.map((user, i) => firstTurn(services[i % 2]!, user, ssoTokens[i]!, mismatches)));
  } else {
    const others = mode === 'race-distinct-tokens' ? await Promise.all(LOAD_USERS.map((u) => fx.control.ssoToken(u.shortName))) : ssoTokens;
    await Promise.all(LOAD_USERS.flatMap((user, i) => [
      firstTurn(services[0], user, ssoTokens[i]!, mismatches),
      firstTurn(services[1], user, others[i]!, mismatches),
    ]));
  }

  const turns = LOAD_USERS.flatMap((user) => Array.from({ length: TURNS_PER_USER - 1 }, () => user));
  for (let i = turns.length - 1; i > 0; i -= 1) {
    const j = Math.floor(rnd() * (i + 1));
    [turns[i], turns[j]] = [turns[j]!, turns[i]!];
  }
  const plan = turns.map((user) => ({ user, service: services[Math.floor(rnd() * 2)]! }));
  let next = 0;
  const worker = async (): Promise<void> => {
    for (let turn = plan[next++]; turn; turn = plan[next++]) {
      const turnStarted = performance.now();
      const token = await turn.service.tokenProviderFor({ tenantId: DEMO_DIRECTORY.tenantId, objectId: turn.user.objectId }).getDatabricksToken();
      latencies.push(performance.now() - turnStarted);
      const oid = claimsOf(token).oid;
      if (oid !== turn.user.objectId) mismatches.push({ user: turn.user.shortName, got: oid });
    }
  };
  await Promise.all(Array.from({ length: CONCURRENT_TURNS }, worker));

  return {
    mismatches,
    counters: await fx.control.counters(),
    elapsedMs: performance.now() - started,
    p50Ms: percentile(latencies, 50),
    p95Ms: percentile(latencies, 95),
  };
}

export function describeLoad(label: string, r: LoadResult): string {
  return `${label}: ${LOAD_USERS.length * TURNS_PER_USER} turns in ${r.elapsedMs.toFixed(0)} ms; OBO=${r.counters.byGrant.on_behalf_of}, ` +
    `refresh=${r.counters.byGrant.refresh_token}, cross-user tokens=${r.mismatches.length}; ` +
    `silent turn (${CONCURRENT_TURNS} in flight) p50=${r.p50Ms.toFixed(1)} ms p95=${r.p95Ms.toFixed(1)} ms`;
}
