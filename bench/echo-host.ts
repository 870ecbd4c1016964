import { MemoryStorage } from 'botbuilder';
import { Application, type TurnState } from '@microsoft/teams-ai';
import { createAdapter } from '../bot/adapters/teams-ai/adapter';
import { createServer } from '../bot/http/server';
import { createLogger } from '../src/logging';

/**
 * The echo floor of B1: the bot's own host pipeline (restify server, CloudAdapter in local mode,
 * a teams-ai Application built with the bot's options) with one handler that echoes the text.
 * Whatever a Genie turn costs above this is the bot's overhead plus Genie's.
 */
async function main(): Promise<void> {
  const port = Number(process.env.PORT ?? '0');
  const appId = process.env.BOT_APP_ID ?? 'echo-bot';
  const logger = createLogger({ level: 'warn', name: 'echo-host' });
  const adapter = createAdapter({ appId, appPassword: undefined, tenantId: 'local', appType: 'SingleTenant', authenticateInbound: false }, logger);
  const app = new Application<TurnState>({
    storage: new MemoryStorage(),
    botAppId: appId,
    removeRecipientMention: true,
    startTypingTimer: false,
    longRunningMessages: false,
  });
  app.activity('message', async (turn) => {
    await turn.sendActivity(`echo: ${turn.activity.text ?? ''}`);
  });
  const server = createServer({
    admit: () => undefined,
    logger,
    authority: 'https://localhost/echo',
    probes: [],
    processActivity: (req, res) => adapter.process(req, res, async (turn) => void (await app.run(turn))),
  });
  const bound = await server.listen(port);
  logger.info({ port: bound }, 'echo host listening');
  const stop = (): void => void server.close().then(() => process.exit(0));
  process.on('SIGTERM', stop);
  process.on('SIGINT', stop);
}

main().catch((error: unknown) => {
  console.error(`echo host failed: ${String(error)}`);
  process.exit(1);
});
