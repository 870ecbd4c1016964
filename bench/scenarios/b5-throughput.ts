import { performance } from 'node:perf_hooks';
import { DEMO_DIRECTORY, findUser } from '../../emulators/shared/directory';
import { type BenchRow, median, ms, num, percentile } from '../stats';
import { ErrorTally, GRAPH_TURN, signIn, timedTurn } from '../turns';
import { cpuRow, markInvalid, watchTurn } from '../measure';
import type { BenchWorld } from '../world';
import type { BenchOptions } from './options';

/**
 * B5: closed-loop load, `load01`…`load50` each sending a turn as soon as the previous one was
 * answered. The turn goes through the whole pipeline (dedupe, session check, thread lease, graph with
 * checkpoints and store, proactive reply) but not to Databricks; Genie questions are left out because the
 * workspace allows five a minute, which would measure the limiter, not the bot.
 */
export async function runB5(world: BenchWorld, options: BenchOptions): Promise<BenchRow[]> {
  const bot = await world.startBot();
  const users = Array.from({ length: options.b5Users }, (_, i) => findUser(DEMO_DIRECTORY, `load${String(i + 1).padStart(2, '0')}`)!);
  const clients = users.map((u) => world.client(u, bot.messagesUrl));
  await Promise.all(clients.map((c) => signIn(world, c)));
  clients.forEach((c) => c.close());

  const latencies: number[] = [];
  const errors = new ErrorTally();
  const window = watchTurn(world, bot);
  const start = performance.now();
  const end = start + options.b5DurationMs;
  await Promise.all(
    clients.map(async (client) => {
      while (performance.now() < end) {
        const t = await timedTurn(world, client, GRAPH_TURN, 60_000);
        errors.add(t);
        if (!t.error) latencies.push(t.answerMs);
      }
    }),
  );
  const elapsed = (performance.now() - start) / 1000;
  const cpu = window.stop();
  await bot.stop();
  const turns = latencies.length + errors.total;
  return markInvalid([
    { id: 'B5', key: 'B5 throughput', metric: `throughput, ${options.b5Users} users closed loop for ${options.b5DurationMs / 1000} s`, value: `${num(latencies.length / elapsed)} turns/s`, note: `${latencies.length} turns in ${num(elapsed)} s` },
    { ...cpuRow('B5', 'graph turn under load', cpu, turns), key: 'B5 cpu' },
    { id: 'B5', key: 'B5 latency', metric: 'turn latency under load, median / p95', value: `${ms(median(latencies))} / ${ms(percentile(latencies, 95))}` },
    { id: 'B5', key: 'B5 errors', metric: 'errors (HTTP ≥ 300, error cards, timeouts)', value: num(errors.total), note: errors.toString() },
  ], cpu);
}
