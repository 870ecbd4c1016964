/**
 * `GET /api/2.0/sql/statements/{statement_id}` in the Statement Execution API shape, backed by the
 * query history, so a client can learn a statement's outcome after losing its connection.
 * A statement is visible only to the user who ran it.
 */
import type { QueryHistoryEntry, WorkspaceEngine, WorkspaceUser } from './engine-types';
import { HttpApiError } from './engine-types';

const STATE: Record<QueryHistoryEntry['status'], string> = { RUNNING: 'RUNNING', FINISHED: 'SUCCEEDED', FAILED: 'FAILED', CANCELED: 'CANCELED' };

export function statementJson(engine: WorkspaceEngine, user: WorkspaceUser, statementId: string): Record<string, unknown> {
  const entry = engine.statement(statementId);
  if (!entry || entry.upn !== user.upn) {
    throw new HttpApiError(404, 'RESOURCE_DOES_NOT_EXIST', `Statement ${statementId} does not exist or is not visible to you.`);
  }
  const errorClass = entry.error ? /^\[([A-Z_.]+)\]/.exec(entry.error)?.[1] : undefined;
  const sqlState = entry.error ? /SQLSTATE: (\w{5})/.exec(entry.error)?.[1] : undefined;
  return {
    statement_id: entry.statementId,
    status: {
      state: STATE[entry.status],
      ...(entry.error ? { error: { error_code: errorClass ?? 'SQL_EXECUTION_EXCEPTION', message: entry.error, sql_state: sqlState } } : {}),
    },
    manifest:
      entry.status === 'FINISHED'
        ? {
            format: 'JSON_ARRAY',
            ...(entry.rowsAffected !== null
              ? { schema: { column_count: 1, columns: [{ name: 'num_affected_rows', type_name: 'LONG', position: 0 }] }, total_row_count: 1, num_affected_rows: entry.rowsAffected }
              : {}),
          }
        : undefined,
    ...(entry.status === 'FINISHED' && entry.rowsAffected !== null ? { result: { data_array: [[String(entry.rowsAffected)]], row_count: 1 } } : {}),
  };
}
