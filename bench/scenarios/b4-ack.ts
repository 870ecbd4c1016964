import { DEFAULT_LATENCY } from '../../emulators/databricks/genie/controls';
import { DEMO_DIRECTORY, findUser } from '../../emulators/shared/directory';
import { performance } from 'node:perf_hooks';
import { type BenchRow, median, ms } from '../stats';
import { QUESTION, signIn } from '../turns';
import type { BotHost } from '../hosts';
import type { BenchWorld } from '../world';
import type { BenchOptions } from './options';

const GENIE_THINKS_MS = 30_000;

/**
 * B4: with Genie taking 30 s, how fast Teams gets its HTTP answer (it redelivers after ~15 s) and
 * how soon the person sees the first typing / informative activity. Samples run 1 s apart on one bot
 * per host.
 */
export async function runB4(world: BenchWorld, options: BenchOptions, hosts: readonly BotHost[]): Promise<BenchRow[]> {
  const rows: BenchRow[] = [];
  for (const host of hosts) rows.push(...(await runB4On(world, options, host)));
  return rows;
}

async function runB4On(world: BenchWorld, options: BenchOptions, host: BotHost): Promise<BenchRow[]> {
  const bot = await world.startBot({}, { host });
  const users = Array.from({ length: options.b4Samples }, (_, i) => findUser(DEMO_DIRECTORY, `load${String(41 + i).padStart(2, '0')}`)!);
  const clients = users.map((u) => world.client(u, bot.messagesUrl));
  await Promise.all(clients.map((c) => signIn(world, c)));
  await world.genieControl('latency', { askingAiMs: GENIE_THINKS_MS });
  const acks: number[] = [];
  const firsts: number[] = [];
  const statuses: number[] = [];
  await Promise.all(
    clients.map(async (client, i) => {
      await new Promise((r) => setTimeout(r, i * 1000));
      const conversationId = client.conversation.id;
      const cursor = world.cursor();
      const start = performance.now();
      const first = world.next(conversationId, cursor, () => true, 60_000).then(() => performance.now() - start);
      const posted = await client.say(QUESTION);
      acks.push(performance.now() - start);
      statuses.push(posted.status);
      firsts.push(await first);
    }),
  );
  await world.genieControl('latency', DEFAULT_LATENCY);
  clients.forEach((c) => c.close());
  await bot.stop();
  return [
    { id: 'B4', key: `B4 ack ${host}`, metric: `[${host}] ack: HTTP answer to a message while Genie takes 30 s (median)`, value: ms(median(acks)), note: `n=${acks.length}, statuses ${[...new Set(statuses)].join(',')}` },
    { id: 'B4', key: `B4 first ${host}`, metric: `[${host}] time to first typing / informative activity (median)`, value: ms(median(firsts)), note: `max ${ms(Math.max(...firsts))}` },
  ];
}

