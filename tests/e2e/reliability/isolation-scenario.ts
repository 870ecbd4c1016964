/**
 * Row isolation under load through real bot processes: load users (`loadNN` sees only customers
 * with customer_id % 50 = NN - 1) ask, in turn, for the latest orders and the customer list, each
 * turn sent to the next bot instance. Every row of every answer card is checked against the asker's
 * slice. Shared by the e2e test (small run) and bench/isolation-load.ts (the 5,000-turn run).
 */
import { messageActivity } from '../../../emulators/teams/activities';
import { activityText, adaptiveCardOf } from '../../../emulators/teams/card-text';
import type { TeamsClient } from '../../../emulators/teams/client';
import type { LocalConnector } from '../../../emulators/teams/connector';
import type { Activity } from '../../../emulators/teams/types';

export const ISOLATION_QUESTIONS = ['List the latest orders', 'List customers'] as const;

export interface IsolationClient {
  /** Load user number, 1..50. */
  n: number;
  /** One client per bot instance, same user and 1:1 conversation. */
  viaInstance: TeamsClient[];
}

export interface IsolationReport {
  turns: number;
  answers: number;
  rowsChecked: number;
  foreignRows: number;
  failures: string[];
  latenciesMs: number[];
}

type Json = Record<string, unknown>;
const isObject = (v: unknown): v is Json => typeof v === 'object' && v !== null && !Array.isArray(v);

/** The rows of the first Adaptive Card Table in the activity, header first (cell texts). */
export function tableOf(activity: Activity): string[][] | undefined {
  const visit = (node: unknown): Json | undefined => {
    if (Array.isArray(node)) {
      for (const item of node) {
        const found = visit(item);
        if (found) return found;
      }
      return undefined;
    }
    if (!isObject(node)) return undefined;
    if (node.type === 'Table') return node;
    for (const value of Object.values(node)) {
      const found = visit(value);
      if (found) return found;
    }
    return undefined;
  };
  const table = visit(adaptiveCardOf(activity));
  if (!table || !Array.isArray(table.rows)) return undefined;
  return table.rows.filter(isObject).map((row) =>
    (Array.isArray(row.cells) ? row.cells : []).filter(isObject).map((cell) =>
      (Array.isArray(cell.items) ? cell.items : []).filter(isObject).map((item) => (typeof item.text === 'string' ? item.text : '')).join(' '),
    ),
  );
}

/** Foreign rows in a table for load user `n`: rows whose customer_id is outside the slice (or missing). */
export function foreignRows(table: string[][], n: number): string[][] {
  const [header, ...rows] = table;
  const column = header?.findIndex((h) => h.trim() === 'customer_id') ?? -1;
  if (column < 0) return rows.length > 0 ? rows : [['(no customer_id column)']];
  return rows.filter((row) => {
    const id = Number(row[column]);
    return !Number.isInteger(id) || id % 50 !== n - 1;
  });
}

/** An error card carries "Reference: <correlation id>"; a turn that ends in one is a failure, reported at once. */
const isErrorCard = (activity: Activity): boolean => /Reference: [0-9a-f-]{36}/.test(activityText(activity));

/** The bot's reply to one message (its `replyToId`), so a late answer to an earlier turn is never taken for this one. */
async function waitForAnswer(connector: LocalConnector, client: TeamsClient, question: Activity, since: number, timeoutMs: number): Promise<Activity> {
  const record = await connector.log.waitFor(
    (r) => r.activity.type === 'message' && r.activity.replyToId === question.id && (tableOf(r.activity) !== undefined || isErrorCard(r.activity)),
    { conversationId: client.conversation.id, since, timeoutMs },
  );
  return record.activity;
}

/**
 * Signs each user in before the measured turns: the answer to a message that needed a sign-in replies
 * to the token exchange, not to the message, so it is awaited as the first table in the chat.
 */
async function signIn(connector: LocalConnector, user: IsolationClient, timeoutMs: number): Promise<void> {
  const client = user.viaInstance[0] as TeamsClient;
  const since = Date.now();
  await deliver(client, messageActivity(client.context, ISOLATION_QUESTIONS[0]));
  await connector.log.waitFor((r) => r.activity.type === 'message' && tableOf(r.activity) !== undefined, { conversationId: client.conversation.id, since, timeoutMs });
}

const REDELIVERIES = 2;

/** Posts like the Bot Connector: a delivery that fails on the network is redelivered with the same activity id. */
async function deliver(client: TeamsClient, activity: Activity): Promise<void> {
  for (let attempt = 0; ; attempt++) {
    try {
      const result = await client.post(activity);
      if (result.status >= 500 && attempt < REDELIVERIES) continue;
      if (result.status >= 400) throw new Error(`the bot answered HTTP ${result.status}`);
      return;
    } catch (error) {
      if (attempt >= REDELIVERIES) throw new Error(`delivery failed ${attempt + 1} times: ${describe(error)}`);
    }
  }
}

function describe(error: unknown): string {
  const cause = (error as { cause?: { code?: string; message?: string } }).cause;
  return `${(error as Error).message}${cause ? ` (${cause.code ?? cause.message ?? ''})` : ''}`;
}

/**
 * Runs `turnsPerUser` turns for every user (users in parallel, each user's turns one after another,
 * alternating instances and questions) and checks every row.
 */
export async function runIsolation(
  connector: LocalConnector,
  users: IsolationClient[],
  turnsPerUser: number,
  options: { answerTimeoutMs?: number; onTurn?: (progress: IsolationReport) => void } = {},
): Promise<IsolationReport> {
  const report: IsolationReport = { turns: 0, answers: 0, rowsChecked: 0, foreignRows: 0, failures: [], latenciesMs: [] };
  await Promise.all(users.map((user) => signIn(connector, user, options.answerTimeoutMs ?? 120_000)));
  await Promise.all(
    users.map(async (user) => {
      for (let turn = 0; turn < turnsPerUser; turn++) {
        const client = user.viaInstance[(turn + user.n) % user.viaInstance.length] as TeamsClient;
        const question = ISOLATION_QUESTIONS[turn % ISOLATION_QUESTIONS.length] as string;
        const since = Date.now();
        const activity = messageActivity(client.context, question);
        report.turns += 1;
        try {
          await deliver(client, activity);
          const answer = await waitForAnswer(connector, client, activity, since, options.answerTimeoutMs ?? 120_000);
          const table = tableOf(answer);
          if (!table) throw new Error(`error card: ${activityText(answer).replace(/\s+/g, ' ').slice(0, 200)}`);
          report.latenciesMs.push(Date.now() - since);
          const foreign = foreignRows(table, user.n);
          report.answers += 1;
          report.rowsChecked += Math.max(0, table.length - 1);
          report.foreignRows += foreign.length;
          if (table.length <= 1) report.failures.push(`load${String(user.n).padStart(2, '0')} turn ${turn}: empty table`);
          if (foreign.length > 0) report.failures.push(`load${String(user.n).padStart(2, '0')} turn ${turn}: foreign rows ${JSON.stringify(foreign.slice(0, 3))}`);
        } catch (error) {
          report.failures.push(`load${String(user.n).padStart(2, '0')} turn ${turn}: ${describe(error).split('\n')[0]}`);
        }
        options.onTurn?.(report);
      }
    }),
  );
  return report;
}

export function percentile(values: number[], p: number): number {
  if (values.length === 0) return 0;
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)] ?? 0;
}
