/**
 * Genie query results beyond the first page, always as the user whose token `getToken` returns:
 * - `readPage`: one page of an attachment's inline result (`GET …/attachments/{aid}/query-result`,
 *   at most 5,000 rows inline, tech-facts §6).
 * - `download`: the FULL result, through Genie's download API (docs.databricks.com/api/genie/v1:
 *   "Generate Download Full Query Result" `POST …/attachments/{aid}/downloads` → {download_id,
 *   download_id_signature}; "Get Download Full Query Result" `GET …/downloads/{download_id}
 *   ?download_id_signature=…` polled until SUCCEEDED, then EXTERNAL_LINKS). Each external link is a
 *   pre-signed URL fetched WITHOUT an Authorization header (same pages); chunks are handed to the
 *   caller one at a time, so the whole result is never held in memory.
 * - An expired result (statement state CLOSED; message status QUERY_RESULT_EXPIRED, "Rerun the SQL
 *   query result by calling executeMessageAttachmentQuery", databricks-sdk GenieMessage.status) is
 *   run again ONCE through `POST …/attachments/{aid}/execute-query` (databricks-sdk-go
 *   `ExecuteMessageAttachmentQuery`), never by failing.
 */
import { z } from 'zod';
import { AppError } from '../errors';
import type { Logger } from '../logging';
import { fromSqlFailure } from './errors';
import { genieFetch, normalizeHost, type GenieTransport } from './genie-http';
import { parseWire, queryResultSchema, type WireQueryResult } from './genie-wire';
import { genieGet, geniePost, type GenieCallOptions } from './genie-requests';
import { nextPollDelay } from './poll-schedule';
import type { Cell, ColumnInfo } from './types';
import { timerSleep } from './sleep';

export interface AttachmentRef {
  conversationId: string;
  messageId: string;
  attachmentId: string;
}

export interface ResultPage {
  columns: ColumnInfo[];
  rows: Cell[][];
  page: number;
  pageSize: number;
  /** Rows of the whole result (Genie's count, not capped). */
  totalRowCount: number;
  /** Rows Genie returns inline; pages end there (the download has the rest). */
  inlineRowCount: number;
}

export interface DownloadSink {
  columns(columns: ColumnInfo[]): Promise<void>;
  rows(rows: Cell[][]): Promise<void>;
}

export interface GenieResults {
  readPage(ref: AttachmentRef, page: number, pageSize: number): Promise<ResultPage>;
  /** Streams the whole result into `sink`; returns the number of rows written. */
  download(ref: AttachmentRef, sink: DownloadSink): Promise<{ rowCount: number }>;
}

export type GenieResultsOptions = GenieCallOptions & { spaceId: string; poll: { initialMs: number; maxMs: number; timeoutMs: number }; now?: () => number };

const downloadStartSchema = z.object({ download_id: z.string().min(1), download_id_signature: z.string().min(1) });
const linkSchema = z.object({
  chunk_index: z.number().optional(),
  external_link: z.string().url(),
  next_chunk_internal_link: z.string().nullish(),
});
const downloadStatusSchema = z.object({
  statement_response: z.object({
    status: z.object({ state: z.string(), error: z.object({ message: z.string().optional() }).nullish() }),
    manifest: z
      .object({
        format: z.string().optional(),
        schema: z.object({ columns: z.array(z.object({ name: z.string(), type_name: z.string().optional(), position: z.number().optional() })).optional() }),
        total_row_count: z.number().optional(),
      })
      .nullish(),
    result: z.object({ external_links: z.array(linkSchema).nullish() }).nullish(),
  }),
});
const chunkRowsSchema = z.array(z.array(z.union([z.string(), z.number(), z.boolean(), z.null()])));

/** `POST {attachmentPath}/execute-query` as the caller; the answer has the query-result shape. */
export async function executeAttachmentQuery(post: (path: string, body: unknown) => Promise<unknown>, attachmentPath: string, logger: Logger): Promise<WireQueryResult> {
  logger.info({ attachmentPath }, 'genie query result expired; executing the query again once');
  return parseWire(queryResultSchema, await post(`${attachmentPath}/execute-query`, undefined), 'execute-query result');
}

function columnsOf(columns: { name: string; type_name?: string; position?: number }[] | undefined): ColumnInfo[] {
  return [...(columns ?? [])].sort((a, b) => (a.position ?? 0) - (b.position ?? 0)).map((c) => ({ name: c.name, type: (c.type_name ?? 'STRING').toUpperCase() }));
}

const cellOf = (value: string | number | boolean | null): Cell => (value === null ? null : String(value));

