/**
 * Genie's full query-result download (docs.databricks.com/api/genie/v1, "Genie Generate Download
 * Full Query Result" and "Genie Get Download Full Query Result"):
 *   POST …/attachments/{aid}/downloads            → {download_id, download_id_signature}; a NEW SQL
 *        execution of the attachment's query, as the caller (row filters apply), with no row cap
 *   GET  …/attachments/{aid}/downloads/{did}?download_id_signature=…  → {statement_response}; while
 *        running `status.state` PENDING, then SUCCEEDED in the EXTERNAL_LINKS disposition
 * Both ids are required to read it; the download belongs to the conversation's owner. The external
 * links are short-lived pre-signed URLs, fetched WITHOUT an Authorization header; the Statement
 * Execution docs say they are valid for at most 15 minutes. Here they are served by the emulator
 * itself under `/_genie-results/{token}`, one JSON_ARRAY chunk per link.
 */
import { createHmac, randomBytes, timingSafeEqual } from 'node:crypto';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { HttpApiError, type EngineColumn, type WorkspaceEngine, type WorkspaceUser } from '../engine-types';
import { newId, ownerKey, type MessageRecord, type StoredQuery } from './state';
import { sendJson } from './wire';

export const EXTERNAL_LINK_PREFIX = '/_genie-results/';
const LINK_TTL_MS = 15 * 60_000;

interface Chunk {
  token: string;
  rowOffset: number;
  rows: (string | null)[][];
}

interface DownloadRecord {
  downloadId: string;
  owner: string;
  messageId: string;
  attachmentId: string;
  state: 'PENDING' | 'SUCCEEDED' | 'FAILED';
  error: string | undefined;
  statementId: string;
  columns: EngineColumn[];
  chunks: Chunk[];
  totalRowCount: number;
  finishedAt: number;
}

export class DownloadStore {
  private readonly secret = randomBytes(32);
  private readonly downloads = new Map<string, DownloadRecord>();
  private readonly links = new Map<string, { chunk: Chunk; download: DownloadRecord }>();

  constructor(private readonly deps: { engine: WorkspaceEngine; now: () => number; chunkRows: number }) {}

  /** Starts a new execution of the attachment's SQL as `user`. */
  start(message: MessageRecord, query: StoredQuery, user: WorkspaceUser): { download_id: string; download_id_signature: string } {
    const record: DownloadRecord = {
      downloadId: newId(),
      owner: ownerKey(user),
      messageId: message.messageId,
      attachmentId: query.attachmentId,
      state: 'PENDING',
      error: undefined,
      statementId: '',
      columns: [],
      chunks: [],
      totalRowCount: 0,
      finishedAt: 0,
    };
    this.downloads.set(record.downloadId, record);
    this.deps.engine.runAs(user, query.sql, [], 'genie').then(
      (result) => {
        record.statementId = result.statementId;
        record.columns = result.columns;
        record.totalRowCount = result.rows.length;
        for (let offset = 0; offset < result.rows.length || offset === 0; offset += this.deps.chunkRows) {
          const chunk: Chunk = { token: randomBytes(24).toString('base64url'), rowOffset: offset, rows: result.rows.slice(offset, offset + this.deps.chunkRows) };
          record.chunks.push(chunk);
          this.links.set(chunk.token, { chunk, download: record });
          if (result.rows.length === 0) break;
        }
        record.finishedAt = this.deps.now();
        record.state = 'SUCCEEDED';
      },
      (error: unknown) => {
        record.error = error instanceof Error ? error.message : String(error);
        record.state = 'FAILED';
      },
    );
    return { download_id: record.downloadId, download_id_signature: this.sign(record.downloadId) };
  }

  /** The statement response of a download, for its owner presenting the right signature. */
  status(message: MessageRecord, attachmentId: string, downloadId: string, signature: string | null, user: WorkspaceUser, baseUrl: string): Record<string, unknown> {
    const record = this.downloads.get(downloadId);
    if (!record || record.messageId !== message.messageId || record.attachmentId !== attachmentId || record.owner !== ownerKey(user)) {
      throw new HttpApiError(404, 'RESOURCE_DOES_NOT_EXIST', `Download ${downloadId} does not exist.`);
    }
    if (!signature) throw new HttpApiError(400, 'INVALID_PARAMETER_VALUE', 'download_id_signature is required.');
    if (!this.verify(downloadId, signature)) throw new HttpApiError(403, 'PERMISSION_DENIED', 'The download_id_signature does not match the download.');
    if (record.state === 'PENDING') return { statement_response: { statement_id: record.statementId || undefined, status: { state: 'PENDING' } } };
    if (record.state === 'FAILED') {
      return { statement_response: { status: { state: 'FAILED', error: { error_code: 'SQL_EXECUTION_EXCEPTION', message: record.error } } } };
    }
    const expiration = new Date(record.finishedAt + LINK_TTL_MS).toISOString();
    return {
      statement_response: {
        statement_id: record.statementId,
        status: { state: 'SUCCEEDED' },
        manifest: {
          format: 'JSON_ARRAY',
          schema: { column_count: record.columns.length, columns: record.columns.map((c, position) => ({ name: c.name, type_name: c.type, type_text: c.type, position })) },
          total_chunk_count: record.chunks.length,
          chunks: record.chunks.map((c, index) => ({ chunk_index: index, row_offset: c.rowOffset, row_count: c.rows.length })),
          total_row_count: record.totalRowCount,
          truncated: false,
        },
        result: {
          external_links: record.chunks.map((c, index) => ({
            chunk_index: index,
            row_offset: c.rowOffset,
            row_count: c.rows.length,
            external_link: `${baseUrl}${EXTERNAL_LINK_PREFIX}${c.token}`,
            expiration,
            ...(index + 1 < record.chunks.length ? { next_chunk_index: index + 1 } : {}),
          })),
        },
      },
    };
  }

  /** Serves an external link (no Authorization header; the token in the URL is the credential). */
  serveLink(req: IncomingMessage, res: ServerResponse, url: URL): boolean {
    if (!url.pathname.startsWith(EXTERNAL_LINK_PREFIX)) return false;
    if (req.headers.authorization) throw new HttpApiError(400, 'INVALID_PARAMETER_VALUE', 'Pre-signed result links must be fetched without an Authorization header.');
    const found = this.links.get(url.pathname.slice(EXTERNAL_LINK_PREFIX.length));
    if (!found || this.deps.now() > found.download.finishedAt + LINK_TTL_MS) throw new HttpApiError(403, 'PERMISSION_DENIED', 'The link has expired or is not valid.');
    sendJson(res, 200, found.chunk.rows);
    return true;
  }

  clear(): void {
    this.downloads.clear();
    this.links.clear();
  }

  private sign(downloadId: string): string {
    return createHmac('sha256', this.secret).update(downloadId).digest('base64url');
  }

  private verify(downloadId: string, signature: string): boolean {
    const expected = Buffer.from(this.sign(downloadId));
    const given = Buffer.from(signature);
    return expected.length === given.length && timingSafeEqual(expected, given);
  }
}
