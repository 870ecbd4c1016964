/** The Genie REST wire shapes (snake_case, as the Databricks SDKs read them) and HTTP helpers. */
import type { IncomingMessage, ServerResponse } from 'node:http';
import { HttpApiError } from '../engine-types';
import { queriesOf, type ConversationRecord, type MessageRecord, type StoredResult } from './state';

export function conversationJson(c: ConversationRecord): Record<string, unknown> {
  return {
    id: c.conversationId,
    conversation_id: c.conversationId,
    space_id: c.spaceId,
    title: c.title,
    created_timestamp: c.createdAt,
    last_updated_timestamp: c.updatedAt,
    user_id: c.userId,
  };
}

export function messageJson(m: MessageRecord): Record<string, unknown> {
  const attachments: Record<string, unknown>[] = [];
  if (m.text) attachments.push({ attachment_id: m.text.attachmentId, text: { id: m.text.id, content: m.text.content, purpose: m.text.purpose } });
  const shown = m.status === 'EXECUTING_QUERY' || m.status === 'COMPLETED' || m.status === 'FAILED' || m.status === 'QUERY_RESULT_EXPIRED';
  for (const q of shown ? queriesOf(m) : []) {
    attachments.push({
      attachment_id: q.attachmentId,
      query: {
        id: q.queryId,
        title: q.title,
        description: q.description,
        query: q.sql,
        statement_id: q.result?.statementId,
        parameters: [],
        query_result_metadata: q.result ? { row_count: q.result.totalRowCount, is_truncated: q.result.truncated } : undefined,
        last_updated_timestamp: m.updatedAt,
      },
    });
  }
  if (m.suggestions && (m.status === 'COMPLETED' || m.status === 'QUERY_RESULT_EXPIRED')) {
    attachments.push({ attachment_id: m.suggestions.attachmentId, suggested_questions: { questions: m.suggestions.questions } });
  }
  return {
    id: m.messageId,
    message_id: m.messageId,
    conversation_id: m.conversationId,
    space_id: m.spaceId,
    content: m.content,
    status: m.status,
    attachments: attachments.length > 0 ? attachments : undefined,
    error: m.error,
    feedback: m.feedback,
    created_timestamp: m.createdAt,
    last_updated_timestamp: m.updatedAt,
    user_id: m.userId,
  };
}

/** A SQL Statement Execution API response (JSON_ARRAY / INLINE disposition, one chunk). */
export function statementResponseJson(result: StoredResult): Record<string, unknown> {
  return {
    statement_id: result.statementId,
    status: { state: 'SUCCEEDED' },
    manifest: {
      format: 'JSON_ARRAY',
      schema: {
        column_count: result.columns.length,
        columns: result.columns.map((c, position) => ({
          name: c.name,
          type_name: c.type,
          type_text: c.type,
          position,
        })),
      },
      total_chunk_count: 1,
      chunks: [{ chunk_index: 0, row_offset: 0, row_count: result.rows.length }],
      total_row_count: result.totalRowCount,
      truncated: result.truncated,
    },
    result: { chunk_index: 0, row_offset: 0, row_count: result.rows.length, data_array: result.rows },
  };
}

export function sendJson(res: ServerResponse, status: number, body: unknown, headers: Record<string, string> = {}): void {
  const text = JSON.stringify(body);
  res.writeHead(status, { 'content-type': 'application/json', 'content-length': Buffer.byteLength(text), ...headers });
  res.end(text);
}

export function sendError(res: ServerResponse, error: HttpApiError): void {
  sendJson(res, error.status, { error_code: error.errorCode, message: error.message }, error.headers);
}

const MAX_BODY_BYTES = 64 * 1024;

export async function readJsonBody(req: IncomingMessage): Promise<Record<string, unknown>> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of req) {
    const buffer = Buffer.isBuffer(chunk) ? chunk : Buffer.from(String(chunk));
    size += buffer.length;
    if (size > MAX_BODY_BYTES) throw new HttpApiError(400, 'INVALID_PARAMETER_VALUE', 'Request body too large.');
    chunks.push(buffer);
  }
  const text = Buffer.concat(chunks).toString('utf8').trim();
  if (!text) return {};
  try {
    const parsed: unknown = JSON.parse(text);
    if (typeof parsed === 'object' && parsed !== null && !Array.isArray(parsed)) return parsed as Record<string, unknown>;
  } catch {
    throw new HttpApiError(400, 'MALFORMED_REQUEST', 'Request body is not valid JSON.');
  }
  throw new HttpApiError(400, 'MALFORMED_REQUEST', 'Request body must be a JSON object.');
}

export function notFound(what: string): HttpApiError {
  return new HttpApiError(404, 'RESOURCE_DOES_NOT_EXIST', `${what} does not exist.`);
}
