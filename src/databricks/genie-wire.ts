/** The Genie REST shapes this client reads, validated at the boundary, and their mapping to our types. */
import { z } from 'zod';
import { AppError } from '../errors';
import type { Cell, GenieQueryAttachment, TableResult } from './types';

const attachmentSchema = z.object({
  attachment_id: z.string().optional(),
  text: z.object({ id: z.string().optional(), content: z.string().optional(), purpose: z.string().nullish() }).nullish(),
  query: z
    .object({
      id: z.string().optional(),
      title: z.string().optional(),
      description: z.string().optional(),
      query: z.string().optional(),
      statement_id: z.string().optional(),
    })
    .nullish(),
  suggested_questions: z.object({ questions: z.array(z.string()).optional() }).nullish(),
});

export const messageSchema = z.object({
  id: z.string().optional(),
  message_id: z.string().optional(),
  conversation_id: z.string(),
  space_id: z.string().optional(),
  status: z.string(),
  attachments: z.array(attachmentSchema).nullish(),
  error: z.object({ error: z.string().optional(), type: z.string().optional() }).nullish(),
});

export type WireMessage = z.infer<typeof messageSchema>;

export const startConversationSchema = z.object({
  conversation_id: z.string(),
  message_id: z.string(),
  message: messageSchema.optional(),
});

const statementResponseSchema = z.object({
  statement_id: z.string().optional(),
  status: z.object({ state: z.string(), error: z.object({ message: z.string().optional(), error_code: z.string().optional() }).nullish() }),
  manifest: z
    .object({
      schema: z.object({ columns: z.array(z.object({ name: z.string(), type_name: z.string().optional(), position: z.number().optional() })).optional() }),
      total_row_count: z.number().optional(),
      truncated: z.boolean().optional(),
    })
    .nullish(),
  result: z.object({ data_array: z.array(z.array(z.union([z.string(), z.number(), z.boolean(), z.null()]))).nullish() }).nullish(),
});

export const queryResultSchema = z.object({ statement_response: statementResponseSchema });

export type WireQueryResult = z.infer<typeof queryResultSchema>;

export function parseWire<T>(schema: z.ZodType<T>, body: unknown, what: string): T {
  const parsed = schema.safeParse(body);
  if (!parsed.success) {
    throw new AppError('DATABRICKS.GENIE_FAILED', `Genie returned an unexpected ${what}: ${parsed.error.issues[0]?.message ?? 'invalid'}`, {
      cause: parsed.error,
    });
  }
  return parsed.data;
}

export function messageIdOf(message: WireMessage): string {
  return message.message_id ?? message.id ?? '';
}

export interface MessageAttachments {
  text: string | undefined;
  query: GenieQueryAttachment | undefined;
  /** Every query attachment after the first, in order. */
  moreQueries: GenieQueryAttachment[];
  /** Text attachments with `purpose: FOLLOW_UP_QUESTION`: Genie asks the user to clarify. */
  clarification: string | undefined;
  suggestedQuestions: string[];
}

export function attachmentsOf(message: WireMessage): MessageAttachments {
  const texts: string[] = [];
  const clarifications: string[] = [];
  const queries: GenieQueryAttachment[] = [];
  const suggested: string[] = [];
  for (const attachment of message.attachments ?? []) {
    if (attachment.text?.content) (attachment.text.purpose === 'FOLLOW_UP_QUESTION' ? clarifications : texts).push(attachment.text.content);
    if (attachment.query?.query) {
      queries.push({
        attachmentId: attachment.attachment_id ?? attachment.query.id ?? '',
        sql: attachment.query.query,
        title: attachment.query.title,
        description: attachment.query.description,
        statementId: attachment.query.statement_id,
      });
    }
    suggested.push(...(attachment.suggested_questions?.questions ?? []));
  }
  return {
    text: texts.length > 0 ? texts.join('\n\n') : undefined,
    query: queries[0],
    moreQueries: queries.slice(1),
    clarification: clarifications.length > 0 ? clarifications.join('\n\n') : undefined,
    suggestedQuestions: suggested,
  };
}

function cell(value: string | number | boolean | null): Cell {
  return value === null ? null : String(value);
}

/** A SUCCEEDED statement response as a TableResult, keeping at most `rowCap` rows. */
export function tableOf(result: WireQueryResult, rowCap: number): TableResult {
  const statement = result.statement_response;
  const columns = [...(statement.manifest?.schema.columns ?? [])]
    .sort((a, b) => (a.position ?? 0) - (b.position ?? 0))
    .map((c) => ({ name: c.name, type: (c.type_name ?? 'STRING').toUpperCase() }));
  const all = statement.result?.data_array ?? [];
  const rows = all.slice(0, rowCap).map((row) => row.map(cell));
  const totalRowCount = statement.manifest?.total_row_count ?? all.length;
  return { columns, rows, totalRowCount, truncated: rows.length < totalRowCount || statement.manifest?.truncated === true };
}
