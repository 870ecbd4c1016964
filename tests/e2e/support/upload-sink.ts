import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';

/** One PUT the bot made to the file-consent `uploadUrl`: its Content-Range and body. */
export interface ReceivedUpload {
  range: string;
  body: Buffer;
}

export interface UploadSink {
  /** The `uploadUrl` to put in a file-consent accept. */
  readonly url: string;
  readonly uploads: ReceivedUpload[];
  /** Every piece received, in order, as one file. */
  file(): Buffer;
  close(): Promise<void>;
}

/** A stand-in for OneDrive's upload session: records each piece and answers 201. */
export async function startUploadSink(): Promise<UploadSink> {
  const uploads: ReceivedUpload[] = [];
  const server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      uploads.push({ range: String(req.headers['content-range']), body: Buffer.concat(chunks) });
      res.statusCode = 201; // not writeHead(…).end(): restify, loaded in this worker by other tests, patches writeHead to return nothing
      res.end();
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}/upload`,
    uploads,
    file: () => Buffer.concat(uploads.map((u) => u.body)),
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}
