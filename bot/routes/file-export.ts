import { type Attachment, MessageFactory, type TurnContext } from 'botbuilder';
import type { Application, TurnState } from '@microsoft/teams-ai';
import type { RequestContext } from '../../src/context/request-context';
import { AppError } from '../../src/errors';
import type { ResultRef } from '../present/render';
import type { BotDeps } from '../turns/deps';
import type { UserDatabricks } from '../../src/agents/ports';
import { requestContextOf, userDatabricksFactory } from '../turns/turn-context';
import { startBackground } from './background-turn';
import { resultRefOf } from './card-data';
import { csvCell } from './csv';
import { CsvSpool, uploadFile } from './csv-spool';


/** Largest CSV uploaded through file consent (Teams puts it in the user's OneDrive). */
export const MAX_UPLOAD_BYTES = 20 * 1024 * 1024;
const FILE_NAME = 'query-result.csv';
/** The file-consent card; Teams offers it only to a bot whose manifest says `"supportsFiles": true`. */
export const FILE_CONSENT_CONTENT_TYPE = 'application/vnd.microsoft.teams.card.file.consent';

/**
 * CSV export through Teams file consent, always in the asker's 1:1 chat. The consent card's context
 * carries only the result ids; on Accept the FULL result is read from Genie's download API as the
 * person who accepted (who must be the asker), spooled to a local file chunk by chunk and uploaded in
 * fragments to the URL Teams provides: no 1,000-row cap, never the whole result in memory.
 */
export function registerFileConsent(app: Application<TurnState>, deps: BotDeps): void {
  app.fileConsentAccept(async (turn, _state, response) => {
    const ref = resultRefOf((response.context ?? {}) as Record<string, unknown>);
    const upload = response.uploadInfo;
    const ctx = requestContextOf(turn, deps.logger);
    if (!ref.ok || !upload?.uploadUrl || ctx.user.objectId !== ref.value.askerOid) {
      throw new AppError('INPUT.INVALID', 'File consent without a valid result reference, upload URL or asker');
    }
    checkUploadUrl(upload.uploadUrl, deps);
    const spaceId = await deps.spaces.resultSpaceId(ctx, ref.value.spaceId);
    startBackground(turn, ctx, deps, 'file-upload', async (proactive) => {
      const spool = await CsvSpool.create(MAX_UPLOAD_BYTES);
      try {
        const { rowCount } = await withDatabricks(ctx, deps, (db) => db.genieResults(spaceId).download(ref.value, spool));
        await spool.finish();
        await uploadFile(upload.uploadUrl as string, spool.path, spool.bytes);
        const info: Attachment = { contentType: 'application/vnd.microsoft.teams.card.file.info', contentUrl: upload.contentUrl, name: upload.name, content: { uniqueId: upload.uniqueId, fileType: upload.fileType } };
        const rows = spool.rowsWritten;
        const note = spool.truncated
          ? `Uploaded the first ${rows} of ${rowCount} rows (the file reached the ${MAX_UPLOAD_BYTES / (1024 * 1024)} MB limit).`
          : `Uploaded ${rows} row${rows === 1 ? '' : 's'}: the full result.`;
        ctx.logger.info({ resultId: ref.value.resultId, rows, rowCount, bytes: spool.bytes }, 'full result exported as CSV');
        await proactive.sendActivity({ ...MessageFactory.text(note), attachments: [info] });
      } finally {
        await spool.dispose();
      }
    });
  });
  app.fileConsentDecline(async (turn) => {
    await turn.sendActivity('OK, I will not upload the file.');
  });
}

/**
 * Sends the consent card for `ref` to the asker's 1:1 chat (this chat when it already is one). The
 * first page is read as the asker (which also runs an expired result again) for the real row count;
 * the rows themselves are read only on Accept, from Genie's full download. `spaceId` was re-checked
 * as the asker; the consent context names it again and Accept re-checks it again.
 */
export function offerCsv(turn: TurnContext, ctx: RequestContext, ref: ResultRef, deps: BotDeps, spaceId: string): void {
  startBackground(turn, ctx, deps, 'export', async (proactive) => {
    const first = await withDatabricks(ctx, deps, (db) => db.genieResults(spaceId).readPage(ref, 0, SAMPLE_ROWS));
    const lineBytes = (cells: (string | null)[]): number => Buffer.byteLength(cells.map((v) => csvCell(v)).join(',')) + 2;
    const sampleBytes = first.rows.reduce((sum, row) => sum + lineBytes(row), 0);
    const header = lineBytes(first.columns.map((c) => c.name));
    const estimate = header + (first.rows.length === 0 ? 0 : Math.round((sampleBytes / first.rows.length) * first.totalRowCount));
    const rows = first.totalRowCount;
    const card: Attachment = {
      contentType: FILE_CONSENT_CONTENT_TYPE,
      name: FILE_NAME,
      content: { description: `Your query result as CSV: ${rows} row${rows === 1 ? '' : 's'}`, sizeInBytes: Math.min(estimate, MAX_UPLOAD_BYTES), acceptContext: ref, declineContext: ref },
    };
    const offer = { ...MessageFactory.text(`Here is your export: all ${rows} row${rows === 1 ? '' : 's'}. Allow the upload and I will put the CSV in your OneDrive.`), attachments: [card] };
    if (ctx.conversation.kind === 'personal') await proactive.sendActivity(offer);
    else await deps.continuePersonalChat(proactive, async (chat) => void (await chat.sendActivity(offer)));
  });
}

async function withDatabricks<T>(ctx: RequestContext, deps: BotDeps, use: (db: UserDatabricks) => Promise<T>): Promise<T> {
  const db = userDatabricksFactory(deps.identity, deps.buildDatabricks)(ctx.user);
  try {
    return await use(db);
  } finally {
    await db.close();
  }
}

/** Rows read to estimate the file size for the consent card. */
const SAMPLE_ROWS = 100;

function checkUploadUrl(url: string, deps: BotDeps): void {
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    throw new AppError('INPUT.INVALID', 'Upload URL is not a URL');
  }
  if (deps.config.bot.authenticateInbound && parsed.protocol !== 'https:') throw new AppError('INPUT.INVALID', 'Upload URL must be https');
}
