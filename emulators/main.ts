import { rmSync } from 'node:fs';
import { parseArgs } from 'node:util';
import { DEFAULT_PORTS, startStack } from './stack';
import { stackFilePath, writeStackFile } from './teams/stack-file';

/**
 * The emulator stack as one process: Entra ID, Databricks, Cosmos DB, Microsoft Graph and Azure OpenAI on the default ports, described
 * in the stack file. All emulator state (Cosmos documents, the Databricks database, pending approvals)
 * lives here, so the bot can be restarted alone without losing it. `--any-ports` picks free ports.
 */
async function main(): Promise<void> {
  const { values } = parseArgs({ options: { 'any-ports': { type: 'boolean' } } });
  const ports = values['any-ports'] ? { entra: 0, databricks: 0, cosmos: 0, graph: 0, openai: 0 } : DEFAULT_PORTS;
  const file = stackFilePath();
  const running = await startStack({ ports });
  writeStackFile(file, running.stack);

  const { stack } = running;
  console.log(`emulators: Entra ID   ${stack.entra.baseUrl} (authority ${stack.authority})`);
  console.log(`emulators: Databricks https://${stack.databricks.host}:${stack.databricks.port}${stack.databricks.httpPath}`);
  console.log(`emulators: Cosmos DB  ${stack.cosmos.endpoint}`);
  console.log(`emulators: Graph      ${stack.graph.baseUrl}`);
  if (stack.openai) console.log(`emulators: Azure OpenAI ${stack.openai.endpoint} (deployment ${stack.openai.deployment})`);
  console.log(`emulators: stack file ${file}`);

  let stopping = false;
  const stop = async (signal: string): Promise<void> => {
    if (stopping) return;
    stopping = true;
    console.log(`emulators: ${signal}, stopping`);
    rmSync(file, { force: true });
    await running.stop();
    process.exit(0);
  };
  process.on('SIGINT', () => void stop('SIGINT'));
  process.on('SIGTERM', () => void stop('SIGTERM'));
}

main().catch((error: unknown) => {
  console.error(`emulators: failed to start: ${(error as Error).stack ?? String(error)}`);
  process.exit(1);
});
