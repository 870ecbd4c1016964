import { randomUUID } from 'node:crypto';
import type { EntraCounters, GrantName } from '../../emulators/entra/controls';
import { demoUser } from '../../emulators/teams/accounts';
import type { DirectoryUser } from '../../emulators/shared/directory';
import { type BenchRow, num } from '../stats';
import { ErrorTally, QUESTION, signIn, timedTurn } from '../turns';
import type { BenchWorld } from '../world';
import type { BenchOptions } from './options';

/** Four Genie questions per user: quarters 1 and 3 on bot A (odd turns), 2 and 4 on bot B, within each limiter's budget. */
function genieTurns(turns: number): Set<number> {
  const odd = (x: number): number => Math.max(1, Math.round(x) | 1);
  const even = (x: number): number => Math.max(2, Math.round(x) & ~1);
  return new Set([odd(turns / 4), even(turns / 2), odd((3 * turns) / 4), even(turns)]);
}

function tokenRequests(counters: EntraCounters, user: DirectoryUser): number {
  const byGrant = counters.byUser[user.objectId] ?? {};
  return Object.values(byGrant as Record<GrantName, number>).reduce((a, b) => a + b, 0);
}

/**
 * B2: token-endpoint requests per user over N turns that each need a Databricks token (dry runs of a
 * change as the user, and some Genie questions), alternating between two bot instances that share
 * one Cosmos database, with bot A restarted half way. Counted by the Entra emulator.
 */
export async function runB2(world: BenchWorld, options: BenchOptions): Promise<BenchRow[]> {
  const env = { COSMOS_DATABASE: `bench-b2-${randomUUID().slice(0, 8)}` };
  const a = await world.startBot(env);
  const b = await world.startBot(env);
  const users = [demoUser('alice'), demoUser('carol')];
  const before = await world.entra.counters();
  const turns = options.b2TurnsPerUser;
  const half = Math.floor(turns / 2);
  const genieAt = genieTurns(turns);
  const clients = users.map((user) => ({ user, onA: world.client(user, a.messagesUrl), onB: world.client(user, b.messagesUrl) }));
  const errors = new ErrorTally();
  const phase = (from: number, to: number): Promise<unknown> =>
    Promise.all(
      clients.map(async ({ onA, onB }, u) => {
        for (let k = from; k <= to; k++) {
          const start = 900_000 + u * 10_000 + k * 10;
          const text = genieAt.has(k)
            ? QUESTION
            : `run: UPDATE main.retail.orders SET status = 'shipped' WHERE region = 'West' AND order_id BETWEEN ${start} AND ${start + 5}`;
          const t = await timedTurn(world, k % 2 === 1 ? onA : onB, text);
          errors.add(t);
        }
      }),
    );
  await Promise.all(clients.map((c) => signIn(world, c.onA)));
  await phase(1, half);
  await a.restart();
  await phase(half + 1, turns);
  clients.forEach((c) => {
    c.onA.close();
    c.onB.close();
  });
  const after = await world.entra.counters();
  await Promise.all([a.stop(), b.stop()]);
  const counts = users.map((user) => tokenRequests(after, user) - tokenRequests(before, user));
  return [
    {
      id: 'B2',
      metric: `token requests per user, ${turns} turns, 2 instances, 1 restart`,
      value: counts.map((c) => num(c)).join(' / '),
      note: `users ${users.map((u) => u.shortName).join(', ')}; target 1 (the sign-in OBO); turn errors=${errors.total}${errors.total > 0 ? ` (${errors.toString()})` : ''}`,
    },
  ];
}
