import { DEFAULT_LATENCY as DEFAULT_GENIE_LATENCY } from '../../emulators/databricks/genie/controls';
import { demoUser } from '../../emulators/teams/accounts';
import { type BenchRow, median, ms, num, ratio } from '../stats';
import { QUESTION, signIn, timedTurn } from '../turns';
import type { BenchWorld } from '../world';
import type { BenchOptions } from './options';

const GENIE_SAMPLES_PER_BOT = 4;

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
  await world.genieControl('latency', DEFAULT_GENIE_LATENCY);

  const echoMedian = median(echoTimes);
  const genieMedian = median(genieTimes);
  return [
    { id: 'B1', metric: 'echo turn, median (POST → reply)', value: ms(echoMedian), note: `n=${echoTimes.length}` },
    { id: 'B1', metric: 'Genie turn at zero Genie delay, median', value: ms(genieMedian), note: `n=${genieTimes.length}, errors=${errors}` },
    { id: 'B1', metric: 'Genie turn / echo turn', value: `${num(ratio(genieMedian, echoMedian))}x`, note: `overhead ${ms(genieMedian - echoMedian)}` },
  ];
}
