/**
 * Run as a separate process by the persistence tests: builds its own Cosmos client, runs the
 * approval graph until it interrupts, prints one JSON line and exits. Inputs come from env.
 */
import { createCosmosClient } from '../../src/persistence/cosmos-client';
import { createPersistence } from '../../src/persistence/persistence';
import { buildApprovalGraph } from './cosmos-approval-graph';

type Durability = 'sync' | 'async' | 'exit';

async function main(): Promise<void> {
  const env = (name: string): string => {
    const value = process.env[name];
    if (!value) throw new Error(`${name} is required`);
    return value;
  };
  const threadId = env('THREAD_ID');
  const durability = env('DURABILITY') as Durability;
  const client = createCosmosClient({ endpoint: env('COSMOS_ENDPOINT'), key: env('COSMOS_KEY'), databaseId: env('COSMOS_DATABASE'), endpointDiscovery: false });
  const persistence = await createPersistence(client, env('COSMOS_DATABASE'));
  const graph = buildApprovalGraph({ ...persistence, threadId });
  const result = await graph.invoke({ sql: env('SQL') }, { configurable: { thread_id: threadId }, durability });
  process.stdout.write(`${JSON.stringify({ pid: process.pid, approvalId: result.approvalId, interrupts: (result as { __interrupt__?: unknown[] }).__interrupt__ ?? [] })}\n`);
  client.dispose();
}

main().then(
  () => process.exit(0),
  (error: unknown) => {
    process.stderr.write(`${error instanceof Error ? error.stack : String(error)}\n`);
    process.exit(1);
  },
);
