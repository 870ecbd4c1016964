import { cpuRow, markInvalid, watchTurn } from '../measure';
import { type MemorySample, readBotMemory, secondHalf, slopePerTurn } from '../memory';
import { type BenchRow, mib, num } from '../stats';
import { ErrorTally, GRAPH_TURN, pool, signIn, sleep, timedTurn } from '../turns';
import type { BenchWorld } from '../world';
import type { BenchOptions } from './options';

const KIB = 1024;

/**
 * B6: N turns by M distinct people (generated directory users, each signed in through SSO and OBO
 * on their first turn) against one compiled bot started with `--expose-gc`. Every `b6SampleEvery`
 * turns the bench reads the bot's `/_local/memory?gc=1` (RSS, live heap after a full GC, external),
 * and reports the least-squares slope over the second half of the run (turns 5,000–10,000 of a full
 * run) in KiB per turn: memory that still grows once caches are warm. No heap snapshot is taken.
 */
export async function runB6(world: BenchWorld, options: BenchOptions): Promise<BenchRow[]> {
  const bot = await world.startBot({}, { nodeArgs: ['--expose-gc'] });
  const users = world.bench.generatedUsers.slice(0, options.b6Users);
  const total = users.length * options.b6TurnsPerUser;
  const warm = world.client(users[0]!, bot.messagesUrl);
  await signIn(world, warm);
  warm.close();
  await sleep(2000);
  const samples: MemorySample[] = [{ turns: 0, ...(await readBotMemory(bot.port)) }];
  const pending: Promise<void>[] = [];
  const errors = new ErrorTally();
  let done = 0;
  const count = (): void => {
    done += 1;
    if (done % options.b6SampleEvery !== 0) return;
    const turns = done;
    pending.push(
      readBotMemory(bot.port).then(
        (m) => {
          samples.push({ turns, ...m });
          process.stderr.write(`bench: B6 ${turns}/${total} turns, RSS ${mib(m.rss)}, heap ${mib(m.heapUsed)}, external ${mib(m.external)}, ${num((Date.now() - started) / 1000)} s\n`);
        },
        () => undefined,
      ),
    );
  };
  const window = watchTurn(world, bot);
  const started = Date.now();
  await pool(users, options.b6Concurrency, async (user) => {
    const client = world.client(user, bot.messagesUrl);
    const first = await signIn(world, client).catch((e: unknown) => ({ error: true, errorKind: `sign-in: ${(e instanceof Error ? e.message : String(e)).replace(/^sign-in of \S+ failed: /, '').slice(0, 100)}` }));
    client.close();
    count();
    errors.add(first);
    if (first.error) return;
    for (let i = 1; i < options.b6TurnsPerUser; i++) {
      errors.add(await timedTurn(world, client, GRAPH_TURN, 60_000));
      count();
    }
  });
  const cpu = window.stop();
  const seconds = (Date.now() - started) / 1000;
  await Promise.all(pending);
  await sleep(10_000);
  const idle = await readBotMemory(bot.port);
  await bot.stop();
  samples.sort((a, b) => a.turns - b.turns);

  const half = secondHalf(samples, total);
  const slope = (pick: (s: MemorySample) => number): string => `${num(slopePerTurn(half, pick) / KIB, 2)}`;
  const first = samples[0]!;
  const last = samples[samples.length - 1]!;
  const series = (pick: (s: MemorySample) => number): string => samples.map((s) => num(pick(s) / (KIB * KIB), 0)).join(' ');
  return markInvalid([
    {
      id: 'B6', key: 'B6 slope', metric: `memory slope over turns ${total / 2}–${total}, KiB/turn: RSS / heap / external`,
      value: `${slope((s) => s.rss)} / ${slope((s) => s.heapUsed)} / ${slope((s) => s.external)}`,
      note: `${half.length} samples; target RSS ≤ 1 KiB/turn`,
    },
    { id: 'B6', key: 'B6 rss', metric: `RSS at 0 / ${last.turns} turns by ${users.length} users`, value: `${mib(first.rss)} / ${mib(last.rss)}`, note: `${done} turns in ${num(seconds)} s; errors=${errors.total}; 10 s idle later ${mib(idle.rss)}` },
    { id: 'B6', key: 'B6 heap', metric: 'live heap after GC at 0 / end, external at 0 / end', value: `${mib(first.heapUsed)} / ${mib(last.heapUsed)}; ${mib(first.external)} / ${mib(last.external)}`, note: `GC before each sample: ${samples.every((s) => s.collected) ? 'yes' : 'NO (heap includes garbage)'}` },
    { id: 'B6', key: 'B6 series', metric: `RSS MiB every ${options.b6SampleEvery} turns`, value: '', note: series((s) => s.rss) },
    { id: 'B6', key: 'B6 heap series', metric: `heap MiB every ${options.b6SampleEvery} turns`, value: '', note: series((s) => s.heapUsed) },
    { ...cpuRow('B6', 'graph turns, sign-ins included', cpu, done), key: 'B6 cpu' },
    ...(errors.total > 0 ? [{ id: 'B6', metric: 'errors by kind', value: num(errors.total), note: errors.toString() }] : []),
  ], cpu);
}
