import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { renderActivity } from '../../../emulators/teams/card-text';
import { ChatView, parseChatLine } from '../../../emulators/teams/chat-view';
import { ActivityLog } from '../../../emulators/teams/activity-log';
import { FILE_CONSENT_CARD, fileConsentChoiceOf, LocalUploads } from '../../../emulators/teams/file-consent';
import type { ActivityEvent } from '../../../emulators/teams/types';

const ref = { resultId: 'r-1', askerOid: 'oid-alice' };
const consentActivity = {
  type: 'message',
  text: 'Here is your export: all 40 rows.',
  attachments: [{ contentType: FILE_CONSENT_CARD, name: 'query-result.csv', content: { description: 'Your query result as CSV: 40 rows', sizeInBytes: 2048, acceptContext: ref, declineContext: { ...ref, declined: true } } }],
};

describe('the terminal chat and file consent (CSV export)', () => {
  it('when a file consent card arrives, then it shows the description and Allow / Decline buttons carrying Teams accept and decline contexts', () => {
    const rendered = renderActivity(consentActivity);
    expect(rendered.lines).toContain('[file consent] Your query result as CSV: 40 rows: query-result.csv (about 2 KB)');
    expect(rendered.buttons.map((b) => b.title)).toEqual(['Allow', 'Decline']);
    expect(fileConsentChoiceOf(rendered.buttons[0])).toEqual({ action: 'accept', context: ref, name: 'query-result.csv' });
    expect(fileConsentChoiceOf(rendered.buttons[1])).toEqual({ action: 'decline', context: { ...ref, declined: true }, name: 'query-result.csv' });
  });

  it('when a button is not a consent button, then it is not taken for one', () => {
    const plain = { title: 'Allow', type: 'Action.Submit', verb: undefined, data: { action: 'accept', name: 'x' }, url: undefined, targets: [] };
    expect(fileConsentChoiceOf(plain)).toBeUndefined();
  });

  it('when the bot uploads the CSV in fragments to the uploadInfo URL, then the whole file is written under the downloads folder', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'uploads-'));
    const uploads = await LocalUploads.start(dir);
    try {
      const info = uploads.uploadInfo('query-result.csv');
      expect(info.fileType).toBe('csv');
      const body = Buffer.from('a,b\r\n1,2\r\n3,4\r\n');
      const put = (from: number, to: number): Promise<Response> =>
        fetch(info.uploadUrl, { method: 'PUT', body: body.subarray(from, to + 1), headers: { 'content-range': `bytes ${from}-${to}/${body.length}` } });
      expect((await put(0, 4)).status).toBe(202);
      expect((await put(5, body.length - 1)).status).toBe(201);
      expect(readFileSync(info.contentUrl.replace('file://', ''), 'utf8')).toBe(body.toString());
      expect((await fetch(info.uploadUrl, { method: 'POST', body: 'x' })).status).toBe(400);
    } finally {
      await uploads.close();
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('when the user types /install, then the chat sends the install event; unknown slash words are still messages', () => {
    expect(parseChatLine('/install')).toEqual({ kind: 'install' });
    expect(parseChatLine('/installs')).toEqual({ kind: 'say', text: '/installs' });
  });

  it('when a proactive card update has no sender name, then the header still names the bot', () => {
    const log = new ActivityLog();
    const view = new ChatView();
    const events: ActivityEvent[] = [];
    log.onEvent((e) => events.push(e));
    log.add('c1', { type: 'message', from: { id: 'b', name: '' }, text: 'Done: 1,009 rows changed' });
    expect(view.render(events[0])).toMatch(/^bot:\n {2}Done/);
  });
});
