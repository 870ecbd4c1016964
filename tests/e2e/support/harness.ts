import { randomUUID } from 'node:crypto';
import { entraControlClient, type EntraControlClient } from '../../../emulators/entra/control-client';
import { channelConversation, groupConversation, personalConversation, type ConversationSpec } from '../../../emulators/teams/activities';
import { demoUser } from '../../../emulators/teams/accounts';
import { TeamsClient, type TeamsClientOptions } from '../../../emulators/teams/client';
import { startConnector, type ConnectorOptions, type LocalConnector } from '../../../emulators/teams/connector';
import type { QueryHistoryEntry } from '../../../emulators/databricks/engine-types';
import type { LocalStack } from '../../../src/config/local-stack';
import { startBotProcess, type BotProcess } from '../../support/bot-process';
import { testStack } from '../../support/stack';

/**
 * One e2e scenario's world: the shared emulator stack (jest global setup), a local connector that
 * records what the bots send, real bot processes with their own Cosmos database (shared between
 * this file's instances, so two instances see the same state), and Teams-like clients.
 */
export interface E2eWorld {
  stack: LocalStack;
  connector: LocalConnector;
  bots: BotProcess[];
  entra: EntraControlClient;
  client(name: string, where?: 'personal' | 'group' | 'channel', options?: { bot?: BotProcess } & Partial<TeamsClientOptions>): TeamsClient;
  /** Databricks query history (both warehouse and Genie), optionally for one user. */
  history(upn?: string): Promise<QueryHistoryEntry[]>;
  stop(): Promise<void>;
}

export const E2E_TIMEOUT_MS = 180_000;

export async function startWorld(options: { bots?: number; env?: NodeJS.ProcessEnv; connector?: Omit<ConnectorOptions, 'tenantId'> } = {}): Promise<E2eWorld> {
  const stack = testStack();
  const connector = await startConnector({ ...options.connector, tenantId: stack.tenantId });
  const env: NodeJS.ProcessEnv = {
    COSMOS_DATABASE: `e2e-${randomUUID().slice(0, 8)}`,
    GENIE_POLL_INITIAL_MS: '100',
    GENIE_POLL_MAX_MS: '500',
    ...options.env,
  };
  const bots: BotProcess[] = [];
  const clients: TeamsClient[] = [];
  try {
    for (let i = 0; i < (options.bots ?? 1); i++) bots.push(await startBotProcess({ env }));
  } catch (error) {
    await Promise.all(bots.map((b) => b.stop()));
    await connector.stop();
    throw error;
  }

  const conversationFor = (name: string, where: 'personal' | 'group' | 'channel'): ConversationSpec =>
    where === 'group' ? groupConversation() : where === 'channel' ? channelConversation() : personalConversation(demoUser(name));

  return {
    stack,
    connector,
    bots,
    entra: entraControlClient({ controlUrl: stack.entra.controlUrl, ssoTokenUrl: stack.ssoTokenUrl }),
    client: (name, where = 'personal', extra = {}) => {
      const { bot = bots[0], ...overrides } = extra;
      if (!bot) throw new Error('no bot process');
      const client = new TeamsClient({
        messagesUrl: bot.messagesUrl,
        botAppId: stack.botAppId,
        tenantId: stack.tenantId,
        ssoTokenUrl: stack.ssoTokenUrl,
        connector,
        user: demoUser(name),
        conversation: conversationFor(name, where),
        ...overrides,
      });
      clients.push(client);
      return client;
    },
    history: async (upn) => {
      const url = new URL(`${stack.databricks.controlUrl}/history`);
      if (upn) url.searchParams.set('upn', upn);
      const response = await fetch(url);
      if (!response.ok) throw new Error(`query history: HTTP ${response.status}`);
      return ((await response.json()) as { queries: QueryHistoryEntry[] }).queries;
    },
    stop: async () => {
      clients.forEach((c) => c.close());
      await Promise.all(bots.map((b) => b.stop()));
      await connector.stop();
    },
  };
}
