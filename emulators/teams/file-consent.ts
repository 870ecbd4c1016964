import { mkdirSync, createWriteStream, type WriteStream } from 'node:fs';
import { createServer, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { basename, join } from 'node:path';
import type { CardButton, RenderedActivity } from './card-text';

/** Teams' file consent card (https://learn.microsoft.com/microsoftteams/platform/bots/how-to/bots-filesv4). */
export const FILE_CONSENT_CARD = 'application/vnd.microsoft.teams.card.file.consent';
/** What the bot sends once the file is uploaded. */
export const FILE_INFO_CARD = 'application/vnd.microsoft.teams.card.file.info';
/** The type the terminal chat gives the Allow / Decline buttons it draws for a consent card. */
export const FILE_CONSENT_BUTTON = 'fileConsent';

export interface FileConsentChoice {
  action: 'accept' | 'decline';
  context: unknown;
  name: string;
}

/**
 * Teams draws a consent card as the description, the file size, and Allow / Decline; pressing one sends
 * a `fileConsent/invoke` with `acceptContext` or `declineContext` (and, on Allow, an `uploadInfo`).
 */
export function renderFileConsent(content: Record<string, unknown>, name: string | undefined): RenderedActivity {
  const description = typeof content.description === 'string' ? content.description : 'A file';
  const size = typeof content.sizeInBytes === 'number' ? ` (about ${Math.max(1, Math.round(content.sizeInBytes / 1024))} KB)` : '';
  const file = name ?? 'file';
  const choice = (title: string, action: FileConsentChoice['action'], context: unknown): CardButton => ({
    title,
    type: FILE_CONSENT_BUTTON,
    verb: undefined,
    data: { action, context, name: file } satisfies FileConsentChoice,
    url: undefined,
    targets: [],
  });
  return {
    lines: [`[file consent] ${description}: ${file}${size}`],
    buttons: [choice('Allow', 'accept', content.acceptContext), choice('Decline', 'decline', content.declineContext)],
  };
}

export function fileConsentChoiceOf(button: CardButton): FileConsentChoice | undefined {
  if (button.type !== FILE_CONSENT_BUTTON) return undefined;
  const data = button.data as Partial<FileConsentChoice> | undefined;
  if (!data || (data.action !== 'accept' && data.action !== 'decline') || typeof data.name !== 'string') return undefined;
  return { action: data.action, context: data.context, name: data.name };
}

/**
 * A stand-in for the user's OneDrive: accepts the bot's fragment PUTs (`Content-Range`) and writes the
 * file under `dir`, so `npm run chat` can finish an export the way Teams does and the file can be opened.
 */
export class LocalUploads {
  private constructor(
    private readonly server: Server,
    readonly dir: string,
  ) {}

  static async start(dir: string): Promise<LocalUploads> {
    mkdirSync(dir, { recursive: true });
    const streams = new Map<string, WriteStream>();
    // `res.statusCode = …; res.end()`, never `writeHead(…).end()`: restify (loaded in the same process
    // by tests) patches ServerResponse.prototype.writeHead to return nothing.
    const answer = (res: ServerResponse, status: number): void => {
      res.statusCode = status;
      res.end();
    };
    const server = createServer((req, res) => {
      const name = basename(decodeURIComponent(new URL(req.url ?? '/', 'http://x').pathname));
      if (req.method !== 'PUT' || name === '' || name === '.' || name === '..') return answer(res, 400);
      const range = /^bytes (\d+)-(\d+)\/(\d+)$/.exec(String(req.headers['content-range'] ?? ''));
      let stream = streams.get(name);
      if (!stream || (range && range[1] === '0')) {
        stream?.end();
        stream = createWriteStream(join(dir, name));
        streams.set(name, stream);
      }
      const out = stream;
      req.on('data', (chunk: Buffer) => out.write(chunk));
      req.on('end', () => {
        const last = !range || Number(range[2]) + 1 >= Number(range[3]);
        if (last) {
          streams.delete(name);
          out.end(() => answer(res, 201));
        } else answer(res, 202);
      });
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    return new LocalUploads(server, dir);
  }

  /** The `uploadInfo` Teams puts in a `fileConsent/invoke` accept. */
  uploadInfo(name: string): { name: string; uploadUrl: string; contentUrl: string; uniqueId: string; fileType: string } {
    const port = (this.server.address() as AddressInfo).port;
    const unique = `${Date.now()}-${name}`;
    return {
      name,
      uploadUrl: `http://127.0.0.1:${port}/${encodeURIComponent(unique)}`,
      contentUrl: `file://${join(this.dir, unique)}`,
      uniqueId: unique,
      fileType: name.split('.').pop() ?? '',
    };
  }

  close(): Promise<void> {
    return new Promise((resolve) => this.server.close(() => resolve()));
  }
}
