/**
 * `databricks.sql` spans around the user's SQL warehouse calls (dry-run counts, approved changes,
 * statement look-ups). A failure is recorded like any other (`traced`): Databricks messages quote
 * SQL and values (`[CAST_INVALID_INPUT] The value '…'`), which is why only the redacting processor's
 * output — the error's type, not its message — may leave the process.
 */
import type { SqlClient } from '../databricks/types';
import { ATTR } from './attributes';
import { traced } from './trace';

export function traceSqlClient(client: SqlClient): SqlClient {
  return {
    query: (sql, params, options) =>
      traced('databricks.sql', { [ATTR.sqlOperation]: 'query' }, async (span) => {
        const result = await client.query(sql, params, options);
        span.setAttribute(ATTR.sqlRows, result.totalRowCount);
        return result;
      }),
    execute: (sql, params, hooks) =>
      traced('databricks.sql', { [ATTR.sqlOperation]: 'execute' }, async (span) => {
        const result = await client.execute(sql, params, hooks);
        span.setAttribute(ATTR.sqlRows, result.rowsAffected);
        return result;
      }),
    statementStatus: (statementId) => traced('databricks.sql', { [ATTR.sqlOperation]: 'status' }, () => client.statementStatus(statementId)),
    close: () => client.close(),
  };
}
