export interface ColumnInfo {
  name: string;
  /** Databricks type name, e.g. STRING, INT, DECIMAL, DATE, TIMESTAMP. */
  type: string;
}

export type Cell = string | null;

/** Rows as strings (the Statement Execution shape); `rows` may be capped, `totalRowCount` is not. */
export interface TableResult {
  columns: ColumnInfo[];
  rows: Cell[][];
  totalRowCount: number;
  truncated: boolean;
}

export interface GenieQueryAttachment {
  attachmentId: string;
  sql: string;
  title: string | undefined;
  description: string | undefined;
  statementId: string | undefined;
}

export interface GenieAnswer {
  spaceId: string;
  conversationId: string;
  messageId: string;
  status: 'COMPLETED';
  text: string | undefined;
  query: GenieQueryAttachment | undefined;
  table: TableResult | undefined;
  suggestedQuestions: string[];
  /** Query attachments after the first (a question that asked for several things), each with its rows. */
  moreQueries?: { query: GenieQueryAttachment; table: TableResult | undefined }[];
  /** Genie's clarification question (a text attachment with purpose FOLLOW_UP_QUESTION). */
  clarification?: string;
}

export type GenieProgress = { status: string; elapsedMs: number };

export interface GenieClient {
  /** The space this client asks (absent in test doubles). */
  readonly spaceId?: string;
  /** Starts a conversation, or continues `conversationId`; polls with backoff until done. */
  ask(question: string, options?: { conversationId?: string; signal?: AbortSignal; onProgress?: (p: GenieProgress) => void }): Promise<GenieAnswer>;
  /** Reads one of the caller's own finished messages again: text, SQL, suggestions and rows (Genie serves it only to its asker). */
  getMessage(conversationId: string, messageId: string): Promise<GenieAnswer>;
}

export type SqlParam = string | number | boolean | null;

export interface ExecuteResult {
  statementId: string;
  rowsAffected: number;
}

export type StatementState = 'PENDING' | 'RUNNING' | 'SUCCEEDED' | 'FAILED' | 'CANCELED' | 'CLOSED' | 'UNKNOWN';

/** SQL warehouse access as one user, over @databricks/sql. One per turn; `close()` at the end. */
export interface SqlClient {
  query(sql: string, params?: Record<string, SqlParam>, options?: { maxRows?: number }): Promise<TableResult & { statementId: string }>;
  /** Runs one DML statement. `onSubmitted` fires with the statement id before the result is awaited. */
  execute(sql: string, params?: Record<string, SqlParam>, hooks?: { onSubmitted?: (statementId: string) => Promise<void> }): Promise<ExecuteResult>;
  /** Looks a statement up by id (Statement Execution API), for recovery after a crash. */
  statementStatus(statementId: string): Promise<{ state: StatementState; rowsAffected: number | undefined }>;
  close(): Promise<void>;
}