export function createGenieResults(options: GenieResultsOptions): GenieResults {
  const transport: GenieTransport = { host: normalizeHost(options.host), getToken: options.getToken, fetchImpl: options.fetchImpl ?? fetch, requestTimeoutMs: options.requestTimeoutMs ?? 30_000 };
  const now = options.now ?? Date.now;
  const sleep = options.sleep ?? timerSleep;
  const logger = options.logger.child({ module: 'genie-results' });
  const call = { ...options, fetchImpl: transport.fetchImpl };
  const attachmentPath = (ref: AttachmentRef): string =>
    `/api/2.0/genie/spaces/${encodeURIComponent(options.spaceId)}/conversations/${encodeURIComponent(ref.conversationId)}/messages/${encodeURIComponent(ref.messageId)}/attachments/${encodeURIComponent(ref.attachmentId)}`;

  async function queryResult(ref: AttachmentRef): Promise<WireQueryResult> {
    let result = parseWire(queryResultSchema, await genieGet(call, `${attachmentPath(ref)}/query-result`), 'query result');
    if (result.statement_response.status.state === 'CLOSED') {
      result = await executeAttachmentQuery((path, body) => geniePost(call, path, body), attachmentPath(ref), logger);
    }
    const state = result.statement_response.status.state;
    if (state !== 'SUCCEEDED') throw fromSqlFailure(undefined, result.statement_response.status.error?.message ?? `Genie query result is ${state}.`);
    return result;
  }

  async function readPage(ref: AttachmentRef, page: number, pageSize: number): Promise<ResultPage> {
    if (!Number.isInteger(page) || page < 0 || !Number.isInteger(pageSize) || pageSize < 1) throw new AppError('INPUT.INVALID', `Page ${page} of size ${pageSize} is not a page.`);
    const statement = (await queryResult(ref)).statement_response;
    const inline = statement.result?.data_array ?? [];
    const rows = inline.slice(page * pageSize, (page + 1) * pageSize).map((row) => row.map(cellOf));
    const totalRowCount = statement.manifest?.total_row_count ?? inline.length;
    return { columns: columnsOf(statement.manifest?.schema.columns), rows, page, pageSize, totalRowCount, inlineRowCount: inline.length };
  }

  async function waitForDownload(ref: AttachmentRef, id: string, signature: string): Promise<z.infer<typeof downloadStatusSchema>['statement_response']> {
    const started = now();
    const deadline = started + options.poll.timeoutMs;
    for (;;) {
      const path = `${attachmentPath(ref)}/downloads/${encodeURIComponent(id)}?download_id_signature=${encodeURIComponent(signature)}`;
      const statement = parseWire(downloadStatusSchema, await genieGet(call, path), 'download status').statement_response;
      const state = statement.status.state;
      if (state === 'SUCCEEDED') return statement;
      if (state === 'FAILED' || state === 'CANCELED' || state === 'CLOSED') throw fromSqlFailure(undefined, statement.status.error?.message ?? `Genie download ${state.toLowerCase()}.`);
      if (now() >= deadline) throw new AppError('DATABRICKS.TIMEOUT', `Genie download still ${state} after ${options.poll.timeoutMs} ms.`, { details: { ...ref } });
      await sleep(nextPollDelay(now() - started, options.poll));
    }
  }

  async function fetchChunk(url: string): Promise<Cell[][]> {
    let response: Response;
    try {
      // Pre-signed: no Authorization header (Genie Get Download Full Query Result).
      response = await transport.fetchImpl(url, { method: 'GET', headers: { accept: 'application/json' }, signal: AbortSignal.timeout(transport.requestTimeoutMs) });
    } catch (error) {
      throw new AppError('DATABRICKS.UNAVAILABLE', 'A result file of the Genie download could not be fetched.', { cause: error });
    }
    if (!response.ok) throw new AppError('DATABRICKS.UNAVAILABLE', `A result file of the Genie download answered ${response.status}.`);
    const parsed = chunkRowsSchema.safeParse(await response.json().catch(() => undefined));
    if (!parsed.success) throw new AppError('DATABRICKS.GENIE_FAILED', 'A result file of the Genie download is not a JSON_ARRAY chunk.');
    return parsed.data.map((row) => row.map(cellOf));
  }

  async function download(ref: AttachmentRef, sink: DownloadSink): Promise<{ rowCount: number }> {
    const started = downloadStartSchema.safeParse(await geniePost(call, `${attachmentPath(ref)}/downloads`, undefined));
    if (!started.success) throw new AppError('DATABRICKS.GENIE_FAILED', 'Genie did not return a download id and signature.');
    const statement = await waitForDownload(ref, started.data.download_id, started.data.download_id_signature);
    const format = statement.manifest?.format ?? 'JSON_ARRAY';
    if (format !== 'JSON_ARRAY') throw new AppError('DATABRICKS.GENIE_FAILED', `The Genie download came as ${format}; only JSON_ARRAY is read.`);
    await sink.columns(columnsOf(statement.manifest?.schema.columns));
    let links = [...(statement.result?.external_links ?? [])].sort((a, b) => (a.chunk_index ?? 0) - (b.chunk_index ?? 0));
    let rowCount = 0;
    while (links.length > 0) {
      for (const link of links) {
        const rows = await fetchChunk(link.external_link);
        rowCount += rows.length;
        await sink.rows(rows);
      }
      const next = links.at(-1)?.next_chunk_internal_link;
      if (!next) break;
      const more = z.object({ external_links: z.array(linkSchema).nullish() }).safeParse(await genieFetch(transport, 'GET', next, undefined, undefined));
      links = more.success ? (more.data.external_links ?? []) : [];
    }
    const expected = statement.manifest?.total_row_count;
    if (expected !== undefined && expected !== rowCount) {
      throw new AppError('DATABRICKS.GENIE_FAILED', `The Genie download held ${rowCount} rows; its manifest says ${expected}.`, { details: { ...ref } });
    }
    logger.info({ ...ref, rowCount }, 'genie full result downloaded');
    return { rowCount };
  }

  return { readPage, download };
}
