/**
 * The shared Genie budget over the real minute: two "instances" (each its own Cosmos client and
 * budget over one database, on the Cosmos emulator) take POST slots for 20 questions from 5 users
 * asked at once, under 5 per 60 s. Prints the grant times, the most grants in any 60 s window, the
 * service order (round-robin), each question's queue wait and the Cosmos requests per grant.
 * Takes about 4 minutes.   npm run bench:genie-budget [-- --window-ms 60000]
 */
import type { CosmosClient } from '@azure/cosmos';
import { type BudgetStore, createSharedGenieBudget, type SharedGenieBudget } from '../src/databricks/genie-budget';
import { createCosmosClient } from '../src/persistence/cosmos-client';
import { ensureContainers } from '../src/persistence/containers';
import { createCosmosBudgetStore } from '../src/persistence/genie-budget-store';
import { cosmosConfigFor, startPrivateCosmos, uniqueDatabaseId } from '../tests/support/cosmos-emulator';
import { percentile } from '../src/databricks/genie-limiter';

const LIMIT = 5;
const windowArg = process.argv.indexOf('--window-ms');
const WINDOW_MS = windowArg > 0 ? Number(process.argv[windowArg + 1]) : 60_000;
const USERS = ['u1', 'u2', 'u3', 'u4', 'u5'];
const PER_USER = 4;

function counted(store: BudgetStore, counts: { reads: number; writes: number }): BudgetStore {
  return {
    read: () => ((counts.reads += 1), store.read()),
    write: (state, etag) => ((counts.writes += 1), store.write(state, etag)),
  };
}

async function main(): Promise<void> {
  const emulator = await startPrivateCosmos();
  const databaseId = uniqueDatabaseId('bench-budget');
  const clients: CosmosClient[] = [];
  const budgets: SharedGenieBudget[] = [];
  const counts = { reads: 0, writes: 0 };
  for (let i = 0; i < 2; i += 1) {
    const client = createCosmosClient(cosmosConfigFor(emulator.info, databaseId));
    clients.push(client);
    const { leases } = await ensureContainers(client, databaseId);
    const store = counted(createCosmosBudgetStore(leases, 'bench-workspace'), counts);
    budgets.push(createSharedGenieBudget({ store, postsPerWindow: LIMIT, windowMs: WINDOW_MS, maxQueuedPerUser: PER_USER, maxQueueWaitMs: 10 * WINDOW_MS }));
  }
  const start = Date.now();
  const grants: { user: string; at: number; waitedMs: number }[] = [];
  let n = 0;
  await Promise.all(
    USERS.flatMap((user) =>
      Array.from({ length: PER_USER }, () => {
        const budget = budgets[n++ % 2]!;
        return budget.forUser(user).acquire().then((ticket) => void grants.push({ user, at: Date.now() - start, waitedMs: ticket.waitedMs }));
      }),
    ),
  );
  const times = grants.map((g) => g.at).sort((a, b) => a - b);
  const most = Math.max(...times.map((t) => times.filter((u) => u >= t && u < t + WINDOW_MS).length));
  const waits = grants.map((g) => g.waitedMs);
  console.log(`Genie budget bench: ${grants.length} questions from ${USERS.length} users, 2 instances, ${LIMIT} per ${WINDOW_MS} ms`);
  console.log(`grant times (s): ${times.map((t) => (t / 1000).toFixed(1)).join(' ')}`);
  console.log(`most grants in any ${WINDOW_MS} ms window: ${most} (limit ${LIMIT})`);
  console.log(`service order: ${grants.map((g) => g.user).join(' ')}`);
  console.log(`queue wait: p50 ${percentile(waits, 50)} ms, p95 ${percentile(waits, 95)} ms, max ${Math.max(...waits)} ms`);
  console.log(`Cosmos requests: ${counts.reads} reads + ${counts.writes} writes = ${((counts.reads + counts.writes) / grants.length).toFixed(1)} per question (uncontended: 1 read + 1 write)`);
  for (const client of clients) client.dispose();
  await emulator.stop();
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
