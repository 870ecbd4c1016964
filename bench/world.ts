import type { ChildProcess } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { freePort, REPO_ROOT, spawnTs, stopChild, waitForHttp } from '../scripts/lib/children';
import { entraControlClient, type EntraControlClient } from '../emulators/entra/control-client';
import { type ConversationSpec, personalConversation } from '../emulators/teams/activities';
import { activityText, OAUTH_CARD } from '../emulators/teams/card-text';
import { TeamsClient } from '../emulators/teams/client';
import { startConnector, type LocalConnector } from '../emulators/teams/connector';
import type { RecordedActivity } from '../emulators/teams/types';
import type { DirectoryUser } from '../emulators/shared/directory';
import type { BotProcess } from '../tests/support/bot-process';
import type { GenieMessageTiming } from '../emulators/databricks/genie/timing-controls';
import { startCompiledBot } from './compiled-bot';
import type { BotHost } from './hosts';
import { type BenchStack, startBenchStack } from './stack';

/**
 * Everything the scenarios share: the emulators (their own process, with the Cosmos counting proxy
 * in this one), one local connector that records what the bots send, compiled bot processes, and
 * Teams-like clients. One connector listener dispatches to per-conversation waiters, so thousands
 * of clients cost nothing per event.
 */
export interface BenchWorld {
  bench: BenchStack;
  connector: LocalConnector;
  entra: EntraControlClient;
  stackFile: string;
  /** A compiled bot (`node dist/bot/index.js`) on the given host (`BOT_HOST`, default teams-ai). */
  startBot(env?: NodeJS.ProcessEnv, options?: { host?: BotHost; nodeArgs?: string[]; entry?: string }): Promise<BotProcess>;
  startEcho(): Promise<{ messagesUrl: string; stop(): Promise<void> }>;
  client(user: DirectoryUser, messagesUrl: string, conversation?: ConversationSpec): TeamsClient;
  /** Position in the stream of activities the bots sent; pass it to `next` to see only later ones. */
  cursor(): number;
  /** The first bot activity in `conversationId` sent (or, with `updates`, updated) after `cursor` that `accept` takes. */
  next(conversationId: string, cursor: number, accept: (r: RecordedActivity) => boolean, timeoutMs?: number, updates?: boolean): Promise<RecordedActivity>;
  genieControl(action: string, body: unknown): Promise<void>;
  /** Genie messages created since `since` (epoch ms) with the emulator's own created / finished times. */
  genieTimings(since: number): Promise<GenieMessageTiming[]>;
  stop(): Promise<void>;
}

/** Databricks' documented workspace budget, which production runs with (the test harness raises it). */
const GENIE_POSTS_PER_MINUTE = 5;

interface Waiter {
  cursor: number;
  updates: boolean;
  accept: (r: RecordedActivity) => boolean;
  resolve: (r: RecordedActivity) => void;
}

/** A bot message that ends a turn: not typing, not an OAuthCard. */
export function isFinalMessage(r: RecordedActivity): boolean {
  const a = r.versions[0]?.activity ?? r.activity;
  return a.type === 'message' && !(a.attachments ?? []).some((x) => x.contentType === OAUTH_CARD);
}

export function isErrorAnswer(r: RecordedActivity): boolean {
  return /Reference: [0-9a-f-]{36}/.test(activityText(r.activity));
}

