import type { SqlParameter, SqlQuerySpec } from '@azure/cosmos';

/**
 * Queries of the `checkpoints` container. Each repeats the partition key (`threadId`) in its WHERE
 * clause: the emulator ignores the partition scope of queries, the service does not mind.
 */
export function listQuery(filter: { threadId: string | undefined; ns: string | undefined; checkpointId: string; before: string }): SqlQuerySpec {
  const conditions = ["c.kind = 'checkpoint'"];
  const parameters: SqlParameter[] = [];
  const add = (condition: string, name: string, value: string): void => {
    conditions.push(condition);
    parameters.push({ name, value });
  };
  if (filter.threadId !== undefined) add('c.threadId = @threadId', '@threadId', filter.threadId);
  if (filter.ns !== undefined) add('c.ns = @ns', '@ns', filter.ns);
  if (filter.checkpointId) add('c.checkpointId = @checkpointId', '@checkpointId', filter.checkpointId);
  if (filter.before) add('c.checkpointId < @before', '@before', filter.before);
  return { query: `SELECT * FROM c WHERE ${conditions.join(' AND ')} ORDER BY c.checkpointId DESC`, parameters };
}

/** uuid6 checkpoint ids sort by creation time, so the greatest id is the latest checkpoint. */
export function latestQuery(threadId: string, ns: string): SqlQuerySpec {
  return {
    query: "SELECT TOP 1 * FROM c WHERE c.threadId = @threadId AND c.kind = 'checkpoint' AND c.ns = @ns ORDER BY c.checkpointId DESC",
    parameters: [
      { name: '@threadId', value: threadId },
      { name: '@ns', value: ns },
    ],
  };
}

export function writesQuery(threadId: string, ns: string, checkpointId: string): SqlQuerySpec {
  return {
    query: "SELECT * FROM c WHERE c.threadId = @threadId AND c.kind = 'write' AND c.ns = @ns AND c.checkpointId = @checkpointId",
    parameters: [
      { name: '@threadId', value: threadId },
      { name: '@ns', value: ns },
      { name: '@checkpointId', value: checkpointId },
    ],
  };
}

export function threadItemsQuery(threadId: string): SqlQuerySpec {
  return { query: 'SELECT c.id, c.kind FROM c WHERE c.threadId = @threadId', parameters: [{ name: '@threadId', value: threadId }] };
}
