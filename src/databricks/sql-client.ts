/**
 * SqlClient over `@databricks/sql` (Thrift, token auth) for ONE user: one connection per instance,
 * opened lazily with that user's token, closed by `close()`. Never share an instance across users
 * or turns; nothing here is cached at module level.
 */
import { DBSQLClient, LogLevel } from '@databricks/sql';
import type IDBSQLSession from '@databricks/sql/dist/contracts/IDBSQLSession';
import type IOperation from '@databricks/sql/dist/contracts/IOperation';
import { AppError } from '../errors';
import type { Logger } from '../logging';
import { fromRestFailure, mapDatabricksError } from './errors';
import { affectedRows, columnsOf, toCells } from './sql-client-rows';
import type { ExecuteResult, SqlClient, SqlParam, StatementState, TableResult } from './types';

export interface SqlClientOptions {
  host: string;
  port: number;
  httpPath: string;
  getToken: () => Promise<string>;
  logger: Logger;
  socketTimeoutMs?: number;
  queryTimeoutMs?: number;
}

const DEFAULT_QUERY_TIMEOUT_MS = 120_000;
const DEFAULT_MAX_ROWS = 10_000;
/** Idempotent Thrift calls (status, fetch, close) are retried by the driver on 429/5xx; a turn cannot wait minutes. */
const RETRY = { maxAttempts: 3, delayMinMs: 250, delayMaxMs: 2000, totalMs: 20_000 };
const STATES: readonly StatementState[] = ['PENDING', 'RUNNING', 'SUCCEEDED', 'FAILED', 'CANCELED', 'CLOSED'];

/** Marks an `onSubmitted` failure so it propagates unchanged instead of being mapped as a Databricks error. */
class HookFailure {
  constructor(readonly original: unknown) {}
}

function driverLogger(logger: Logger): { log(level: LogLevel, message: string): void } {
  return {
    log(level, message) {
      if (level === LogLevel.error) logger.warn({ driver: true }, message);
      else logger.debug({ driver: true }, message);
    },
  };
}

