import { DEFAULT_LATENCY as DEFAULT_GENIE_LATENCY } from '../../emulators/databricks/genie/controls';
import { performance } from 'node:perf_hooks';
import { groupConversation } from '../../emulators/teams/activities';
import { demoUser } from '../../emulators/teams/accounts';
import { activityText } from '../../emulators/teams/card-text';
import { streamInfoOf } from '../../emulators/teams/streaming-rules';
import type { TeamsClient } from '../../emulators/teams/client';
import type { CpuReport } from '../cpu';
import type { BotHost } from '../hosts';
import { cpuRow, watchTurn } from '../measure';
import { type BenchRow, median, ms, num, ratio } from '../stats';
import { QUESTION, signIn, timedTurn } from '../turns';
import { type BenchWorld, isErrorAnswer } from '../world';
import type { BenchOptions } from './options';

/** One measured Genie turn: seen from Teams, and Genie's own service time for it (emulator clock). */
interface GenieSample {
  turnMs: number;
  genieMs: number;
}

/** Genie's service time for the messages created since `since`: created → finished, summed. */
async function genieServiceMs(world: BenchWorld, since: number): Promise<number> {
  const timings = await world.genieTimings(since);
  if (timings.length === 0 || timings.some((t) => t.finishedAt === undefined)) return Number.NaN;
  return timings.reduce((sum, t) => sum + ((t.finishedAt ?? t.createdAt) - t.createdAt), 0);
}

/** A question in the group chat; ends when the progress card is replaced by the answer (the private result card). */
async function groupTurn(world: BenchWorld, client: TeamsClient): Promise<number> {
  const cursor = world.cursor();
  const start = performance.now();
  const done = world.next(client.conversation.id, cursor, (r) => r.activity.type === 'message' && !/^Working on /.test(activityText(r.activity)), 60_000, true);
  done.catch(() => undefined);
  const posted = await client.say(QUESTION);
  if (posted.status >= 300) return Number.NaN;
  try {
    const answer = await done;
    return isErrorAnswer(answer) ? Number.NaN : performance.now() - start;
  } catch {
    return Number.NaN;
  }
}

/** Sums the CPU of several windows (one per bot process). */
function addCpu(total: CpuReport | undefined, next: CpuReport): CpuReport {
  if (!total) return next;
  const byProcess: Record<string, number> = {};
  for (const name of Object.keys(next.byProcess)) byProcess[name] = (total.byProcess[name] ?? 0) + (next.byProcess[name] ?? 0);
  return { wallMs: total.wallMs + next.wallMs, byProcess };
}

interface HostResult {
  oneToOne: GenieSample[];
  group: GenieSample[];
  /** Bot-added time of the 1:1 turn minus that of the group-chat turn next to it, per pair where both succeeded. */
  pairDiffs: number[];
  errors: number;
  cpu: CpuReport | undefined;
  turns: number;
}

/**
 * Per bot process: sign-in, one warm-up question in each chat, then `b1PairsPerBot` pairs of a 1:1
 * question and a group-chat question, interleaved (the order alternates from pair to pair), so both
 * kinds see the same machine load, the same bot process and the same Genie emulator state. The
 * bot's Genie budget is raised to every question it asks within one window, so no question waits
 * for a slot: the budget's grant costs the same Cosmos requests at any limit, and B1 measures the
 * bot, not the limiter (which has its own scenario, `npm run bench:genie-budget`).
 */
async function measureHost(world: BenchWorld, options: BenchOptions, host: BotHost, echo: EchoSampler): Promise<HostResult> {
  const alice = demoUser('alice');
  const result: HostResult = { oneToOne: [], group: [], pairDiffs: [], errors: 0, cpu: undefined, turns: 0 };
  const sample = async (run: () => Promise<number>, into: GenieSample[]): Promise<GenieSample | undefined> => {
    const since = Date.now();
    const turnMs = await run();
    if (Number.isNaN(turnMs)) {
      result.errors += 1;
      return undefined;
    }
    const s = { turnMs, genieMs: await genieServiceMs(world, since) };
    into.push(s);
    return s;
  };
  const questions = 2 + 2 * options.b1PairsPerBot;
  for (let b = 0; b < options.b1GenieBots; b++) {
    const bot = await world.startBot({ GENIE_POSTS_PER_MINUTE: String(questions) }, { host });
    const personal = world.client(alice, bot.messagesUrl);
    await signIn(world, personal);
    const group = world.client(alice, bot.messagesUrl, groupConversation());
    const oneToOneTurn = async (): Promise<number> => {
      const t = await timedTurn(world, personal, QUESTION);
      return t.error ? Number.NaN : t.answerMs;
    };
    await oneToOneTurn();
    await groupTurn(world, group);
    const window = watchTurn(world, bot);
    for (let i = 0; i < options.b1PairsPerBot; i++) {
      let one: GenieSample | undefined;
      let grp: GenieSample | undefined;
      if (i % 2 === 0) {
        one = await sample(oneToOneTurn, result.oneToOne);
        grp = await sample(() => groupTurn(world, group), result.group);
      } else {
        grp = await sample(() => groupTurn(world, group), result.group);
        one = await sample(oneToOneTurn, result.oneToOne);
      }
      if (one && grp) result.pairDiffs.push(one.turnMs - one.genieMs - (grp.turnMs - grp.genieMs));
      await echo.sample(ECHO_PER_PAIR);
    }
    result.cpu = addCpu(result.cpu, window.stop());
    result.turns += 2 * options.b1PairsPerBot;
    personal.close();
    group.close();
    await bot.stop();
  }
  return result;
}

