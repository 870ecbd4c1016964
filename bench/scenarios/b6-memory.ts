import { readFileSync } from 'node:fs';
import { createHeapProbe } from '../heap-snapshot';
import { type BenchRow, mib, num } from '../stats';
import { ErrorTally, GRAPH_TURN, pool, signIn, sleep, timedTurn } from '../turns';
import type { BenchWorld } from '../world';
import type { BenchOptions } from './options';

/** Resident set size of a process, from /proc (Linux), in bytes. */
export function rssOf(pid: number | undefined): number {
  if (pid === undefined) return Number.NaN;
  try {
    const status = readFileSync(`/proc/${pid}/status`, 'utf8');
    const kb = /^VmRSS:\s+(\d+)\s+kB/m.exec(status)?.[1];
    return kb ? Number(kb) * 1024 : Number.NaN;
  } catch {
    return Number.NaN;
  }
}

/**
 * B6: the bot's RSS before and after N turns by M distinct people (generated directory users, each
 * signed in through SSO and OBO on their first turn). "After" is read once the load ended and again
 * after 10 s idle. The live heap after a full GC (heap snapshot) is read before and after the load,
 * so memory the bot keeps is told apart from garbage V8 has not returned. The first snapshot comes
 * before the RSS baseline, whose growth it would otherwise be counted in.
 */
export async function runB6(world: BenchWorld, options: BenchOptions): Promise<BenchRow[]> {
  const heap = createHeapProbe();
  const bot = await world.startBot({ NODE_OPTIONS: heap.nodeOptions });
  const users = world.bench.generatedUsers.slice(0, options.b6Users);
  const warm = world.client(users[0]!, bot.messagesUrl);
  await signIn(world, warm);
  warm.close();
  await sleep(2000);
  const liveBefore = await heap.liveBytes(bot.pid);
  await sleep(2000);
  const before = rssOf(bot.pid);

  const errors = new ErrorTally();
  let done = 0;
  const started = Date.now();
  await pool(users, options.b6Concurrency, async (user) => {
    const client = world.client(user, bot.messagesUrl);
    const first = await signIn(world, client).catch((e: unknown) => ({ error: true, errorKind: `sign-in: ${(e instanceof Error ? e.message : String(e)).replace(/^sign-in of \S+ failed: /, '').slice(0, 100)}` }));
    client.close();
    done += 1;
    errors.add(first);
    if (first.error) return;
    for (let i = 1; i < options.b6TurnsPerUser; i++) {
      const t = await timedTurn(world, client, GRAPH_TURN, 60_000);
      errors.add(t);
      done += 1;
    }
  });
  const seconds = (Date.now() - started) / 1000;
  const after = rssOf(bot.pid);
  await sleep(10_000);
  const settled = rssOf(bot.pid);
  const liveAfter = await heap.liveBytes(bot.pid);
  await bot.stop();
  heap.dispose();
  return [
    { id: 'B6', metric: `RSS before / after ${done} turns by ${users.length} users`, value: `${mib(before)} / ${mib(after)}`, note: `+${mib(after - before)}; ${num(seconds)} s; errors=${errors.total}` },
    { id: 'B6', metric: 'RSS 10 s after the load', value: mib(settled), note: `+${mib(settled - before)} over before (${num((settled - before) / users.length / 1024)} KiB per user)` },
    {
      id: 'B6', metric: 'live heap after GC, before / after the load', value: `${mib(liveBefore)} / ${mib(liveAfter)}`,
      note: `+${mib(liveAfter - liveBefore)} (${num((liveAfter - liveBefore) / users.length / 1024)} KiB per user): what the bot keeps, garbage excluded`,
    },
    ...(errors.total > 0 ? [{ id: 'B6', metric: 'errors by kind', value: num(errors.total), note: errors.toString() }] : []),
  ];
}
