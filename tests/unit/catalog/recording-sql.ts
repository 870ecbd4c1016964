import type { SqlClient, SqlParam } from '../../../src/databricks/types';

/** A recording SqlClient: describeTables is pure logic over the rows a query returns. */
export function recordingSql(rows: (string | null)[][], fail?: unknown): SqlClient & { calls: { sql: string; params: Record<string, SqlParam> | undefined }[] } {
  const calls: { sql: string; params: Record<string, SqlParam> | undefined }[] = [];
  return {
    calls,
    async query(sql, params) {
      calls.push({ sql, params });
      if (fail) throw fail;
      return { statementId: 'x', columns: [], rows, totalRowCount: rows.length, truncated: false };
    },
    execute: async () => ({ statementId: 'x', rowsAffected: 0 }),
    statementStatus: async () => ({ state: 'UNKNOWN', rowsAffected: undefined }),
    close: async () => undefined,
  };
}
