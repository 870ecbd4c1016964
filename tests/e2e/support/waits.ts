import { activityText, adaptiveCardOf, OAUTH_CARD, renderActivity } from '../../../emulators/teams/card-text';
import type { TeamsClient } from '../../../emulators/teams/client';
import type { Activity, RecordedActivity } from '../../../emulators/teams/types';
import type { E2eWorld } from './harness';

export const ANSWER_TIMEOUT_MS = 60_000;

/** Scenario inputs, in one place, matched to the emulators' demo data (`main.retail`). */
export const SCENARIO = {
  question: 'What are total sales by region?',
  followUp: 'How many orders are pending?',
  /** A bounded change alice may make (West region only); `from` keeps each test's rows apart. */
  write: (from: number): string =>
    `run: UPDATE main.retail.orders SET status = 'shipped' WHERE region = 'West' AND order_id BETWEEN ${from} AND ${from + 49}`,
};

export function writeSqlOf(text: string): string {
  return text.replace(/^run:\s*/, '');
}

/** The first bot message in the client's conversation since `since` whose text (cards included) matches. */
export function waitForText(world: E2eWorld, client: TeamsClient, pattern: RegExp, since: number, timeoutMs = ANSWER_TIMEOUT_MS): Promise<RecordedActivity> {
  return world.connector.log.waitFor((r) => r.activity.type === 'message' && pattern.test(activityText(r.activity)), {
    conversationId: client.conversation.id,
    since,
    timeoutMs,
  });
}

/** The pending approval card (title "Approve UPDATE on …?") posted since `since`. */
export function waitForApprovalCard(world: E2eWorld, client: TeamsClient, since: number): Promise<RecordedActivity> {
  return waitForText(world, client, /Approve (INSERT|UPDATE|DELETE|MERGE) on .*\n.*Waiting for approval/, since);
}

/** Waits until the card everyone sees matches `pattern` (an update through the connector). */
export function waitForCardState(world: E2eWorld, card: RecordedActivity, pattern: RegExp, timeoutMs = ANSWER_TIMEOUT_MS): Promise<RecordedActivity> {
  return world.connector.log.waitFor((r) => r.id === card.id && pattern.test(activityText(r.activity)), { timeoutMs });
}

export function approvalIdOf(activity: Activity): string {
  const card = adaptiveCardOf(activity);
  const fromActions = renderActivity(activity).buttons.map((b) => (b.data as { approvalId?: unknown } | undefined)?.approvalId);
  const fromRefresh = (card?.refresh as { action?: { data?: { approvalId?: unknown } } } | undefined)?.action?.data?.approvalId;
  const id = [...fromActions, fromRefresh].find((x): x is string => typeof x === 'string');
  if (!id) throw new Error(`No approval id on card: ${activityText(activity)}`);
  return id;
}

export function buttonTitles(activity: Activity): string[] {
  return renderActivity(activity).buttons.map((b) => b.title);
}

export function hasOauthCard(activity: Activity): boolean {
  return (activity.attachments ?? []).some((a) => a.contentType === OAUTH_CARD);
}

/** Bot messages in the conversation since `since` (typing and progress-only updates included as records). */
export function botMessagesSince(world: E2eWorld, client: TeamsClient, since: number): RecordedActivity[] {
  return world.connector.log.list(client.conversation.id).filter((r) => r.activity.type === 'message' && r.receivedAt >= since);
}

/** Statements the warehouse finished for `upn` whose SQL is exactly `sql` (the approved change). */
export async function executionsOf(world: E2eWorld, upn: string, sql: string): Promise<number> {
  const normalise = (s: string): string => s.replace(/\s+/g, ' ').trim().replace(/;$/, '');
  const history = await world.history(upn);
  return history.filter((q) => q.source === 'warehouse' && q.status === 'FINISHED' && normalise(q.sql) === normalise(sql)).length;
}

export function sleep(ms: number): Promise<void> {
  return new Promise((r) => setTimeout(r, ms));
}

export function hasTable(activity: Activity): boolean {
  return JSON.stringify(adaptiveCardOf(activity) ?? {}).includes('"type":"Table"');
}

/** The first Genie answer (a result card with a table) since `since`. */
export function waitForAnswer(world: E2eWorld, client: TeamsClient, since: number, timeoutMs = ANSWER_TIMEOUT_MS): Promise<RecordedActivity> {
  return world.connector.log.waitFor((r) => r.activity.type === 'message' && hasTable(r.activity), { conversationId: client.conversation.id, since, timeoutMs });
}

/** Adds the bots' recent output to a failing test's error, so a red e2e run explains itself. */
export function withBotOutput(world: () => E2eWorld | undefined, body: () => Promise<void>): () => Promise<void> {
  return async () => {
    try {
      await body();
    } catch (error) {
      const output = (world()?.bots ?? []).map((b, i) => `--- bot ${i} (port ${b.port}) ---\n${b.output().slice(-5000)}`).join('\n');
      if (error instanceof Error) error.message += `\n${output}`;
      throw error;
    }
  };
}

/**
 * Polls `check` every 200 ms until it returns a value other than undefined/false, or throws `what`
 * after `timeoutMs` (a bound on waiting, never an assertion about timing).
 */
export async function pollUntil<T>(check: () => Promise<T | undefined | false>, timeoutMs: number, what: string): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await check();
    if (value !== undefined && value !== false) return value;
    if (Date.now() > deadline) throw new Error(what);
    await sleep(200);
  }
}
