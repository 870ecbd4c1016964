/**
 * The workspace engine: PGlite holding `main.retail`, every statement run inside a transaction as
 * the caller's own Postgres role (`SET LOCAL ROLE`), so grants, row filters (RLS) and masks are
 * enforced by Postgres. PGlite is single-connection: statements are serialized through one queue.
 */
import { randomUUID } from 'node:crypto';
import { PGlite, type Transaction } from '@electric-sql/pglite';
import type { Directory } from '../shared/directory';
import { createAuthenticator, type AuthOptions } from './auth';
import { StatementCancelled, type Cancellation } from './cancellation';
import { EngineError, type EngineColumn, type EngineParam, type EngineResult, type QueryHistoryEntry, type TableInfo, type WorkspaceEngine, type WorkspaceUser } from './engine-types';
import { insufficientPermissions, notSupported, syntaxError, tableNotFound, toEngineError } from './pg-errors';
import { translate, type TranslatedStatement } from './spark-sql';
import { ident, setUpWorkspace } from './workspace/pg-setup';
import { generateSeed } from './workspace/seed-data';
import { CATALOG, PG_BASE_SCHEMA, PG_SCHEMA, PG_SECURITY_SCHEMA, SCHEMA, TABLES, fullName } from './workspace/workspace';

const TYPE_BY_OID: Record<number, string> = {
  16: 'BOOLEAN', 20: 'BIGINT', 21: 'SMALLINT', 23: 'INT', 700: 'FLOAT', 701: 'DOUBLE', 1700: 'DECIMAL',
  1082: 'DATE', 1114: 'TIMESTAMP', 1184: 'TIMESTAMP',
};
const RAW_TEXT = Object.fromEntries([16, 20, 21, 23, 26, 114, 700, 701, 1082, 1083, 1114, 1184, 1186, 1700, 3802, 2950].map((oid) => [oid, (v: string) => v]));
const HISTORY_LIMIT = 20_000;
const STATEMENT_TIMEOUT = '60s';

export interface WorkspaceEngineHandle extends WorkspaceEngine {
  /** `runAs` with a statement id chosen by the caller (the warehouse's operation id), optionally cancellable. */
  runWithId(
    statementId: string, user: WorkspaceUser, sql: string, params?: EngineParam[], source?: 'warehouse' | 'genie', options?: RunOptions,
  ): Promise<EngineResult>;
  /** Restores the seed rows and clears the query history. */
  resetData(): Promise<void>;
  close(): Promise<void>;
}

export interface RunOptions {
  /** Cancels the statement until its commit point; a cancelled statement rolls back and ends CANCELED. */
  cancellation?: Cancellation;
  /** The statement's own running time (the `execute` latency control), spent before its work; a cancel ends it early. */
  runningTime?: (signal: AbortSignal | undefined, kind: TranslatedStatement['kind']) => Promise<void>;
}

export interface EngineOptions {
  auth: Omit<AuthOptions, 'directory'>;
  directory: Directory;
}

type RunOutcome = { columns: EngineColumn[]; rows: (string | null)[][]; rowsAffected: number | null };

