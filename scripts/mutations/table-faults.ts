/** Mutations for the fault rows (§4 cases 15, 21, 25–28 and the Databricks fault row of issue 11). */
import type { Mutation } from './types';

const ISSUE_15 = 'src/agents is being rewritten for issue 15; re-point the snippet after the merge';
const FAULTS = 'tests/integration/reliability/faults.test.ts';

/** Settling a record left `executing` submits the SQL again instead of looking its statement id up. */
const RESUBMIT_ON_RECOVERY = {
  file: 'src/agents/task/run-approved.ts',
  search: '    const status = await client.sql().statementStatus(record.statementId);',
  replace: "    const rerun = await client.sql().execute(record.sql);\n    const status = { state: 'SUCCEEDED' as const, rowsAffected: rerun.rowsAffected };",
};

/** A failed approved statement is submitted once more (a "helpful" retry). */
const RETRY_ONCE = {
  file: 'src/agents/task/run-approved.ts',
  search: '    const appError = toAppError(error);\n    if (submittedId === undefined) return fail(approvals, current, appError);',
  replace: [
    '    const appError = toAppError(error);',
    '    try {',
    '      const again = await client.sql().execute(current.sql);',
    "      return { kind: 'executed', record: await approvals.transition(current, 'executed', { rowsAffected: again.rowsAffected }) };",
    '    } catch {',
    '      // the retry failed too',
    '    }',
    '    if (submittedId === undefined) return fail(approvals, current, appError);',
  ].join('\n'),
};

