import { performance } from 'node:perf_hooks';
import type { TeamsClient } from '../emulators/teams/client';
import type { RecordedActivity } from '../emulators/teams/types';
import { type BenchWorld, isErrorAnswer, isFinalMessage } from './world';

/** What one turn cost, seen from Teams: the HTTP answer, the first bot activity, the final message. */
export interface TurnTiming {
  status: number;
  ackMs: number;
  firstActivityMs: number;
  answerMs: number;
  error: boolean;
  answer: RecordedActivity | undefined;
}

export const RECALL = 'what do you remember';
export const QUESTION = 'What are total sales by region?';

/** Sends `text` as the client's user and waits for the final message (an OAuthCard on the way is answered by the client). */
export async function timedTurn(world: BenchWorld, client: TeamsClient, text: string, timeoutMs = 120_000): Promise<TurnTiming> {
  const conversationId = client.conversation.id;
  const since = Date.now();
  const start = performance.now();
  let firstAt = Number.NaN;
  let answerAt = Number.NaN;
  const first = world.next(conversationId, since, () => true, timeoutMs).then((r) => {
    firstAt = performance.now();
    return r;
  });
  const final = world.next(conversationId, since, isFinalMessage, timeoutMs).then((r) => {
    answerAt = performance.now();
    return r;
  });
  first.catch(() => undefined);
  let status = 0;
  let ackMs = Number.NaN;
  try {
    const posted = await client.say(text);
    status = posted.status;
    ackMs = performance.now() - start;
    if (status >= 300) return { status, ackMs, firstActivityMs: Number.NaN, answerMs: Number.NaN, error: true, answer: undefined };
    const answer = await final;
    await first.catch(() => undefined);
    return { status, ackMs, firstActivityMs: firstAt - start, answerMs: answerAt - start, error: isErrorAnswer(answer), answer };
  } catch {
    final.catch(() => undefined);
    return { status, ackMs, firstActivityMs: Number.NaN, answerMs: Number.NaN, error: true, answer: undefined };
  }
}

/** Signs the client's user in (first message → OAuthCard → SSO exchange → replayed turn) without asking Genie. */
export async function signIn(world: BenchWorld, client: TeamsClient): Promise<TurnTiming> {
  const timing = await timedTurn(world, client, RECALL);
  await client.idle();
  if (timing.error) throw new Error(`sign-in of ${client.user.shortName} failed (HTTP ${timing.status})`);
  return timing;
}

/** Runs `work` over `items` with at most `concurrency` in flight. */
export async function pool<T>(items: readonly T[], concurrency: number, work: (item: T, index: number) => Promise<void>): Promise<void> {
  let next = 0;
  const worker = async (): Promise<void> => {
    while (next < items.length) {
      const index = next++;
      await work(items[index] as T, index);
    }
  };
  await Promise.all(Array.from({ length: Math.min(concurrency, items.length) }, worker));
}

export function sleep(ms: number): Promise<void> {
  return new Promise((r) => setTimeout(r, ms));
}
