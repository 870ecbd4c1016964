import { demoUser } from '../../emulators/teams/accounts';
import { activityText } from '../../emulators/teams/card-text';
import type { RecordedActivity } from '../../emulators/teams/types';
import type { CosmosRequest } from '../cosmos-proxy';
import { type BenchRow, median, num } from '../stats';
import { QUESTION, GRAPH_TURN, signIn, timedTurn } from '../turns';
import type { BenchWorld } from '../world';
import type { BenchOptions } from './options';

/** `checkpoints: 3 create, 1 query` style summary, busiest container first. */
export function breakdown(requests: readonly CosmosRequest[]): string {
  const byContainer = new Map<string, Map<string, number>>();
  for (const r of requests) {
    const key = r.container ?? '(account)';
    const ops = byContainer.get(key) ?? new Map<string, number>();
    ops.set(r.op, (ops.get(r.op) ?? 0) + 1);
    byContainer.set(key, ops);
  }
  const total = (ops: Map<string, number>): number => [...ops.values()].reduce((a, b) => a + b, 0);
  return [...byContainer.entries()]
    .sort((x, y) => total(y[1]) - total(x[1]))
    .map(([container, ops]) => `${container}: ${[...ops.entries()].map(([op, n]) => `${n} ${op}`).join(', ')}`)
    .join('; ');
}

/**
 * B3: Cosmos DB requests per Genie turn, per graph turn without Databricks and per approve-and-execute flow, counted
 * at the proxy in front of the Cosmos emulator (the bot's own database only), after the bot went quiet.
 */
export async function runB3(world: BenchWorld, options: BenchOptions): Promise<{ rows: BenchRow[]; details: string[] }> {
  const database = `bench-b3-${Date.now()}`;
  const bot = await world.startBot({ COSMOS_DATABASE: database });
  const alice = world.client(demoUser('alice'), bot.messagesUrl);
  const { cosmos } = world.bench;
  await signIn(world, alice);
  await timedTurn(world, alice, GRAPH_TURN);
  await cosmos.settle();

  const measure = async (work: () => Promise<void>): Promise<CosmosRequest[]> => {
    const mark = cosmos.mark();
    await work();
    await cosmos.settle();
    return cosmos.since(mark, database);
  };
  const genie: CosmosRequest[][] = [];
  for (let i = 0; i < options.b3GenieTurns; i++) genie.push(await measure(async () => void (await timedTurn(world, alice, QUESTION))));
  const graphOnly: CosmosRequest[][] = [];
  for (let i = 0; i < 3; i++) graphOnly.push(await measure(async () => void (await timedTurn(world, alice, GRAPH_TURN))));

  let card: RecordedActivity | undefined;
  const request = await measure(async () => {
    const t = await timedTurn(world, alice, "run: UPDATE main.retail.orders SET status = 'shipped' WHERE region = 'West' AND order_id BETWEEN 100001 AND 100200");
    card = t.answer;
  });
  let outcome = 'no approval card';
  const approve = await measure(async () => {
    if (!card) return;
    const target = card;
    const since = Date.now();
    await alice.click(target, 'Approve');
    const done = await world.connector.log.waitFor((r) => r.id === target.id && /Done:|changed|failed|Rejected/i.test(activityText(r.activity)), {
      kind: 'updated',
      since,
      timeoutMs: 60_000,
    });
    outcome = activityText(done.activity).split('\n').find((l) => /Done|changed|failed|Rejected/i.test(l)) ?? 'updated';
  });
  alice.close();
  await bot.stop();

  const counts = (runs: CosmosRequest[][]): number[] => runs.map((r) => r.length);
  return {
    rows: [
      { id: 'B3', metric: 'Cosmos requests per Genie turn (median)', value: num(median(counts(genie))), note: `runs ${counts(genie).join(', ')}` },
      { id: 'B3', metric: 'Cosmos requests per graph turn without Databricks (median)', value: num(median(counts(graphOnly))), note: `runs ${counts(graphOnly).join(', ')}` },
      { id: 'B3', metric: 'Cosmos requests per approve-and-execute flow', value: num(request.length + approve.length), note: `request ${request.length} + approve ${approve.length}; ${outcome}` },
    ],
    details: [
      `Genie turn: ${breakdown(genie[genie.length - 1] ?? [])}`,
      `graph turn without Databricks: ${breakdown(graphOnly[graphOnly.length - 1] ?? [])}`,
      `change request: ${breakdown(request)}`,
      `approve and execute: ${breakdown(approve)}`,
    ],
  };
}