export const FAULT_MUTATIONS: Mutation[] = [
  {
    case: '15',
    protection: 'a record left executing is settled from its statement id, never resubmitted (run-approved.ts)',
    patches: [RESUBMIT_ON_RECOVERY],
    test: { file: 'tests/unit/agents/recovery.test.ts', name: 'process dies after the statement was submitted' },
    tier: 'unit',
    quick: true,
    note: ISSUE_15,
  },
  {
    case: '15 (integration)',
    protection: 'a record left executing is settled from its statement id, never resubmitted (run-approved.ts)',
    patches: [RESUBMIT_ON_RECOVERY],
    test: { file: FAULTS, name: 'process dies after the SQL was submitted' },
    tier: 'integration',
    note: ISSUE_15,
  },
  {
    case: '15 (e2e)',
    protection: 'a record left executing is settled from its statement id, never resubmitted (run-approved.ts)',
    patches: [RESUBMIT_ON_RECOVERY],
    test: { file: 'tests/e2e/reliability/faults-and-input.test.ts', name: 'killed after the SQL was submitted' },
    tier: 'e2e',
    note: ISSUE_15,
  },
  {
    case: '21',
    protection: 'a failed approved statement is never submitted again (run-approved.ts)',
    patches: [RETRY_ONCE],
    test: { file: FAULTS, name: '42501' },
    tier: 'integration',
    note: ISSUE_15,
  },
  {
    case: 'Databricks 5xx',
    protection: 'a failed approved statement is never submitted again (run-approved.ts)',
    patches: [RETRY_ONCE],
    test: { file: FAULTS, name: '503 to the ExecuteStatement' },
    tier: 'integration',
    note: ISSUE_15,
  },
  {
    case: 'Databricks 5xx (driver)',
    protection: 'the driver retries only idempotent Thrift calls, never ExecuteStatement (@databricks/sql)',
    patches: [{
      file: 'node_modules/@databricks/sql/dist/connection/connections/ThriftHttpConnection.js',
      search: 'if (thriftMethodName && retryableThriftMethods.has(thriftMethodName)) {',
      replace: 'if (thriftMethodName) {',
    }],
    test: { file: FAULTS, name: '503 to the ExecuteStatement' },
    tier: 'integration',
  },
  {
    case: 'warehouse stopped',
    protection: 'a failed approved statement is never submitted again (run-approved.ts)',
    patches: [RETRY_ONCE],
    test: { file: FAULTS, name: 'warehouse is stopped at execution' },
    tier: 'integration',
    note: ISSUE_15,
  },
  {
    case: '25',
    protection: 'Cosmos 429s are retried by the SDK after the service’s retry-after (src/persistence/cosmos-client.ts)',
    patches: [{ file: 'src/persistence/cosmos-client.ts', search: '  maxRetryAttemptCount: 9,', replace: '  maxRetryAttemptCount: 0,' }],
    test: { file: 'tests/integration/reliability/cosmos-storm-turns.test.ts', name: 'every second Cosmos call' },
    tier: 'integration',
  },
  {
    case: '25 (persistence)',
    protection: 'Cosmos 429s are retried by the SDK after the service’s retry-after (src/persistence/cosmos-client.ts)',
    patches: [{ file: 'src/persistence/cosmos-client.ts', search: '  maxRetryAttemptCount: 9,', replace: '  maxRetryAttemptCount: 0,' }],
    test: { file: 'tests/integration/persistence/throttling.test.ts', name: 'interrupt and resumes' },
    tier: 'integration',
  },
  {
    case: '26',
    protection: 'the shared Genie limiter allows 5 POSTs per rolling minute (tests/support/genie-rate-limiter.ts)',
    patches: [{ file: 'tests/support/genie-rate-limiter.ts', search: '    const gate = live.length >= limit ? live[live.length - limit]! + windowMs : at;', replace: '    const gate = at;' }],
    test: { file: 'tests/unit/databricks/genie-rate-limiter.test.ts', name: '20 questions arrive at once' },
    tier: 'unit',
    quick: true,
  },
  {
    case: 'Genie 429',
    protection: 'a Genie POST answered 429 is retried once, then the user is told RATE_LIMITED (src/databricks/genie-client.ts)',
    patches: [{ file: 'src/databricks/genie-client.ts', search: '      options.limiter.backOff(seconds * 1000);\n      return limitedPost(path, body, signal);', replace: '      options.limiter.backOff(seconds * 1000);\n      return post(path, body, signal);' }],
    test: { file: FAULTS, name: 'Genie answers 429 to every POST' },
    tier: 'integration',
  },
  {
    case: 'Genie FAILED',
    protection: 'a Genie message that ends FAILED is an error the user is told (src/databricks/genie-client.ts)',
    patches: [{
      file: 'src/databricks/genie-client.ts',
      search: "'genie message finished');\n    if (message.status === 'FAILED') throw messageFailure(message.error, ids);\n    if (message.status !== 'COMPLETED') {",
      replace: "'genie message finished');\n    if (message.status !== 'COMPLETED' && message.status !== 'FAILED') {",
    }],
    test: { file: FAULTS, name: 'Genie ends the message FAILED' },
    tier: 'integration',
  },
  {
    case: '27',
    protection: 'large values leave their item for chunked blobs (src/persistence/payloads.ts)',
    patches: [{ file: 'src/persistence/payloads.ts', search: '{ inlineMaxBytes: 256 * 1024, chunkBytes: 1024 * 1024 }', replace: '{ inlineMaxBytes: 1e12, chunkBytes: 1024 * 1024 }' }],
    test: { file: 'tests/integration/persistence/checkpointer-graph.test.ts', name: 'state of several MB' },
    tier: 'integration',
  },
  {
    case: '28',
    protection: 'the connector client’s blind 5xx retry policy is removed (bot/adapters/teams-ai/outbound-retries.ts)',
    patches: [{ file: 'bot/adapters/teams-ai/outbound-retries.ts', search: '  pipeline.removePolicy({ name: DEFAULT_RETRY_POLICY });\n', replace: '' }],
    test: { file: 'tests/unit/reliability/connector-502.test.ts', name: 'answer(s|ed) 502' },
    tier: 'unit',
    quick: true,
  },
];
