/**
 * The agent service over real emulators (private Entra + Databricks pair, private Cosmos) with the
 * knobs the reliability cases need: a clock per instance, short thread leases, a wrapped SQL client
 * (to play a crash after submit), Databricks faults through `/_control`, and the warehouse's query
 * history to count what really ran.
 */
import { unusedGenieExtras } from '../../../fakes/unused-genie-extras';
import type { QueryHistoryEntry } from '../../../../emulators/databricks/engine-types';
import { DEMO_DIRECTORY, findUser } from '../../../../emulators/shared/directory';
import { createAgentService, type AgentServiceWithGraph, type LeaseOptions, type UserDatabricksFactory } from '../../../../src/agents';
import type { UserIdentity } from '../../../../src/context/request-context';
import { createSqlClient } from '../../../../src/databricks/sql-client';
import type { SqlClient } from '../../../../src/databricks/types';
import { createDeterministicRouter } from '../../../../src/llm';
import { silentLogger } from '../../../../src/logging';
import { generousLimiter } from '../../databricks/genie-harness';
import type { Persistence } from '../../../../src/persistence/persistence';
import type { LeaseStore, Principal, TurnLeaseStore } from '../../../../src/persistence/ports';
import { startAgentStack, type AgentStack } from '../../agents/agent-stack';

export interface InstanceOptions {
  now?: () => Date;
  lease?: Partial<LeaseOptions>;
  fourEyesRowThreshold?: number;
}

export interface FactoryOptions {
  queryTimeoutMs?: number;
  /** Wraps each per-turn SQL client (e.g. to play a process that dies after submitting). */
  wrapSql?: (sql: SqlClient) => SqlClient;
}

export interface ReliabilityStack {
  agents: AgentStack;
  databricks: UserDatabricksFactory;
  /** A factory like `databricks`, with a statement timeout or a wrapped SQL client. */
  databricksWith(options: FactoryOptions): UserDatabricksFactory;
  /** `kill()` plays the process dying: its lease store never answers again, so its leases stop being renewed. */
  instance(options?: InstanceOptions): Promise<{ service: AgentServiceWithGraph; persistence: Persistence; kill(): void }>;
  /** Warehouse statements (not Genie) whose SQL is exactly `sql`, by status. */
  executions(sql: string, status?: QueryHistoryEntry['status']): Promise<QueryHistoryEntry[]>;
  /** One number from a query run as carol (sees every row). */
  scalar(sql: string): Promise<number>;
  /** POST `{controlUrl}/{path}` of the Databricks emulator (latency, fail, warehouse, genie/...). */
  control(path: string, body: unknown): Promise<void>;
  stop(): Promise<void>;
}

export function demoIdentity(shortName: string): UserIdentity {
  const u = findUser(DEMO_DIRECTORY, shortName);
  if (!u) throw new Error(`no demo user ${shortName}`);
  return { tenantId: DEMO_DIRECTORY.tenantId, objectId: u.objectId, upn: u.upn, displayName: u.displayName };
}

async function isApprover(user: Principal): Promise<boolean> {
  return findUser(DEMO_DIRECTORY, user.objectId)?.groups.includes('approvers') ?? false;
}

const normalise = (s: string): string => s.replace(/\s+/g, ' ').trim().replace(/;$/, '');

export async function startReliabilityStack(): Promise<ReliabilityStack> {
  const agents = await startAgentStack();
  const controlUrl = agents.genie.databricks.controlUrl;
  const limiter = generousLimiter();
  const databricksWith = (options: FactoryOptions): UserDatabricksFactory => (user) => {
    const shortName = findUser(DEMO_DIRECTORY, user.objectId)?.shortName;
    if (!shortName) throw new Error(`no demo user ${user.objectId}`);
    const db = agents.genie.databricks;
    const real = createSqlClient({
      host: db.host, port: db.port, httpPath: db.httpPath, getToken: () => agents.genie.tokenFor(shortName), logger: silentLogger(),
      ...(options.queryTimeoutMs !== undefined ? { queryTimeoutMs: options.queryTimeoutMs } : {}),
    });
    const sql = options.wrapSql ? options.wrapSql(real) : real;
    return {
      ...unusedGenieExtras(), genie: () => agents.genie.client(shortName, limiter), sql: () => sql, ensureToken: async () => void (await agents.genie.tokenFor(shortName)), close: () => real.close(),
    };
  };
  await agents.genie.control('rate-limit', { postsPerWindow: 100_000 });
  return {
    agents,
    databricks: agents.databricks,
    databricksWith,
    async instance(options = {}) {
      const { persistence } = await agents.newInstance();
      let alive = true;
      const never = new Promise<never>(() => undefined);
      const leases: LeaseStore & TurnLeaseStore = {
        acquire: (key, owner, ttlMs) => (alive ? persistence.leases.acquire(key, owner, ttlMs) : never),
        release: (lease) => (alive ? persistence.leases.release(lease) : never),
        beginTurn: (threadId, owner, ttlMs, activityKey) => (alive ? persistence.leases.beginTurn(threadId, owner, ttlMs, activityKey) : never),
        endTurn: (lease) => (alive ? persistence.leases.endTurn(lease) : never),
      };
      const service = createAgentService({
        checkpointer: persistence.checkpointer,
        store: persistence.store,
        approvals: persistence.approvals,
        audit: persistence.audit,
        leases,
        router: createDeterministicRouter(),
        isApprover,
        settings: {
          approvals: { ttlMinutes: 60, fourEyesRowThreshold: options.fourEyesRowThreshold ?? 1000, approversGroupId: undefined },
          results: { rowCap: 20 },
        },
        ...(options.now ? { now: options.now } : {}),
        ...(options.lease ? { lease: options.lease } : {}),
      });
      return { service, persistence, kill: () => void (alive = false) };
    },
    async executions(sql, status = 'FINISHED') {
      const wanted = normalise(sql);
      return (await agents.genie.history()).filter((q) => q.source === 'warehouse' && q.status === status && normalise(q.sql) === wanted);
    },
    async scalar(sql) {
      const result = await agents.genie.runAs('carol', sql);
      return Number(result.rows[0]?.[0]);
    },
    async control(path, body) {
      const response = await fetch(`${controlUrl}/${path}`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) });
      if (!response.ok) throw new Error(`control ${path} answered ${response.status}: ${await response.text()}`);
    },
    stop: () => agents.stop(),
  };
}

/** A bounded change of alice's West orders that is not idempotent: running it twice adds 2. */
export function bumpQuantity(from: number, to = from + 19): { sql: string; sumSql: string } {
  const where = `region = 'West' AND order_id BETWEEN ${from} AND ${to}`;
  return {
    sql: `UPDATE main.retail.orders SET quantity = quantity + 1 WHERE ${where}`,
    sumSql: `SELECT coalesce(sum(quantity), 0) FROM main.retail.orders WHERE ${where}`,
  };
}

export function countSql(from: number, to = from + 19): string {
  return `SELECT count(*) FROM main.retail.orders WHERE region = 'West' AND order_id BETWEEN ${from} AND ${to}`;
}
