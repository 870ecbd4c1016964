/**
 * Result-card buttons after a space switch (issue 17 items 1 with 3/4/6), through real bot processes:
 * the card names the answer's space, and refresh, page (also of an expired result), export (consent
 * offer and full download) and feedback read that space as the clicker, on another bot instance than
 * the one that answered (nothing from its in-process cache). The space in the card data is re-checked
 * as the clicker: a space the bot does not offer, or one the clicker cannot see, gets a clean refusal.
 */
import { cardActionValue } from '../../emulators/teams/activities';
import { activityText, renderActivity } from '../../emulators/teams/card-text';
import { HR_SPACE_ID, SANDBOX_SPACE_ID } from '../../emulators/databricks/genie/demo-spaces';
import type { GenieCounters } from '../../emulators/databricks/genie';
import type { TeamsClient } from '../../emulators/teams/client';
import type { Activity } from '../../emulators/teams/types';
import { startUploadSink, type UploadSink } from './support/upload-sink';
import { E2E_TIMEOUT_MS, startWorld, type E2eWorld } from './support/harness';
import { scalarOf, warehouseAs } from './support/warehouse';
import { waitForAnswer, waitForText, withBotOutput } from './support/waits';

jest.setTimeout(E2E_TIMEOUT_MS);

const FILE_CONSENT = 'application/vnd.microsoft.teams.card.file.consent';
type Data = Record<string, unknown>;

