import { createReadStream, createWriteStream, type WriteStream } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { request as httpRequest } from 'node:http';
import { request as httpsRequest } from 'node:https';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { DownloadSink } from '../../src/databricks/genie-results';
import type { Cell, ColumnInfo } from '../../src/databricks/types';
import { AppError } from '../../src/errors';
import { csvCell } from './csv';

/**
 * The full Genie result as a CSV file on local disk, written chunk by chunk as the download streams
 * in (never the whole result in memory), then uploaded to the Teams/OneDrive upload session in
 * fragments. Rows that would pass `maxBytes` are not written (`truncated`).
 */
export class CsvSpool implements DownloadSink {
  rowsWritten = 0;
  bytes = 0;
  truncated = false;

  private constructor(
    readonly path: string,
    private readonly dir: string,
    private readonly out: WriteStream,
    private readonly maxBytes: number,
  ) {}

  static async create(maxBytes: number): Promise<CsvSpool> {
    const dir = await mkdtemp(join(tmpdir(), 'genie-csv-'));
    const path = join(dir, 'result.csv');
    return new CsvSpool(path, dir, createWriteStream(path, { mode: 0o600 }), maxBytes);
  }

  async columns(columns: ColumnInfo[]): Promise<void> {
    await this.write(columns.map((c) => csvCell(c.name)).join(',') + '\r\n');
  }

  async rows(rows: Cell[][]): Promise<void> {
    const lines: string[] = [];
    for (const row of rows) {
      if (this.truncated) break;
      const line = row.map((v) => csvCell(v)).join(',') + '\r\n';
      const size = Buffer.byteLength(line);
      if (this.bytes + size > this.maxBytes) {
        this.truncated = true;
        break;
      }
      this.bytes += size;
      this.rowsWritten += 1;
      lines.push(line);
    }
    if (lines.length > 0) await this.flush(lines.join(''));
  }

  async finish(): Promise<void> {
    await new Promise<void>((resolve, reject) => this.out.end((error?: Error | null) => (error ? reject(error) : resolve())));
  }

  async dispose(): Promise<void> {
    this.out.destroy();
    await rm(this.dir, { recursive: true, force: true });
  }

  private async write(text: string): Promise<void> {
    this.bytes += Buffer.byteLength(text);
    await this.flush(text);
  }

  private flush(text: string): Promise<void> {
    return new Promise((resolve, reject) => this.out.write(text, (error) => (error ? reject(error) : resolve())));
  }
}

/** OneDrive upload sessions take fragments in multiples of 320 KiB; 12 × 320 KiB each. */
export const UPLOAD_FRAGMENT_BYTES = 12 * 320 * 1024;

/** PUTs the file to the upload session, one fragment at a time with its Content-Range. */
export async function uploadFile(uploadUrl: string, path: string, total: number, fragmentBytes = UPLOAD_FRAGMENT_BYTES): Promise<void> {
  if (total === 0) return putFragment(uploadUrl, Buffer.alloc(0), 0, 0);
  let offset = 0;
  for await (const chunk of createReadStream(path, { highWaterMark: fragmentBytes })) {
    const body = chunk as Buffer;
    await putFragment(uploadUrl, body, offset, total);
    offset += body.length;
  }
}

function putFragment(uploadUrl: string, body: Buffer, offset: number, total: number): Promise<void> {
  const url = new URL(uploadUrl);
  const send = url.protocol === 'https:' ? httpsRequest : httpRequest;
  const range = total === 0 ? 'bytes */0' : `bytes ${offset}-${offset + body.length - 1}/${total}`;
  return new Promise((resolve, reject) => {
    const request = send(url, {
      method: 'PUT',
      timeout: 60_000,
      headers: { 'content-type': 'text/csv', 'content-length': body.length, 'content-range': range, connection: 'close' },
    });
    request.on('response', (response) => {
      response.resume();
      const status = response.statusCode ?? 0;
      if (status >= 200 && status < 300) resolve();
      else reject(new AppError('EXPORT.UPLOAD_FAILED', `CSV upload answered ${status}`));
    });
    request.on('timeout', () => request.destroy(new Error('upload timed out')));
    request.on('error', (error) => reject(new AppError('EXPORT.UPLOAD_FAILED', 'CSV upload failed', { cause: error })));
    request.end(body);
  });
}