export function createSqlClient(options: SqlClientOptions): SqlClient {
  const log = options.logger.child({ module: 'databricks.sql' });
  const queryTimeoutMs = options.queryTimeoutMs ?? DEFAULT_QUERY_TIMEOUT_MS;
  let connection: Promise<{ client: DBSQLClient; session: IDBSQLSession }> | undefined;
  let closed = false;

  async function open(): Promise<{ client: DBSQLClient; session: IDBSQLSession }> {
    const client = new DBSQLClient({ logger: driverLogger(log) });
    try {
      await client.connect({
        host: options.host,
        port: options.port,
        path: options.httpPath,
        token: await options.getToken(),
        telemetryEnabled: false,
        retryMaxAttempts: RETRY.maxAttempts,
        retryDelayMin: RETRY.delayMinMs,
        retryDelayMax: RETRY.delayMaxMs,
        retriesTimeout: RETRY.totalMs,
        ...(options.socketTimeoutMs !== undefined ? { socketTimeout: options.socketTimeoutMs } : {}),
      });
      const session = await client.openSession({ initialCatalog: 'main', initialSchema: 'retail' });
      return { client, session };
    } catch (error) {
      await client.close().catch(() => undefined);
      throw error;
    }
  }

  function session(): Promise<IDBSQLSession> {
    if (closed) return Promise.reject(new AppError('INTERNAL.UNEXPECTED', 'SqlClient used after close()'));
    if (!connection) {
      connection = open();
      connection.catch(() => {
        connection = undefined;
      });
    }
    return connection.then((c) => c.session);
  }

  /**
   * Submits `sql` and runs `work` on the operation, all under the query timeout (which also covers
   * the submit). On timeout the statement is cancelled once its id is known. Errors come out mapped.
   */
  async function runStatement<T>(sql: string, params: Record<string, SqlParam> | undefined, work: (op: IOperation) => Promise<T>): Promise<T> {
    let operation: IOperation | undefined;
    let timedOut = false;
    let timer: NodeJS.Timeout | undefined;
    const expired = new Promise<never>((_, reject) => {
      timer = setTimeout(() => {
        timedOut = true;
        operation?.cancel().catch(() => undefined);
        const statementId = operation?.id;
        reject(new AppError('DATABRICKS.TIMEOUT', `Statement ${statementId ?? '(not yet submitted)'} exceeded ${queryTimeoutMs} ms`, { details: { statementId } }));
      }, queryTimeoutMs);
    });
    const running = (async () => {
      const op = await submit(sql, params);
      operation = op;
      if (timedOut) {
        await op.cancel().catch(() => undefined);
        await op.close().catch(() => undefined);
      }
      return work(op);
    })();
    running.catch(() => undefined);
    try {
      return await Promise.race([running, expired]);
    } catch (error) {
      throw error instanceof HookFailure ? error.original : mapDatabricksError(error);
    } finally {
      clearTimeout(timer);
      await operation?.close().catch(() => undefined);
    }
  }

  async function submit(sql: string, params: Record<string, SqlParam> | undefined, maxRows?: number): Promise<IOperation> {
    const s = await session();
    const namedParameters = params && Object.keys(params).length > 0 ? params : undefined;
    return s.executeStatement(sql, { ...(namedParameters ? { namedParameters } : {}), ...(maxRows !== undefined ? { maxRows } : {}) });
  }

  async function fetchCapped(operation: IOperation, maxRows: number): Promise<{ rows: object[]; total: number }> {
    const rows: object[] = [];
    let total = 0;
    do {
      const chunk = await operation.fetchChunk({ maxRows: Math.max(maxRows, 1000), disableBuffering: true });
      total += chunk.length;
      for (const row of chunk) if (rows.length < maxRows) rows.push(row);
    } while (await operation.hasMoreRows());
    return { rows, total };
  }

  return {
    async query(sql, params, queryOptions): Promise<TableResult & { statementId: string }> {
      const maxRows = queryOptions?.maxRows ?? DEFAULT_MAX_ROWS;
      return runStatement(sql, params, async (op) => {
        const { rows, total } = await fetchCapped(op, maxRows);
        const columns = columnsOf(await op.getSchema());
        log.debug({ statementId: op.id, rows: rows.length, total }, 'query finished');
        return { statementId: op.id, columns, rows: toCells(columns, rows), totalRowCount: total, truncated: total > rows.length };
      });
    },

    async execute(sql, params, hooks): Promise<ExecuteResult> {
      return runStatement(sql, params, async (op) => {
        if (hooks?.onSubmitted) await hooks.onSubmitted(op.id).catch((error: unknown) => Promise.reject(new HookFailure(error)));
        const rows = await op.fetchAll();
        const status = await op.status();
        const rowsAffected = affectedRows(status.numModifiedRows, rows);
        log.info({ statementId: op.id, rowsAffected }, 'statement executed');
        return { statementId: op.id, rowsAffected };
      });
    },

    async statementStatus(statementId) {
      const url = `https://${options.host}:${options.port}/api/2.0/sql/statements/${encodeURIComponent(statementId)}`;
      let response: Response;
      try {
        response = await fetch(url, {
          headers: { authorization: `Bearer ${await options.getToken()}` },
          signal: AbortSignal.timeout(options.socketTimeoutMs ?? 30_000),
        });
      } catch (error) {
        throw mapDatabricksError(error);
      }
      const body: unknown = await response.json().catch(() => undefined);
      if (response.status === 404) return { state: 'UNKNOWN', rowsAffected: undefined };
      if (!response.ok) throw fromRestFailure(response.status, body);
      const record = (body ?? {}) as { status?: { state?: string }; manifest?: { num_affected_rows?: number }; result?: { data_array?: string[][] } };
      const raw = record.status?.state ?? 'UNKNOWN';
      const state = (STATES as readonly string[]).includes(raw) ? (raw as StatementState) : 'UNKNOWN';
      const fromManifest = record.manifest?.num_affected_rows;
      const fromResult = record.result?.data_array?.[0]?.[0];
      const rowsAffected = typeof fromManifest === 'number' ? fromManifest : fromResult !== undefined && state === 'SUCCEEDED' ? Number(fromResult) : undefined;
      return { state, rowsAffected: Number.isFinite(rowsAffected) ? rowsAffected : undefined };
    },

    async close() {
      if (closed) return;
      closed = true;
      const current = connection;
      connection = undefined;
      if (!current) return;
      const c = await current.catch(() => undefined);
      if (!c) return;
      await c.session.close().catch((error: unknown) => log.debug({ err: error }, 'session close failed'));
      await c.client.close().catch((error: unknown) => log.debug({ err: error }, 'client close failed'));
    },
  };
}