export async function createWorkspaceEngine(options: EngineOptions): Promise<WorkspaceEngineHandle> {
  const db = new PGlite();
  await db.waitReady;
  await setUpWorkspace(db, options.directory);
  await db.exec(`
    REVOKE EXECUTE ON FUNCTION set_config(text, text, boolean) FROM PUBLIC;
    REVOKE TEMPORARY ON DATABASE postgres FROM PUBLIC;
    REVOKE CREATE ON SCHEMA public FROM PUBLIC;
  `);
  const authenticate = createAuthenticator({ ...options.auth, directory: options.directory });
  const history: QueryHistoryEntry[] = [];
  const byId = new Map<string, QueryHistoryEntry>();
  let queue: Promise<unknown> = Promise.resolve();

  const serialized = <T>(work: () => Promise<T>): Promise<T> => {
    const next = queue.then(work, work);
    queue = next.catch(() => undefined);
    return next;
  };

  const record = (entry: QueryHistoryEntry): void => {
    history.push(entry);
    byId.set(entry.statementId, entry);
    if (history.length > HISTORY_LIMIT) {
      const dropped = history.shift();
      if (dropped) byId.delete(dropped.statementId);
    }
  };

  async function run(tx: Transaction, user: WorkspaceUser, statement: TranslatedStatement): Promise<RunOutcome> {
    await tx.exec(`SET LOCAL ROLE ${ident(user.upn)}; SET LOCAL search_path = ${PG_SCHEMA}, ${PG_SECURITY_SCHEMA}; SET LOCAL statement_timeout = '${STATEMENT_TIMEOUT}';`);
    switch (statement.kind) {
      case 'query':
      case 'dml': {
        const result = await tx.query<unknown[]>(statement.sql, statement.params, { rowMode: 'array', parsers: RAW_TEXT });
        const columns = result.fields.map((f) => ({ name: f.name, type: TYPE_BY_OID[f.dataTypeID] ?? 'STRING' }));
        const rows = result.rows.map((row) => row.map((value, i) => cell(value, result.fields[i]?.dataTypeID)));
        const isDml = statement.kind === 'dml' && result.fields.length === 0;
        return { columns, rows, rowsAffected: isDml ? (result.affectedRows ?? 0) : null };
      }
      case 'show_tables':
        return showTables(tx, user);
      case 'describe':
        return describe(tx, statement.table);
      case 'use':
        if (!/^use\s+(catalog\s+`?main`?|schema\s+(`?main`?\.)?`?retail`?|(`?main`?\.)?`?retail`?)\s*;?$/i.test(statement.sql.trim())) {
          throw notSupported('only main.retail exists in this workspace');
        }
        return { columns: [], rows: [], rowsAffected: null };
      case 'ddl':
        throw insufficientPermissions('MANAGE', 'Schema', `${CATALOG}.${SCHEMA}`, user.upn);
      default:
        throw syntaxError(statement.sql.trim().split(/\s+/)[0] ?? '');
    }
  }

  async function showTables(tx: Transaction, user: WorkspaceUser): Promise<RunOutcome> {
    const usable = await tx.query<{ ok: boolean }>(`SELECT has_schema_privilege(current_user, '${PG_SCHEMA}', 'USAGE') AS ok`);
    if (!usable.rows[0]?.ok) throw insufficientPermissions('USE SCHEMA', 'Schema', `${CATALOG}.${SCHEMA}`, user.upn);
    const rows: (string | null)[][] = [];
    for (const table of TABLES) {
      const visible = await tx.query<{ ok: boolean }>(
        `SELECT has_table_privilege(current_user, '${PG_SCHEMA}.${table.name}', 'SELECT, INSERT, UPDATE, DELETE') AS ok`,
      );
      if (visible.rows[0]?.ok) rows.push([SCHEMA, table.name, 'false']);
    }
    return {
      columns: [{ name: 'database', type: 'STRING' }, { name: 'tableName', type: 'STRING' }, { name: 'isTemporary', type: 'BOOLEAN' }],
      rows,
      rowsAffected: null,
    };
  }

  async function describe(tx: Transaction, name: string | undefined): Promise<RunOutcome> {
    const table = TABLES.find((t) => t.name === name);
    if (!table) throw tableNotFound(name ?? 'unknown');
    await tx.query(`SELECT * FROM ${PG_SCHEMA}.${ident(table.name)} WHERE false`);
    return {
      columns: [{ name: 'col_name', type: 'STRING' }, { name: 'data_type', type: 'STRING' }, { name: 'comment', type: 'STRING' }],
      rows: table.columns.map((c) => [c.name, c.type.toLowerCase() === 'decimal' ? c.pgType.replace('numeric', 'decimal') : c.type.toLowerCase(), null]),
      rowsAffected: null,
    };
  }

  async function runWithId(
    statementId: string, user: WorkspaceUser, sql: string, params: EngineParam[] = [], source: 'warehouse' | 'genie' = 'warehouse',
    options: RunOptions = {},
  ): Promise<EngineResult> {
    const { cancellation } = options;
    const entry: QueryHistoryEntry = {
      statementId, upn: user.upn, sql, startedAt: new Date().toISOString(), finishedAt: undefined,
      status: 'RUNNING', rowsAffected: null, source, error: undefined,
    };
    record(entry);
    let kind: TranslatedStatement['kind'] = 'unsupported';
    try {
      const statement = translate(sql, params);
      kind = statement.kind;
      await options.runningTime?.(cancellation?.signal, statement.kind);
      cancellation?.throwIfCancelled();
      const outcome = await serialized(() =>
        db.transaction(async (tx) => {
          cancellation?.throwIfCancelled();
          const result = await run(tx, user, statement);
          cancellation?.commit();
          return result;
        }),
      );
      Object.assign(entry, { status: 'FINISHED', finishedAt: new Date().toISOString(), rowsAffected: outcome.rowsAffected });
      return { statementId: entry.statementId, ...outcome };
    } catch (error) {
      if (error instanceof StatementCancelled) {
        Object.assign(entry, { status: 'CANCELED', finishedAt: new Date().toISOString() });
        throw error;
      }
      const engineError = toEngineError(error, kind, user.upn);
      Object.assign(entry, { status: 'FAILED', finishedAt: new Date().toISOString(), error: engineError.message });
      throw engineError;
    }
  }

  async function resetData(): Promise<void> {
    const seed = generateSeed();
    await serialized(async () => {
      await db.exec(`TRUNCATE ${PG_SCHEMA}.orders, ${PG_BASE_SCHEMA}.customers, ${PG_SCHEMA}.products;`);
      await db.query(`INSERT INTO ${PG_SCHEMA}.products SELECT * FROM json_populate_recordset(NULL::${PG_SCHEMA}.products, $1)`, [JSON.stringify(seed.products)]);
      await db.query(`INSERT INTO ${PG_BASE_SCHEMA}.customers SELECT * FROM json_populate_recordset(NULL::${PG_BASE_SCHEMA}.customers, $1)`, [JSON.stringify(seed.customers)]);
      await db.query(`INSERT INTO ${PG_SCHEMA}.orders SELECT * FROM json_populate_recordset(NULL::${PG_SCHEMA}.orders, $1)`, [JSON.stringify(seed.orders)]);
    });
    history.length = 0;
    byId.clear();
  }

  return {
    authenticate: (authorization) => authenticate(authorization),
    runAs: (user, sql, params, source) => runWithId(randomUUID(), user, sql, params, source),
    runWithId,
    tables: (): TableInfo[] => TABLES.map((t) => ({ fullName: fullName(t.name), columns: t.columns.map(({ name, type }) => ({ name, type })), comment: t.comment })),
    history: () => [...history],
    statement: (statementId) => byId.get(statementId),
    resetData,
    close: () => serialized(() => db.close()),
  };
}

function cell(value: unknown, oid: number | undefined): string | null {
  if (value === null || value === undefined) return null;
  if (oid === 16) return value === 't' || value === true ? 'true' : 'false';
  if (typeof value === 'string') return value;
  if (typeof value === 'object') return JSON.stringify(value);
  return String(value);
}

export { EngineError };
