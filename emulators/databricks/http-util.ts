import type { IncomingMessage, ServerResponse } from 'node:http';
import { HttpApiError } from './engine-types';

const MAX_BODY = 16 * 1024 * 1024;

export async function readBody(req: IncomingMessage): Promise<Buffer> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of req) {
    const buf = chunk as Buffer;
    size += buf.length;
    if (size > MAX_BODY) throw new HttpApiError(413, 'REQUEST_LIMIT_EXCEEDED', 'Request body too large.');
    chunks.push(buf);
  }
  return Buffer.concat(chunks);
}

export async function readJson(req: IncomingMessage): Promise<Record<string, unknown>> {
  const text = (await readBody(req)).toString('utf8');
  if (!text.trim()) return {};
  try {
    const value: unknown = JSON.parse(text);
    if (typeof value === 'object' && value !== null && !Array.isArray(value)) return value as Record<string, unknown>;
  } catch {
    // falls through to the 400 below
  }
  throw new HttpApiError(400, 'MALFORMED_REQUEST', 'Body must be a JSON object.');
}

export function sendJson(res: ServerResponse, status: number, body: unknown, headers: Record<string, string> = {}): void {
  const text = JSON.stringify(body);
  res.writeHead(status, { 'content-type': 'application/json', 'content-length': Buffer.byteLength(text), ...headers });
  res.end(text);
}

/** Databricks REST error shape; Thrift clients also read `x-thriftserver-error-message`. */
export function sendApiError(res: ServerResponse, error: HttpApiError): void {
  sendJson(res, error.status, { error_code: error.errorCode, message: error.message }, {
    'x-databricks-error-code': error.errorCode,
    'x-thriftserver-error-message': error.message.replace(/[\r\n]+/g, ' '),
    ...error.headers,
  });
}
