/**
 * Issue 17 items 3, 4 and 6 through a real bot process on the emulators: the CSV export is Genie's
 * full download as the asker (row filters applied, no 1,000- or 5,000-row cap), Previous / Next re-read
 * pages as the asker only, an answer with two query attachments shows both, an expired result is
 * executed again once instead of failing, and 👎 sends its comment to Genie's feedback call.
 */
import { cardActionValue } from '../../emulators/teams/activities';
import { activityText, adaptiveCardOf, renderActivity } from '../../emulators/teams/card-text';
import type { GenieCounters } from '../../emulators/databricks/genie';
import type { Activity, RecordedActivity } from '../../emulators/teams/types';
import type { TeamsClient } from '../../emulators/teams/client';
import { startUploadSink, type UploadSink } from './support/upload-sink';
import { E2E_TIMEOUT_MS, startWorld, type E2eWorld } from './support/harness';
import { hasTable, waitForAnswer, waitForText, withBotOutput } from './support/waits';
import { scalarOf, warehouseAs } from './support/warehouse';

jest.setTimeout(E2E_TIMEOUT_MS);

const FILE_CONSENT = 'application/vnd.microsoft.teams.card.file.consent';

describe('full results, every attachment and feedback with words, end to end', () => {
  let world: E2eWorld | undefined;
  const w = (): E2eWorld => world as E2eWorld;
  const test = (name: string, body: () => Promise<void>): void => it(name, withBotOutput(() => world, body));
  const control = (path: string): string => `${w().stack.databricks.controlUrl}/genie/${path}`;
  const counters = async (): Promise<GenieCounters> => (await (await fetch(control('counters'))).json()) as GenieCounters;
  let sink: UploadSink | undefined;

  beforeAll(async () => {
    world = await startWorld();
    sink = await startUploadSink();
  });
  afterAll(async () => {
    await sink?.close();
    await world?.stop();
  });

  async function ask(client: TeamsClient, question: string): Promise<RecordedActivity> {
    const since = Date.now();
    await client.say(question);
    const card = await waitForAnswer(w(), client, since);
    await client.idle();
    return card;
  }

  const dataOf = (activity: Activity, title: RegExp): Record<string, unknown> => {
    const button = renderActivity(activity).buttons.find((b) => title.test(b.title));
    if (!button) throw new Error(`no ${String(title)} button: ${renderActivity(activity).buttons.map((b) => b.title).join(', ')}`);
    return button.data as Record<string, unknown>;
  };

  /** The card's rows as text lines (the header and its rule excluded). */
  const tableLines = (activity: Activity): string[] => activityText(activity).split('\n').filter((l) => / \| /.test(l)).slice(1);

  let unitsCard: RecordedActivity | undefined;
  async function aliceUnits(): Promise<{ alice: TeamsClient; card: RecordedActivity }> {
    const alice = w().client('alice');
    unitsCard ??= await ask(alice, 'List every unit sold');
    return { alice, card: unitsCard };
  }

  test('when alice exports a result of more than 5,000 rows, then the CSV holds every row she may see (only West) and the row count in the cards equals the file’s rows', async () => {
    const { alice, card } = await aliceUnits();
    const expected = await scalarOf(warehouseAs(w(), 'alice'), 'SELECT SUM(quantity) FROM main.retail.orders');
    const everyone = await scalarOf(warehouseAs(w(), 'carol'), 'SELECT SUM(quantity) FROM main.retail.orders');
    expect(expected).toBeGreaterThan(5000);
    expect(everyone).toBeGreaterThan(expected);
    process.stdout.write(`[figure] full export: ${expected} rows as alice (West); ${everyone} rows in all regions\n`);
    const before = await counters();

    const since = Date.now();
    const clicked = await alice.click(card, 'Export CSV');
    expect(clicked.status).toBe(200);
    const offer = await w().connector.log.waitFor((r) => (r.activity.attachments ?? []).some((a) => a.contentType === FILE_CONSENT), { conversationId: alice.conversation.id, since, timeoutMs: 60_000 });
    const consent = offer.activity.attachments?.find((a) => a.contentType === FILE_CONSENT)?.content as { description: string; acceptContext: Record<string, unknown> };
    expect(consent.description).toBe(`Your query result as CSV: ${expected} rows`);
    expect(JSON.stringify(consent.acceptContext)).not.toMatch(/West/);

    const uploadUrl = (sink as UploadSink).url;
    const uploadInfo = { uploadUrl, contentUrl: 'https://onedrive.example/query-result.csv', name: 'query-result.csv', uniqueId: 'u-1', fileType: 'csv' };
    const accepted = await alice.invoke('fileConsent/invoke', { type: 'fileUpload', action: 'accept', context: consent.acceptContext, uploadInfo }, offer.id);
    expect(accepted.status).toBe(200);
    const done = await waitForText(w(), alice, /Uploaded \d+ rows/, since, 90_000);

    const file = (sink as UploadSink).file().toString('utf8');
    const lines = file.split('\r\n').filter((l) => l !== '');
    expect(lines[0]).toBe('order_id,order_date,region,product_id,unit_number');
    const rows = lines.slice(1);
    expect(rows).toHaveLength(expected);
    expect(new Set(rows.map((r) => r.split(',')[2]))).toEqual(new Set(['West']));
    expect(activityText(done.activity)).toContain(`Uploaded ${expected} rows: the full result.`);
    expect(sink?.uploads.at(-1)?.range).toMatch(new RegExp(`/${Buffer.byteLength(file)}$`));
    const after = await counters();
    expect(after.downloads - before.downloads).toBe(1);
  });

  test('when alice pages with Next and Previous, then each page is read again as her (West rows, the right range); when bob sends the same page action, he gets no rows', async () => {
    const { alice, card } = await aliceUnits();
    const firstPage = tableLines(alice.view(card));
    expect(firstPage).toHaveLength(20);
    const next = await alice.click(card, 'Next ▶');
    expect(next.status).toBe(200);
    const second = alice.view(card);
    expect(activityText(second)).toMatch(/Rows 21–40 of \d+/);
    const secondPage = tableLines(second);
    expect(secondPage).toHaveLength(20);
    expect(secondPage.every((l) => /\bWest\b/.test(l))).toBe(true);
    expect(secondPage).not.toEqual(firstPage);
    await alice.click(card, '◀ Previous');
    expect(tableLines(alice.view(card))).toEqual(firstPage);
    expect(activityText(alice.view(card))).toMatch(/Rows 1–20 of \d+/);

    const pageData = dataOf(second, /Next/);
    const bob = w().client('bob', 'group', { autoSso: false, autoRefresh: false });
    const before = await counters();
    const asIs = await bob.invoke('adaptiveCard/action', cardActionValue('result.page', pageData, 'manual'));
    expect(asIs.status).toBe(200);
    expect(JSON.stringify(asIs.body)).toMatch(/Answer for Alice Wong.*Only the person who asked can see this result/);
    expect(JSON.stringify(asIs.body)).not.toMatch(/West|"type":"Table"/);
    expect((await counters()).gets - before.gets).toBe(0);
    // Card data naming bob as the asker gets him nothing either: Genie serves alice's message only to her.
    const forged = await bob.invoke('adaptiveCard/action', cardActionValue('result.page', { ...pageData, askerOid: bob.user.objectId }, 'manual'));
    expect(JSON.stringify(forged.body)).not.toMatch(/West|"type":"Table"/);
  });

  test('when alice asks for two things, then her answer shows both query attachments with their titles and rows', async () => {
    const alice = w().client('alice');
    const card = await ask(alice, 'What are total sales by region, and also how many orders are pending?');
    const text = activityText(alice.view(card));
    expect(text).toMatch(/Total sales by region/);
    expect(text).toMatch(/Number of orders \(status pending\)/);
    expect(JSON.stringify(adaptiveCardOf(alice.view(card))).match(/"type":"Table"/g)).toHaveLength(2);
    expect(text).toMatch(/two results/);
  });

  test('when alice pages an answer whose result expired, then Genie executes the query again once and she gets her rows', async () => {
    const alice = w().client('alice');
    const card = await ask(alice, 'Show the latest 40 orders');
    const ref = dataOf(alice.view(card), /Next/);
    const expire = await fetch(control('expire'), { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ messageId: ref.messageId }) });
    expect(expire.status).toBe(200);
    const before = await counters();
    const next = await alice.click(card, 'Next ▶');
    expect(next.status).toBe(200);
    expect(hasTable(alice.view(card))).toBe(true);
    expect(activityText(alice.view(card))).toMatch(/Rows 21–40 of 40/);
    await alice.click(card, '◀ Previous');
    expect(hasTable(alice.view(card))).toBe(true);
    const after = await counters();
    expect(after.executeQueries - before.executeQueries).toBe(1);
  });

  test('when alice sends 👎 with a comment, then Genie records the rating and her words; a comment over the limit is refused with its length and nothing is sent', async () => {
    const alice = w().client('alice');
    const card = await ask(alice, 'How many orders were cancelled in each region?');
    const send = dataOf(alice.view(card), /Send feedback/);
    expect(send.rating).toBe('NEGATIVE');
    const feedback = async (): Promise<{ messageId: string; rating: string; comment?: string }[]> => (await (await fetch(control('feedback'))).json()) as never;

    const tooLong = await alice.invoke('adaptiveCard/action', cardActionValue('result.feedback', { ...send, comment: 'x'.repeat(1500) }, 'manual'), card.id);
    expect(JSON.stringify(tooLong.body)).toMatch(/1500 characters; please shorten it to at most 1000/);
    expect((await feedback()).filter((f) => f.messageId === send.messageId)).toEqual([]);

    const sent = await alice.invoke('adaptiveCard/action', cardActionValue('result.feedback', { ...send, comment: '  Cancelled East orders are missing.  ' }, 'manual'), card.id);
    expect(JSON.stringify(sent.body)).toMatch(/comment were sent to Genie/);
    expect((await feedback()).filter((f) => f.messageId === send.messageId)).toEqual([{ messageId: send.messageId, rating: 'NEGATIVE', comment: 'Cancelled East orders are missing.' }]);
  });
});
