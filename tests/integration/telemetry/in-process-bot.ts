/**
 * The real bot (`startBot` from bot/index.ts: the composition root's wiring, unchanged) in this
 * jest worker, against the emulator stack of the global setup, with a local connector and a Teams
 * client, and every log line kept. In-process so the spans reach an in-memory exporter.
 */
import { randomUUID } from 'node:crypto';
import { Writable } from 'node:stream';
import { startBot, type RunningBot } from '../../../bot/index';
import { personalConversation } from '../../../emulators/teams/activities';
import { demoUser } from '../../../emulators/teams/accounts';
import { TeamsClient } from '../../../emulators/teams/client';
import { startConnector, type LocalConnector } from '../../../emulators/teams/connector';
import type { QueryHistoryEntry } from '../../../emulators/databricks/engine-types';
import { freePort } from '../../../scripts/lib/children';
import { type Config, loadConfig } from '../../../src/config';
import { testStack } from '../../support/stack';
import { TEST_GENIE_POSTS_PER_MINUTE } from '../../support/test-limits';

export interface InProcessBot {
  bot: RunningBot;
  config: Readonly<Config>;
  connector: LocalConnector;
  client(name: string): TeamsClient;
  /** Every JSON log line the bot wrote. */
  logs(): Record<string, unknown>[];
  /** Databricks query history for `upn` (Genie and warehouse). */
  history(upn: string): Promise<QueryHistoryEntry[]>;
  stop(): Promise<void>;
}

export async function startInProcessBot(): Promise<InProcessBot> {
  const stack = testStack();
  const lines: string[] = [];
  const destination = new Writable({
    write(chunk: Buffer, _encoding, done) {
      lines.push(...chunk.toString('utf8').split('\n').filter(Boolean));
      done();
    },
  });
  const config = loadConfig({
    env: {
      PORT: String(await freePort()),
      LOCAL_STACK_FILE: process.env.LOCAL_STACK_FILE,
      COSMOS_DATABASE: `otel-${randomUUID().slice(0, 8)}`,
      GENIE_POLL_INITIAL_MS: '100',
      GENIE_POLL_MAX_MS: '500',
      GENIE_POSTS_PER_MINUTE: String(TEST_GENIE_POSTS_PER_MINUTE),
      LOG_LEVEL: 'info',
    },
  });
  const bot = await startBot(config, { logDestination: destination });
  const connector = await startConnector({ tenantId: stack.tenantId });
  const clients: TeamsClient[] = [];
  return {
    bot,
    config,
    connector,
    client: (name) => {
      const user = demoUser(name);
      const client = new TeamsClient({
        messagesUrl: `http://127.0.0.1:${bot.port}/api/messages`,
        botAppId: stack.botAppId,
        tenantId: stack.tenantId,
        ssoTokenUrl: stack.ssoTokenUrl,
        connector,
        user,
        conversation: personalConversation(user),
      });
      clients.push(client);
      return client;
    },
    logs: () => lines.map((l) => JSON.parse(l) as Record<string, unknown>),
    history: async (upn) => {
      const url = new URL(`${stack.databricks.controlUrl}/history`);
      url.searchParams.set('upn', upn);
      return ((await (await fetch(url)).json()) as { queries: QueryHistoryEntry[] }).queries;
    },
    stop: async () => {
      clients.forEach((c) => c.close());
      await bot.background.drain(10_000);
      await bot.server.close();
      bot.cosmos.dispose();
      await connector.stop();
    },
  };
}