export async function startWorld(options: { generatedUsers: number }): Promise<BenchWorld> {
  const bench = await startBenchStack(options);
  const dir = join(REPO_ROOT, '.local');
  mkdirSync(dir, { recursive: true });
  const stackFile = join(dir, `bench-stack-${process.pid}.json`);
  writeFileSync(stackFile, JSON.stringify(bench.stack, null, 2), { mode: 0o600 });
  const connector = await startConnector({ tenantId: bench.stack.tenantId });
  const waiters = new Map<string, Set<Waiter>>();
  const sequence = new Map<string, number>();
  let sent = 0;
  connector.log.onEvent((event) => {
    if (event.kind === 'deleted') return;
    sent += 1;
    if (event.kind === 'sent') sequence.set(event.record.id, sent);
    const set = waiters.get(event.record.conversationId);
    if (!set) return;
    for (const w of set) {
      if ((event.kind === 'sent' || w.updates) && sent > w.cursor && w.accept(event.record)) {
        set.delete(w);
        w.resolve(event.record);
      }
    }
  });
  const bots: BotProcess[] = [];
  const children: ChildProcess[] = [];

  const next: BenchWorld['next'] = (conversationId, cursor, accept, timeoutMs = 120_000, updates = false) => {
    const existing = updates ? undefined : connector.log.list(conversationId).find((r) => (sequence.get(r.id) ?? 0) > cursor && accept(r));
    if (existing) return Promise.resolve(existing);
    return new Promise((resolve, reject) => {
      const set = waiters.get(conversationId) ?? new Set<Waiter>();
      waiters.set(conversationId, set);
      const waiter: Waiter = {
        cursor,
        updates,
        accept,
        resolve: (r) => {
          clearTimeout(timer);
          resolve(r);
        },
      };
      const timer = setTimeout(() => {
        set.delete(waiter);
        reject(new Error(`no bot answer in ${conversationId} within ${timeoutMs} ms`));
      }, timeoutMs);
      set.add(waiter);
    });
  };

  return {
    bench,
    connector,
    stackFile,
    entra: entraControlClient({ controlUrl: bench.stack.entra.controlUrl, ssoTokenUrl: bench.stack.ssoTokenUrl }),
    startBot: async (env = {}, options = {}) => {
      // A closed-loop user sends more than the default 20 messages a minute (ab-cpu's third 20 s round
      // was refusals only): the bench measures turns, the limit has its own tests.
      const env0 = { COSMOS_DATABASE: `bench-${randomUUID().slice(0, 8)}`, LOG_LEVEL: 'warn', GENIE_POSTS_PER_MINUTE: String(GENIE_POSTS_PER_MINUTE), USER_MESSAGES_PER_MINUTE: '10000', BOT_HOST: options.host ?? 'teams-ai' };
      const bot = await startCompiledBot({ stackFile, env: { ...env0, ...env }, nodeArgs: options.nodeArgs, entry: options.entry });
      bots.push(bot);
      return bot;
    },
    startEcho: async () => {
      const port = await freePort();
      const child = spawnTs('bench/echo-host.ts', { env: { PORT: String(port), BOT_APP_ID: bench.stack.botAppId }, stdio: ['ignore', 'ignore', 'inherit'] });
      children.push(child);
      await waitForHttp(`http://127.0.0.1:${port}/healthz`, { child, timeoutMs: 180_000 });
      return { messagesUrl: `http://127.0.0.1:${port}/api/messages`, stop: async () => { await stopChild(child); } };
    },
    client: (user, messagesUrl, conversation = personalConversation(user)) =>
      new TeamsClient({
        messagesUrl,
        botAppId: bench.stack.botAppId,
        tenantId: bench.stack.tenantId,
        ssoTokenUrl: bench.stack.ssoTokenUrl,
        connector,
        user,
        conversation,
        autoRefresh: false,
        requestTimeoutMs: 120_000,
      }),
    cursor: () => sent,
    next,
    genieControl: async (action, body) => {
      const response = await fetch(`${bench.stack.databricks.controlUrl}/genie/${action}`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify(body),
      });
      if (!response.ok) throw new Error(`Genie control ${action}: HTTP ${response.status} ${await response.text()}`);
    },
    genieTimings: async (since) => {
      const response = await fetch(`${bench.stack.databricks.controlUrl}/genie/timings?since=${Math.floor(since)}`);
      if (!response.ok) throw new Error(`Genie timings: HTTP ${response.status} ${await response.text()}`);
      return (await response.json()) as GenieMessageTiming[];
    },
    stop: async () => {
      await Promise.allSettled([...bots.map((b) => b.stop()), ...children.map((c) => stopChild(c))]);
      await connector.stop();
      await bench.stop();
      rmSync(stackFile, { force: true });
    },
  };
}