function hostRows(host: BotHost, r: HostResult, echoMedian: number): BenchRow[] {
  const turn = (s: GenieSample[]): number => median(s.map((x) => x.turnMs));
  const added = (s: GenieSample[]): number => median(s.map((x) => x.turnMs - x.genieMs));
  const genie = (s: GenieSample[]): number => median(s.map((x) => x.genieMs));
  const range = r.pairDiffs.length > 0 ? `${ms(Math.min(...r.pairDiffs))} … ${ms(Math.max(...r.pairDiffs))}` : 'n/a';
  const rows: BenchRow[] = [
    { id: 'B1', key: `B1 genie 1:1 ${host}`, metric: `[${host}] Genie turn at zero Genie delay, 1:1, median`, value: ms(turn(r.oneToOne)), note: `n=${r.oneToOne.length}, errors=${r.errors}; Genie's own service time median ${ms(genie(r.oneToOne))}` },
    { id: 'B1', key: `B1 added 1:1 ${host}`, metric: `[${host}] bot-added time, 1:1 (turn − Genie service), median`, value: ms(added(r.oneToOne)), note: `${num(ratio(added(r.oneToOne), echoMedian))}x echo (target ≤ 10x)` },
    { id: 'B1', key: `B1 genie group ${host}`, metric: `[${host}] Genie turn at zero Genie delay, group chat, median`, value: ms(turn(r.group)), note: `n=${r.group.length}; until the progress card is replaced; Genie's own service time median ${ms(genie(r.group))}` },
    { id: 'B1', key: `B1 added group ${host}`, metric: `[${host}] bot-added time, group chat, median`, value: ms(added(r.group)), note: `${num(ratio(added(r.group), echoMedian))}x echo` },
    { id: 'B1', key: `B1 added diff ${host}`, metric: `[${host}] bot-added time, 1:1 − group chat, per interleaved pair, median`, value: ms(median(r.pairDiffs)), note: `${r.pairDiffs.length} pairs; range ${range} (target ≤ 0: 1:1 no slower)` },
  ];
  if (r.cpu) rows.push({ ...cpuRow('B1', `[${host}] Genie turn, 1:1 and group`, r.cpu, r.turns), key: `B1 cpu ${host}` });
  return rows;
}

/**
 * B1: a Genie question with the Genie emulator at zero delay, against an echo turn through the same
 * host pipeline, for each host. Bot-added time is the turn minus Genie's own service time (created →
 * finished, from the emulator's clock), so what is left is the bot: its pipeline, polling, Cosmos,
 * token and sending.
 */
export async function runB1(world: BenchWorld, options: BenchOptions, hosts: readonly BotHost[]): Promise<BenchRow[]> {
  const alice = demoUser('alice');
  const echo = await startEchoSampler(world);
  await echo.sample(options.b1EchoSamples);
  await world.genieControl('latency', { submittedMs: 0, askingAiMs: 0, executingQueryMs: 0 });
  const results: [BotHost, HostResult][] = [];
  try {
    for (const host of hosts) results.push([host, await measureHost(world, options, host, echo)]);
  } finally {
    await world.genieControl('latency', DEFAULT_GENIE_LATENCY);
    await echo.stop();
  }
  const echoMedian = median(echo.times);
  const interleaved = echo.times.length - options.b1EchoSamples;
  const rows: BenchRow[] = [{ id: 'B1', key: 'B1 echo', metric: 'echo turn, median (POST → reply; teams-ai echo host)', value: ms(echoMedian), note: `n=${echo.times.length}, ${interleaved} of them between the Genie pairs` }];
  for (const [host, result] of results) rows.push(...hostRows(host, result, echoMedian));
  const violations = world.connector.streaming.violations;
  rows.push({ id: 'B1', key: 'B1 streaming rules', metric: 'Teams streaming rules broken (connector log)', value: String(violations.length), note: `${streamedFinals(world, alice.objectId)} 1:1 answers were a stream's final message; ${violations.slice(0, 2).map((v) => `${v.status} ${v.code}`).join('; ') || 'no violation'}` });
  return rows;
}

/** Echo turns taken after every Genie pair too, so the ratio's two sides see the same machine load. */
const ECHO_PER_PAIR = 3;

interface EchoSampler {
  readonly times: number[];
  sample(count: number): Promise<void>;
  stop(): Promise<void>;
}

/** The echo host and a client (bob: alice's chats carry the Genie turns), warmed up by three turns that are not counted. */
async function startEchoSampler(world: BenchWorld): Promise<EchoSampler> {
  const echo = await world.startEcho();
  const client = world.client(demoUser('bob'), echo.messagesUrl);
  const times: number[] = [];
  let sent = 0;
  const turn = async (): Promise<number | undefined> => {
    const t = await timedTurn(world, client, `ping ${sent++}`);
    return t.error ? undefined : t.answerMs;
  };
  for (let i = 0; i < 3; i++) await turn();
  return {
    times,
    async sample(count) {
      for (let i = 0; i < count; i++) {
        const ms = await turn();
        if (ms !== undefined) times.push(ms);
      }
    },
    async stop() {
      client.close();
      await echo.stop();
    },
  };
}

/** 1:1 answers (in `objectId`'s chat) that were sent as the final message of a stream (the turn took more than ~1 s). */
function streamedFinals(world: BenchWorld, objectId: string): number {
  return world.connector.log.list().filter((r) => r.conversationId.includes(objectId) && r.activity.type === 'message' && streamInfoOf(r.activity)?.streamType === 'final').length;
}
