import { performance } from 'node:perf_hooks';
import { activityText } from '../emulators/teams/card-text';
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
  /** Why the turn failed: `http 500`, `timeout`, or the error card's title. */
  errorKind?: string;
  answer: RecordedActivity | undefined;
}

/**
 * Goes through the whole graph (supervisor with the user's memories, task agent, checkpoint) without
 * Databricks: a `run:` statement that only reads is refused by the SQL guard before any dry run.
 * ('change something please' used to do this, but since the router reads the user's catalog of the
 * Genie space for change requests, it calls Databricks and fails for CAN RUN users such as load01.)
 */
export const GRAPH_TURN = 'run: SELECT 1';
export const QUESTION = 'What are total sales by region?';

/** Sends `text` as the client's user and waits for the final message (an OAuthCard on the way is answered by the client). */
export async function timedTurn(world: BenchWorld, client: TeamsClient, text: string, timeoutMs = 120_000): Promise<TurnTiming> {
  const conversationId = client.conversation.id;
  const cursor = world.cursor();
  const start = performance.now();
  let firstAt = Number.NaN;
  let answerAt = Number.NaN;
  const first = world.next(conversationId, cursor, () => true, timeoutMs).then((r) => {
    firstAt = performance.now();
    return r;
  });
  const final = world.next(conversationId, cursor, isFinalMessage, timeoutMs).then((r) => {
    answerAt = performance.now();
    return r;
  });
  first.catch(() => undefined);
  final.catch(() => undefined);
  let status = 0;
  let ackMs = Number.NaN;
  try {
    const posted = await client.say(text);
    status = posted.status;
    ackMs = performance.now() - start;
    if (status >= 300) return { status, ackMs, firstActivityMs: Number.NaN, answerMs: Number.NaN, error: true, errorKind: `http ${status}`, answer: undefined };
    const answer = await final;
    await first.catch(() => undefined);
    const error = isErrorAnswer(answer);
    const errorKind = error ? activityText(answer.activity).split('\n')[0] : undefined;
    return { status, ackMs, firstActivityMs: firstAt - start, answerMs: answerAt - start, error, errorKind, answer };
  } catch (failure) {
    const errorKind = /within \d+ ms/.test(String(failure)) ? 'timeout' : `post failed: ${String(failure).slice(0, 80)}`;
    return { status, ackMs, firstActivityMs: Number.NaN, answerMs: Number.NaN, error: true, errorKind, answer: undefined };
  }
}

/** Signs the client's user in (first message → OAuthCard → SSO exchange → replayed turn) without asking Genie. */
export async function signIn(world: BenchWorld, client: TeamsClient): Promise<TurnTiming> {
  const timing = await timedTurn(world, client, GRAPH_TURN);
  await client.idle();
  if (timing.error) throw new Error(`sign-in of ${client.user.shortName} failed: ${timing.errorKind ?? timing.status}`);
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

/** Counts of failure reasons, most frequent first: `timeout ×3; http 500 ×1`. */
export class ErrorTally {
  private readonly counts = new Map<string, number>();
  total = 0;

  add(timing: Pick<TurnTiming, 'error' | 'errorKind'>): void {
    if (!timing.error) return;
    this.total += 1;
    const kind = timing.errorKind ?? 'error';
    this.counts.set(kind, (this.counts.get(kind) ?? 0) + 1);
  }

  toString(): string {
    return [...this.counts.entries()].sort((a, b) => b[1] - a[1]).map(([k, n]) => `${k} ×${n}`).join('; ');
  }
}
