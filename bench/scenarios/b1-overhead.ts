import { DEFAULT_LATENCY as DEFAULT_GENIE_LATENCY } from '../../emulators/databricks/genie/controls';
import { performance } from 'node:perf_hooks';
import { groupConversation } from '../../emulators/teams/activities';
import { demoUser } from '../../emulators/teams/accounts';
import { activityText } from '../../emulators/teams/card-text';
import { streamInfoOf } from '../../emulators/teams/streaming-rules';
import type { TeamsClient } from '../../emulators/teams/client';
import { type BenchRow, median, ms, num, ratio } from '../stats';
import { QUESTION, signIn, timedTurn } from '../turns';
import { type BenchWorld, isErrorAnswer } from '../world';
import type { BenchOptions } from './options';

const GENIE_SAMPLES_PER_BOT = 4;

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

/** 1:1 answers (in `objectId`'s chat) that were sent as the final message of a stream (the turn took more than ~1 s). */
function streamedFinals(world: BenchWorld, objectId: string): number {
  return world.connector.log.list().filter((r) => r.conversationId.includes(objectId) && r.activity.type === 'message' && streamInfoOf(r.activity)?.streamType === 'final').length;
}

/**
 * B1: a Genie question with the Genie emulator at zero delay, against an echo turn through the same
 * host pipeline. The bot's workspace-wide limiter allows five Genie POSTs a minute per process, so
 * each bot process gives one warm-up and four measured questions, never queued.
 */
export async function runB1(world: BenchWorld, options: BenchOptions): Promise<BenchRow[]> {
  const alice = demoUser('alice');
  const echo = await world.startEcho();
  const echoClient = world.client(alice, echo.messagesUrl);
  const echoTimes: number[] = [];
  for (let i = 0; i < options.b1EchoSamples + 3; i++) {
    const t = await timedTurn(world, echoClient, `ping ${i}`);
    if (i >= 3 && !t.error) echoTimes.push(t.answerMs);
  }
  echoClient.close();
  await echo.stop();

  await world.genieControl('latency', { submittedMs: 0, askingAiMs: 0, executingQueryMs: 0 });
  const genieTimes: number[] = [];
  let errors = 0;
  for (let b = 0; b < options.b1GenieBots; b++) {
    const bot = await world.startBot();
    const client = world.client(alice, bot.messagesUrl);
    await signIn(world, client);
    await timedTurn(world, client, QUESTION);
    for (let i = 0; i < GENIE_SAMPLES_PER_BOT; i++) {
      const t = await timedTurn(world, client, QUESTION);
      if (t.error) errors += 1;
      else genieTimes.push(t.answerMs);
    }
    client.close();
    await bot.stop();
  }
  const groupTimes: number[] = [];
  for (let b = 0; b < options.b1GenieBots; b++) {
    const bot = await world.startBot();
    const personal = world.client(alice, bot.messagesUrl);
    await signIn(world, personal);
    personal.close();
    const group = world.client(alice, bot.messagesUrl, groupConversation());
    for (let i = 0; i <= GENIE_SAMPLES_PER_BOT; i++) {
      const t = await groupTurn(world, group);
      if (Number.isNaN(t)) errors += 1;
      else if (i > 0) groupTimes.push(t);
    }
    group.close();
    await bot.stop();
  }
  await world.genieControl('latency', DEFAULT_GENIE_LATENCY);

  const echoMedian = median(echoTimes);
  const genieMedian = median(genieTimes);
  const groupMedian = median(groupTimes);
  return [
    { id: 'B1', metric: 'echo turn, median (POST → reply)', value: ms(echoMedian), note: `n=${echoTimes.length}` },
    { id: 'B1', metric: 'Genie turn at zero Genie delay, median', value: ms(genieMedian), note: `n=${genieTimes.length}, errors=${errors}` },
    { id: 'B1', metric: 'Genie turn / echo turn', value: `${num(ratio(genieMedian, echoMedian))}x`, note: `overhead ${ms(genieMedian - echoMedian)}; 1:1: typing, then the answer (a stream only after ~1 s)` },
    { id: 'B1', metric: 'Genie turn in a group chat (progress card), median', value: ms(groupMedian), note: `n=${groupTimes.length}; no streaming pacing; ${num(ratio(groupMedian, echoMedian))}x echo` },
    { id: 'B1', metric: 'Teams streaming rules broken (connector log)', value: String(world.connector.streaming.violations.length), note: `${streamedFinals(world, alice.objectId)} 1:1 answers were a stream's final message; ${world.connector.streaming.violations.slice(0, 2).map((v) => `${v.status} ${v.code}`).join('; ') || 'no violation'}` },
  ];
}
