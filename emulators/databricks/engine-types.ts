/**
 * The contract between the Databricks emulator's parts: the workspace engine (PGlite with
 * Unity-Catalog-style grants, row filters and masks), the Thrift warehouse, the Genie API and the
 * HTTP server that routes between them.
 */
import type { IncomingMessage, ServerResponse } from 'node:http';

/** A workspace principal, resolved from a validated bearer token's UPN. */
export interface WorkspaceUser {
  upn: string;
  objectId: string;
  displayName: string;
  groups: string[];
}

export interface EngineColumn {
  name: string;
  /** Databricks type name: STRING, INT, BIGINT, DOUBLE, DECIMAL, DATE, TIMESTAMP, BOOLEAN. */
  type: string;
}

export interface EngineResult {
  statementId: string;
  columns: EngineColumn[];
  rows: (string | null)[][];
  /** For DML: rows inserted/updated/deleted/merged; null for queries. */
  rowsAffected: number | null;
}

export type EngineParam = { name: string; type: string; value: string | null };

/** Databricks-shaped failure: SQLSTATE plus error class, e.g. 42501 INSUFFICIENT_PERMISSIONS. */
export class EngineError extends Error {
  constructor(
    readonly sqlState: string,
    readonly errorClass: string,
    message: string,
  ) {
    super(message);
    this.name = 'EngineError';
  }
}

/** An HTTP-level failure in the Databricks REST error shape `{ error_code, message }`. */
export class HttpApiError extends Error {
  constructor(
    readonly status: number,
    readonly errorCode: string,
    message: string,
    readonly headers: Record<string, string> = {},
  ) {
    super(message);
    this.name = 'HttpApiError';
  }
}

export interface TableInfo {
  /** Fully qualified, e.g. main.retail.orders */
  fullName: string;
  columns: EngineColumn[];
  comment?: string;
}

export interface QueryHistoryEntry {
  statementId: string;
  upn: string;
  sql: string;
  startedAt: string;
  finishedAt: string | undefined;
  status: 'RUNNING' | 'FINISHED' | 'FAILED' | 'CANCELED';
  rowsAffected: number | null;
  source: 'warehouse' | 'genie';
  error: string | undefined;
}

export interface WorkspaceEngine {
  /** Validates `Authorization: Bearer <jwt>` against the Entra emulator's JWKS; throws HttpApiError 401/403. */
  authenticate(authorization: string | undefined): Promise<WorkspaceUser>;
  /** Runs one statement as the user, in a transaction, under the user's own Postgres role. Throws EngineError. */
  runAs(user: WorkspaceUser, sql: string, params?: EngineParam[], source?: 'warehouse' | 'genie'): Promise<EngineResult>;
  tables(): TableInfo[];
  history(): QueryHistoryEntry[];
  statement(statementId: string): QueryHistoryEntry | undefined;
}

/** A sub-API mounted by the server (e.g. Genie). Returns false when the path is not its own. */
export interface ApiHandler {
  handle(req: IncomingMessage, res: ServerResponse, user: WorkspaceUser, url: URL): Promise<boolean>;
}