describe('result-card buttons after a space switch, end to end (two bot processes)', () => {
  let world: E2eWorld | undefined;
  const w = (): E2eWorld => world as E2eWorld;
  const test = (name: string, body: () => Promise<void>): void => it(name, withBotOutput(() => world, body));
  const control = (path: string): string => `${w().stack.databricks.controlUrl}/genie/${path}`;
  const counters = async (): Promise<GenieCounters> => (await (await fetch(control('counters'))).json()) as GenieCounters;
  let sink: UploadSink | undefined;
  let hrRef: Data | undefined;

  beforeAll(async () => {
    world = await startWorld({ bots: 2 });
    sink = await startUploadSink();
  });
  afterAll(async () => {
    await sink?.close();
    await world?.stop();
  });

  async function ask(client: TeamsClient, question: string): Promise<Activity> {
    const since = Date.now();
    await client.say(question);
    const card = await waitForAnswer(w(), client, since);
    await client.idle();
    return client.view(card);
  }

  /** The ids the result card's Export button carries (the card's `ref`). */
  const refOf = (activity: Activity): Data => {
    const button = renderActivity(activity).buttons.find((b) => b.title === 'Export CSV');
    if (!button) throw new Error(`no Export CSV button: ${renderActivity(activity).buttons.map((b) => b.title).join(', ')}`);
    return button.data as Data;
  };
  const act = (client: TeamsClient, verb: string, data: Data): Promise<{ status: number; body: unknown }> => client.invoke('adaptiveCard/action', cardActionValue(verb, data, 'manual'));
  const hrNames = /Zoe Larsen|Maria Lopez/;

  /** Carol's HR answer, asked on bot 0 after switching her 1:1 chat to People (HR). */
  async function carolHrRef(): Promise<Data> {
    if (hrRef) return hrRef;
    const carol = w().client('carol');
    await ask(carol, 'What are total sales by region?');
    const since = Date.now();
    await carol.say('space People (HR)');
    await waitForText(w(), carol, /now asks the Genie space \*\*People \(HR\)\*\*/, since);
    const answer = await ask(carol, 'List all employees');
    expect(activityText(answer)).toMatch(hrNames);
    hrRef = refOf(answer);
    return hrRef;
  }

  test('when carol switched to HR and refreshes, pages and rates her answer on another bot instance, then each reads HR as her', async () => {
    const ref = await carolHrRef();
    expect(ref.spaceId).toBe(HR_SPACE_ID);
    const carol = w().client('carol', 'personal', { bot: w().bots[1] });

    const refreshed = await act(carol, 'result.refresh', ref);
    expect(refreshed.status).toBe(200);
    expect(JSON.stringify(refreshed.body)).toMatch(hrNames);
    const page = await act(carol, 'result.page', { ...ref, page: 0 });
    expect(JSON.stringify(page.body)).toMatch(hrNames);
    expect(JSON.stringify(page.body)).toMatch(/"type":"Table"/);

    await fetch(control('expire'), { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ messageId: ref.messageId }) });
    const before = await counters();
    const expired = await act(carol, 'result.page', { ...ref, page: 0 });
    expect(JSON.stringify(expired.body)).toMatch(hrNames);
    expect((await counters()).executeQueries - before.executeQueries).toBe(1);

    const rated = await act(carol, 'result.feedback', { ...ref, rating: 'POSITIVE' });
    expect(JSON.stringify(rated.body)).toMatch(/Thanks for the feedback/);
    const feedback = (await (await fetch(control('feedback'))).json()) as { messageId: string; rating: string }[];
    expect(feedback.filter((f) => f.messageId === ref.messageId)).toEqual([expect.objectContaining({ rating: 'POSITIVE' })]);
  });

  test('when carol exports her HR answer on another bot instance, then the consent offer and the uploaded CSV hold every HR row she may see', async () => {
    const ref = await carolHrRef();
    const carol = w().client('carol', 'personal', { bot: w().bots[1] });
    const expected = await scalarOf(warehouseAs(w(), 'carol'), 'SELECT COUNT(*) FROM main.hr.employees');
    const since = Date.now();
    expect((await act(carol, 'result.export', ref)).status).toBe(200);
    const offer = await w().connector.log.waitFor((r) => (r.activity.attachments ?? []).some((a) => a.contentType === FILE_CONSENT), { conversationId: carol.conversation.id, since, timeoutMs: 60_000 });
    const consent = offer.activity.attachments?.find((a) => a.contentType === FILE_CONSENT)?.content as { description: string; acceptContext: Data };
    expect(consent.description).toBe(`Your query result as CSV: ${expected} rows`);
    expect(consent.acceptContext.spaceId).toBe(HR_SPACE_ID);

    const uploadUrl = (sink as UploadSink).url;
    const uploadInfo = { uploadUrl, contentUrl: 'https://onedrive.example/query-result.csv', name: 'query-result.csv', uniqueId: 'u-hr', fileType: 'csv' };
    expect((await carol.invoke('fileConsent/invoke', { type: 'fileUpload', action: 'accept', context: consent.acceptContext, uploadInfo }, offer.id)).status).toBe(200);
    await waitForText(w(), carol, /Uploaded \d+ rows/, since, 90_000);
    const lines = (sink as UploadSink).file().toString('utf8').split('\r\n').filter((l) => l !== '');
    expect(lines[0]).toBe('employee_id,name,department,title,hire_date');
    expect(lines.slice(1)).toHaveLength(expected);
  });

  test('when bob or alice sends carol\'s HR card action, or card data naming themselves as the asker, then they get a clean refusal and no rows', async () => {
    const ref = await carolHrRef();
    const bob = w().client('bob', 'personal', { bot: w().bots[1] });
    const alice = w().client('alice', 'personal', { bot: w().bots[1] });
    await ask(alice, 'What are total sales by region?');
    await ask(bob, 'What are total sales by region?');
    for (const other of [bob, alice]) {
      const asIs = await act(other, 'result.page', { ...ref, page: 0 });
      expect(JSON.stringify(asIs.body)).toMatch(/Only the person who asked can see this result/);
      expect(JSON.stringify(asIs.body)).not.toMatch(hrNames);
    }
    // Alice cannot see People (HR): the re-check as her refuses before any Genie read.
    const aliceForged = await act(alice, 'result.refresh', { ...ref, askerOid: alice.user.objectId });
    expect(JSON.stringify(aliceForged.body)).toMatch(/does not exist or you do not have access/);
    expect(JSON.stringify(aliceForged.body)).not.toMatch(hrNames);
    // Bob may run HR, but Genie serves carol's message only to her.
    const bobForged = await act(bob, 'result.page', { ...ref, page: 0, askerOid: bob.user.objectId });
    expect(JSON.stringify(bobForged.body)).not.toMatch(hrNames);
  });

  test('when card data names a space the bot does not offer (carol can see it), then the action is refused as not offered, with no rows', async () => {
    const ref = await carolHrRef();
    const carol = w().client('carol', 'personal', { bot: w().bots[1] });
    for (const verb of ['result.refresh', 'result.feedback']) {
      const refused = await act(carol, verb, { ...ref, spaceId: SANDBOX_SPACE_ID, rating: 'POSITIVE' });
      expect(JSON.stringify(refused.body)).toMatch(/not offered by this bot/);
      expect(JSON.stringify(refused.body)).not.toMatch(hrNames);
    }
  });

  test('when carol in People (HR) asks in words for a change, then the bot reads her catalog of the HR space as her (its one table), not the retail tables', async () => {
    await carolHrRef();
    const carol = w().client('carol', 'personal', { bot: w().bots[1] });
    const since = Date.now();
    await carol.say('delete the employee with id 12');
    await waitForText(w(), carol, /./, since);
    const reads = (await w().history('carol@contoso.example')).filter((q) => /information_schema/i.test(q.sql) && Date.parse(q.startedAt) >= since);
    // People (HR) lists one table (main.hr.employees); Retail sales lists five, read as IN (:t0, …, :t4).
    expect(reads.map((q) => /table_name IN \(([^)]*)\)/.exec(q.sql)?.[1])).toEqual([':t0']);
  });

  test('when a card from before spaces (no spaceId) is paged, then it reads the default space', async () => {
    const alice = w().client('alice', 'personal', { bot: w().bots[1] });
    const { spaceId, ...old } = refOf(await ask(alice, 'Show the latest 40 orders'));
    expect(spaceId).toBeDefined();
    const page = await act(w().client('alice'), 'result.page', { ...old, page: 1 });
    expect(JSON.stringify(page.body)).toMatch(/Rows 21–40 of 40/);
  });
});
