import { request as httpRequest } from 'node:http';
import { request as httpsRequest } from 'node:https';
import { type Attachment, MessageFactory, type TurnContext } from 'botbuilder';
import type { Application, TurnState } from '@microsoft/teams-ai';
import type { RequestContext } from '../../src/context/request-context';
import type { TableResult } from '../../src/databricks/types';
import { AppError } from '../../src/errors';
import type { ResultRef } from '../cards/render';
import type { BotDeps } from '../deps';
import { requestContextOf, userDatabricksFactory } from '../turn-context';
import { startBackground } from './background-turn';
import { resultRefOf } from './card-data';
import { toCsv } from './csv';

/** Largest CSV uploaded through file consent (Teams puts it in the user's OneDrive). */
export const MAX_UPLOAD_BYTES = 20 * 1024 * 1024;
const FILE_NAME = 'query-result.csv';
/** The file-consent card; Teams offers it only to a bot whose manifest says `"supportsFiles": true`. */
export const FILE_CONSENT_CONTENT_TYPE = 'application/vnd.microsoft.teams.card.file.consent';

/**
 * CSV export through Teams file consent, always in the asker's 1:1 chat. The consent card's context
 * carries only the result ids; on Accept the rows are read again from Genie as the person who
 * accepted (who must be the asker) and uploaded to the URL Teams provides.
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
    startBackground(turn, ctx, deps, 'file-upload', async (proactive) => {
      const { csv, rows, truncated } = toCsv(await fetchTable(ctx, ref.value, deps), MAX_UPLOAD_BYTES);
      await put(upload.uploadUrl as string, csv);
      const info: Attachment = { contentType: 'application/vnd.microsoft.teams.card.file.info', contentUrl: upload.contentUrl, name: upload.name, content: { uniqueId: upload.uniqueId, fileType: upload.fileType } };
      const note = truncated ? `Uploaded the first ${rows} rows (the result was cut by Genie's row limit).` : `Uploaded ${rows} row${rows === 1 ? '' : 's'}.`;
      await proactive.sendActivity({ ...MessageFactory.text(note), attachments: [info] });
    });
  });
  app.fileConsentDecline(async (turn) => {
    await turn.sendActivity('OK, I will not upload the file.');
  });
}

/** Sends the consent card for `ref` to the asker's 1:1 chat (this chat when it already is one). */
export function offerCsv(turn: TurnContext, ctx: RequestContext, ref: ResultRef, deps: BotDeps): void {
  startBackground(turn, ctx, deps, 'export', async (proactive) => {
    const { csv } = toCsv(await fetchTable(ctx, ref, deps), MAX_UPLOAD_BYTES);
    const card: Attachment = {
      contentType: FILE_CONSENT_CONTENT_TYPE,
      name: FILE_NAME,
      content: { description: 'Your query result as CSV', sizeInBytes: Buffer.byteLength(csv, 'utf8'), acceptContext: ref, declineContext: ref },
    };
    const offer = { ...MessageFactory.text('Here is your export. Allow the upload and I will put the CSV in your OneDrive.'), attachments: [card] };
    if (ctx.conversation.kind === 'personal') await proactive.sendActivity(offer);
    else await deps.continuePersonalChat(proactive, async (chat) => void (await chat.sendActivity(offer)));
  });
}

async function fetchTable(ctx: RequestContext, ref: ResultRef, deps: BotDeps): Promise<TableResult> {
  const db = userDatabricksFactory(deps.identity, deps.buildDatabricks)(ctx.user);
  try {
    return await db.genie().getQueryResult(ref.conversationId, ref.messageId, ref.attachmentId);
  } finally {
    await db.close();
  }
}

function checkUploadUrl(url: string, deps: BotDeps): void {
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    throw new AppError('INPUT.INVALID', 'Upload URL is not a URL');
  }
  if (deps.config.bot.authenticateInbound && parsed.protocol !== 'https:') throw new AppError('INPUT.INVALID', 'Upload URL must be https');
}

/** One PUT of the whole file to the Teams upload session (node:http, no connection pooling). */
function put(uploadUrl: string, csv: string): Promise<void> {
  const body = Buffer.from(csv, 'utf8');
  const url = new URL(uploadUrl);
  const send = url.protocol === 'https:' ? httpsRequest : httpRequest;
  return new Promise((resolve, reject) => {
    const request = send(url, {
      method: 'PUT',
      timeout: 60_000,
      headers: { 'content-type': 'text/csv', 'content-length': body.length, 'content-range': `bytes 0-${body.length - 1}/${body.length}`, connection: 'close' },
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
