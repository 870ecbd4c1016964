import { unusedGenieExtras } from './unused-genie-extras';
import type { UserDatabricks, UserDatabricksFactory } from '../../src/agents/ports';
import type { GenieAnswer, GenieClient, SqlClient, StatementState, TableResult } from '../../src/databricks/types';
import type { UserIdentity } from '../../src/context/request-context';
import { AppError } from '../../src/errors';

type User = Pick<UserIdentity, 'tenantId' | 'objectId'>;

export interface GenieCall { user: string; question: string; conversationId: string | undefined }
export interface Execution { user: string; sql: string; statementId: string }

export interface FakeDatabricksOptions {
  /** Rows a dry-run COUNT(*) reports, by SQL. Default 3. */
  countFor?: (sql: string) => number;
  /** Rows an executed statement affects. Default: what `countFor` says for the same table. */
  rowsAffectedFor?: (sql: string) => number;
  /** Rows in each Genie answer. Default 5. */
  genieRows?: number;
  /** Makes `execute` fail; `afterSubmit` decides whether the statement id was handed out first. */
  executeError?: { error: Error; afterSubmit: boolean };
  /** Makes every dry-run query fail. */
  queryError?: Error;
  /** Makes `ensureToken` fail for a user (`tenantId:objectId`), as the identity service does when they must sign in again. */
  tokenError?: (who: string) => Error | undefined;
}

/**
 * A scripted stand-in for the per-user Databricks clients: it records who asked what, and keeps the
 * statements it "ran" so tests can count executions and look statements up after a "crash".
 */
export class FakeDatabricks {
  readonly genieCalls: GenieCall[] = [];
  readonly queries: { user: string; sql: string }[] = [];
  /** Users (`tenantId:objectId`) whose token was checked before a write was claimed. */
  readonly tokenChecks: string[] = [];
  readonly executions: Execution[] = [];
  readonly statements = new Map<string, { state: StatementState; rowsAffected: number | undefined }>();
  opened = 0;
  closed = 0;
  private conversations = 0;
  /** Answers by `who|conversationId|messageId`: like Genie, a message is served only to its asker. */
  private readonly answers = new Map<string, GenieAnswer>();
  private statementSeq = 0;

  constructor(public options: FakeDatabricksOptions = {}) {}

  readonly factory: UserDatabricksFactory = (user: User): UserDatabricks => {
    this.opened += 1;
    const who = `${user.tenantId}:${user.objectId}`;
    return {
      genie: () => this.genie(who),
      ...unusedGenieExtras(),
      sql: () => this.sql(who),
      ensureToken: async () => {
        this.tokenChecks.push(who);
        const error = this.options.tokenError?.(who);
        if (error) throw error;
      },
      close: async () => {
        this.closed += 1;
      },
    };
  };

  private genie(who: string): GenieClient {
    return {
      ask: async (question, options) => {
        this.genieCalls.push({ user: who, question, conversationId: options?.conversationId });
        options?.onProgress?.({ status: 'EXECUTING_QUERY', elapsedMs: 10 });
        const conversationId = options?.conversationId ?? `conv-${++this.conversations}`;
        const rows = this.options.genieRows ?? 5;
        const table: TableResult = {
          columns: [{ name: 'region', type: 'STRING' }, { name: 'orders', type: 'BIGINT' }],
          rows: Array.from({ length: rows }, (_, i) => [`R${i}`, String(i)]),
          totalRowCount: rows,
          truncated: false,
        };
        const answer: GenieAnswer = {
          spaceId: 'space-1', conversationId, messageId: `msg-${this.genieCalls.length}`, status: 'COMPLETED',
          text: `Answer to: ${question}`,
          query: { attachmentId: 'att-1', sql: 'SELECT region, COUNT(*) AS orders FROM main.retail.orders GROUP BY region', title: 'Orders by region', description: 'Counts orders per region', statementId: 'genie-stmt' },
          table, suggestedQuestions: ['Which region grew fastest?'],
        };
        this.answers.set(`${who}|${conversationId}|${answer.messageId}`, answer);
        return answer;
      },
      getMessage: async (conversationId, messageId) => {
        const answer = this.answers.get(`${who}|${conversationId}|${messageId}`);
        if (!answer) throw new AppError('DATABRICKS.GENIE_FAILED', `Conversation ${conversationId} does not exist.`);
        return answer;
      },
    };
  }

  private sql(who: string): SqlClient {
    return {
      query: async (sql) => {
        this.queries.push({ user: who, sql });
        if (this.options.queryError) throw this.options.queryError;
        const count = (this.options.countFor ?? (() => 3))(sql);
        return { columns: [{ name: 'count(1)', type: 'BIGINT' }], rows: [[String(count)]], totalRowCount: 1, truncated: false, statementId: `q-${this.queries.length}` };
      },
      execute: async (sql, _params, hooks) => {
        const statementId = `stmt-${++this.statementSeq}`;
        const failure = this.options.executeError;
        if (failure && !failure.afterSubmit) throw failure.error;
        await hooks?.onSubmitted?.(statementId);
        const rowsAffected = (this.options.rowsAffectedFor ?? this.options.countFor ?? (() => 3))(sql);
        this.executions.push({ user: who, sql, statementId });
        this.statements.set(statementId, { state: failure ? 'FAILED' : 'SUCCEEDED', rowsAffected: failure ? undefined : rowsAffected });
        if (failure) throw failure.error;
        return { statementId, rowsAffected };
      },
      statementStatus: async (statementId) => this.statements.get(statementId) ?? { state: 'UNKNOWN', rowsAffected: undefined },
      close: async () => undefined,
    };
  }
}
