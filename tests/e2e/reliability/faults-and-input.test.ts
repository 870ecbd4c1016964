/**
 * Faults and bad input against real bot processes: a crash between the SQL submit and the
 * checkpoint, the identity provider down at sign-in, Genie failing, and a barrage of malformed
 * requests. Each gets a clear answer; nothing runs twice; the same process keeps serving.
 */
import { randomUUID } from 'node:crypto';
import { invokeActivity, messageActivity, cardActionValue } from '../../../emulators/teams/activities';
import { demoUser } from '../../../emulators/teams/accounts';
import { activityText } from '../../../emulators/teams/card-text';
import { VERBS } from '../../../bot/present/verbs';
import { USER_MESSAGES } from '../../../src/errors';
import { createCosmosClient } from '../../../src/persistence/cosmos-client';
import { LEASE_ITEM_ID } from '../../../src/persistence/checkpointer/thread-turns';
import { E2E_TIMEOUT_MS, startWorld, type E2eWorld } from '../support/harness';
import { SCENARIO, approvalIdOf, botMessagesSince, executionsOf, pollUntil, sleep, waitForAnswer, waitForApprovalCard, waitForText, withBotOutput, writeSqlOf } from '../support/waits';
import { scalarOf, warehouseAs } from '../support/warehouse';

jest.setTimeout(E2E_TIMEOUT_MS * 2);

const DATABASE = `e2e-rel-${randomUUID().slice(0, 8)}`;

describe('faults and bad input against real bot processes', () => {
  let world: E2eWorld | undefined;
  const w = (): E2eWorld => world as E2eWorld;
  const test = (name: string, body: () => Promise<void>): void => it(name, withBotOutput(() => world, body));
  const control = async (path: string, body: unknown): Promise<void> => {
    const response = await fetch(`${w().stack.databricks.controlUrl}/${path}`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) });
    if (!response.ok) throw new Error(`control ${path}: ${response.status}`);
  };

  beforeAll(async () => {
    world = await startWorld({ bots: 1, env: { COSMOS_DATABASE: DATABASE } });
  });
  afterAll(async () => {
    await control('latency', { latencyMs: { execute: 0, 'execute.dml': 0 } }).catch(() => undefined);
    await world?.stop();
  });

  test('when the bot is killed after the SQL was submitted and before the checkpoint, then after the restart the click settles it from the statement id: executed, rows changed once, never submitted again', async () => {
    const alice = w().client('alice');
    const where = `region = 'West' AND order_id BETWEEN 101001 AND 101050`;
    const change = `UPDATE main.retail.orders SET quantity = quantity + 1 WHERE ${where}`;
    const carolSql = warehouseAs(w(), 'carol');
    const rows = await scalarOf(carolSql, `SELECT count(*) FROM main.retail.orders WHERE ${where}`);
    const before = await scalarOf(carolSql, `SELECT sum(quantity) FROM main.retail.orders WHERE ${where}`);
    const since = Date.now();
    await alice.say(`run: ${change}`);
    const card = await waitForApprovalCard(w(), alice, since);
    const approvalId = approvalIdOf(card.activity);
    const cosmos = createCosmosClient({ endpoint: w().stack.cosmos.endpoint, key: w().stack.cosmos.key, databaseId: DATABASE, endpointDiscovery: false });
    const ledger = cosmos.database(DATABASE).container('approvals');
    type Ledger = { status?: string; statementId?: string; rowsAffected?: number; threadId?: string };
    const record = async (): Promise<Ledger | undefined> => (await ledger.item(approvalId, approvalId).read<Ledger>()).resource;
    try {
      // Only the change is slow (`execute.dml`): the re-count before it must still answer.
      await control('latency', { operation: 'execute.dml', ms: 8000 });
      void alice.click(card, 'Approve').catch(() => undefined);
      const statementId = await pollUntil(async () => (await record())?.statementId, 60_000, 'the statement id never reached the ledger');
      await w().bots[0]?.crash();
      await control('latency', { operation: 'execute.dml', ms: 0 });
      await w().bots[0]?.restart();
      await pollUntil(async () => (await w().history(demoUser('alice').upn)).some((q) => q.statementId === statementId && q.status === 'FINISHED'), 30_000, 'the submitted statement never finished');
      expect(await record()).toMatchObject({ status: 'executing', statementId });
      // The dead process's thread lease (30 s TTL) must lapse first, or the click would only wait for it: the click below must be the recovery.
      // The lease lives beside the thread's checkpoints (`src/persistence/checkpointer/thread-turns.ts`).
      const threadId = (await record())?.threadId ?? '';
      const checkpoints = cosmos.database(DATABASE).container('checkpoints');
      await pollUntil(async () => {
        const lease = (await checkpoints.item(LEASE_ITEM_ID, threadId).read<{ expiresAt: number }>()).resource;
        return !(lease && lease.expiresAt > Date.now()) || undefined;
      }, 60_000, 'the dead process never lost its thread lease');

      const click = await alice.click(card, 'Approve');
      expect(click.status).toBe(200);
      expect(click.body).toMatchObject({ statusCode: 200, type: 'application/vnd.microsoft.card.adaptive' });
      const settled = await pollUntil(async () => {
        const current = await record();
        return current?.status === 'executing' ? undefined : current;
      }, 60_000, 'the approval was never settled after the restart');
      expect(settled).toMatchObject({ status: 'executed', statementId, rowsAffected: rows });
      expect(await executionsOf(w(), demoUser('alice').upn, change)).toBe(1);
      expect((await w().history(demoUser('alice').upn)).filter((q) => q.source === 'warehouse' && q.sql.includes('SET quantity = quantity + 1') && q.sql.includes('101001'))).toHaveLength(1);
      expect(await scalarOf(carolSql, `SELECT sum(quantity) FROM main.retail.orders WHERE ${where}`)).toBe(before + rows);
    } finally {
      await control('latency', { operation: 'execute.dml', ms: 0 });
      await carolSql.close();
      cosmos.dispose();
    }
  });

  test('when the identity provider is down at sign-in, then the exchange answers 412 (Teams falls back to the sign-in card), the user sees one "Microsoft sign-in unavailable" card with a reference, no data is queried, and the next message works', async () => {
    const user = demoUser('load49');
    await w().entra.fault({ count: 20, error: 'http_503', grant: 'on_behalf_of', user: user.objectId });
    const client = w().client('load49');
    const since = Date.now();
    const notAnswering = /Microsoft sign-in unavailable/;
    try {
      await client.say(SCENARIO.question);
      const deadline = Date.now() + 30_000;
      while (client.exchanges.length === 0) {
        if (Date.now() > deadline) throw new Error('no token exchange was attempted');
        await sleep(100);
      }
      await client.idle();
      expect(client.exchanges.map((e) => e.status)).toEqual([412]);
      const card = await waitForText(w(), client, notAnswering, since);
      expect(activityText(card.activity)).toContain(USER_MESSAGES['AUTH.IDENTITY_UNAVAILABLE']);
      expect(activityText(card.activity)).toMatch(/Reference: [0-9a-f-]{36}/);
      await sleep(500);
      expect(botMessagesSince(w(), client, since).filter((r) => notAnswering.test(activityText(r.activity)))).toHaveLength(1);
      expect((await w().history(user.upn)).filter((q) => Date.parse(q.startedAt) >= since)).toHaveLength(0);
    } finally {
      await w().entra.reset();
    }
    const again = Date.now();
    await client.say(SCENARIO.question);
    await waitForAnswer(w(), client, again);
    await client.idle();
    expect(client.exchanges.map((e) => e.status)).toEqual([412, 200]);
    expect(botMessagesSince(w(), client, again).filter((r) => notAnswering.test(activityText(r.activity)))).toHaveLength(0);
  });

  test('when Genie fails the message, then the user gets the Genie error message and the next question is answered', async () => {
    const bob = w().client('bob');
    const warm = Date.now();
    await bob.say(SCENARIO.question);
    await waitForAnswer(w(), bob, warm);
    await control('genie/fail-messages', { count: 1 });
    const since = Date.now();
    await bob.say(SCENARIO.followUp);
    await waitForText(w(), bob, new RegExp(USER_MESSAGES['DATABRICKS.GENIE_FAILED'].slice(0, 30).replace(/[.*+?^${}()|[\]\\]/g, '\\$&')), since);
    const next = Date.now();
    await bob.say(SCENARIO.question);
    await waitForAnswer(w(), bob, next);
  });

  test('when card data is forged on the real approve verb (another person’s approval id, an unknown id, SQL riding along, a 500 KB id), then each is refused with its exact answer and nothing runs', async () => {
    const alice = w().client('alice');
    const carol = w().client('carol');
    const since = Date.now();
    await alice.say(SCENARIO.write(101_201));
    const card = await waitForApprovalCard(w(), alice, since);
    const approvalId = approvalIdOf(card.activity);
    const injected = 'DROP TABLE main.retail.orders';
    const approve = (data: unknown) => carol.post(invokeActivity(carol.context, 'adaptiveCard/action', cardActionValue(VERBS.approvalApprove, data, 'manual'), card.id));
    const historyBefore = (await w().history()).length;

    const stolen = await approve({ approvalId, sql: injected });
    expect(stolen.status).toBe(200);
    // Carol clicks from her own 1:1 chat: the approval belongs to alice's, so nothing of it is shown.
    expect(stolen.body).toEqual({ statusCode: 200, type: 'application/vnd.microsoft.activity.message', value: USER_MESSAGES['APPROVAL.OTHER_CONVERSATION'] });
    expect(JSON.stringify(stolen.body)).not.toContain('UPDATE');

    const unknown = await approve({ approvalId: 'forged-approval-0001', sql: injected });
    expect(unknown.status).toBe(200);
    expect(unknown.body).toEqual({ statusCode: 200, type: 'application/vnd.microsoft.activity.message', value: USER_MESSAGES['APPROVAL.NOT_FOUND'] });

    const huge = await approve({ approvalId: 'z'.repeat(500_000), sql: injected });
    expect(huge.status).toBe(200);
    expect(huge.body).toEqual({ statusCode: 400, type: 'application/vnd.microsoft.error', value: { code: 'BadRequest', message: expect.stringMatching(/^The card action data is too large \(\d+ bytes\)\.$/) } });

    const cosmos = createCosmosClient({ endpoint: w().stack.cosmos.endpoint, key: w().stack.cosmos.key, databaseId: DATABASE, endpointDiscovery: false });
    try {
      const { resource } = await cosmos.database(DATABASE).container('approvals').item(approvalId, approvalId).read<{ status?: string; statementId?: string }>();
      expect(resource).toMatchObject({ status: 'pending' });
      expect(resource?.statementId).toBeUndefined();
    } finally {
      cosmos.dispose();
    }
    const history = await w().history();
    expect(history.slice(historyBefore).filter((q) => q.source === 'warehouse')).toEqual([]);
    expect(history.filter((q) => /DROP/i.test(q.sql))).toHaveLength(0);
    expect(await executionsOf(w(), demoUser('alice').upn, writeSqlOf(SCENARIO.write(101_201)))).toBe(0);
  });

  test('when malformed, incomplete, wrongly typed, oversized and unknown requests arrive, then each gets its exact error and the same process keeps serving', async () => {
    const carol = w().client('carol');
    const bot = w().bots[0];
    if (!bot) throw new Error('no bot');
    const pid = bot.pid;
    const raw = async (body: string, contentType = 'application/json'): Promise<{ status: number; body: unknown }> => {
      const response = await fetch(bot.messagesUrl, { method: 'POST', headers: { 'content-type': contentType }, body });
      const text = await response.text();
      let parsed: unknown = text;
      try {
        parsed = JSON.parse(text);
      } catch {
        // not JSON: compared as text
      }
      return { status: response.status, body: parsed };
    };
    const invalid = (problem: string) => ({ status: 400, body: { error: 'InvalidActivity', message: `The request body is not a valid Bot Framework activity (${problem}).` } });
    const message = (overrides: Record<string, unknown>) => JSON.stringify({ ...messageActivity(carol.context, 'x'), ...overrides });

    expect(await raw('{"type": "message", "text": ')).toEqual({ status: 400, body: { code: 'InvalidContent', message: 'Invalid JSON: Unexpected end of JSON input' } });
    expect(await raw('[]')).toEqual(invalid('body: Expected object, received array'));
    expect(await raw(JSON.stringify({ text: 'no type' }))).toEqual(invalid('type: Required'));
    expect(await raw(message({ from: 'not an object' }))).toEqual(invalid('from: Expected object, received string'));
    expect(await raw(message({ type: 5 }))).toEqual(invalid('type: Expected string, received number'));
    expect(await raw(message({ text: 123 }))).toEqual(invalid('text: Expected string, received number'));
    expect(await raw(message({ conversation: 'c' }))).toEqual(invalid('conversation: Expected object, received string'));
    expect(await raw(message({ recipient: [] }))).toEqual(invalid('recipient: Expected object, received array'));
    expect(await raw(message({ from: { id: 42 } }))).toEqual(invalid('from.id: Expected string, received number'));
    expect(await raw(message({ serviceUrl: 42 }))).toEqual(invalid('serviceUrl: Expected string, received number'));
    expect(await raw(message({ id: { nested: true } }))).toEqual(invalid('id: Expected string, received object'));
    expect(await raw(message({ channelId: null }))).toEqual(invalid('channelId: Expected string, received null'));
    expect(await raw(JSON.stringify(messageActivity(carol.context, 'x')), 'text/plain')).toEqual({ status: 415, body: { code: 'UnsupportedMediaType', message: 'text/plain' } });
    expect(await raw(JSON.stringify(messageActivity(carol.context, 'y'.repeat(2 * 1024 * 1024))))).toEqual({ status: 413, body: { code: 'PayloadTooLarge', message: 'Request body size exceeds 1048576' } });

    const unknownInvoke = await carol.post(invokeActivity(carol.context, 'composeExtension/unknownThing', {}));
    expect(unknownInvoke).toMatchObject({ status: 501, body: { code: 'NotImplemented', message: 'This bot does not handle the "composeExtension/unknownThing" invoke.' } });
    const unknownVerb = await carol.post(invokeActivity(carol.context, 'adaptiveCard/action', cardActionValue('launchMissiles', { approvalId: 'x' }, 'manual')));
    expect(unknownVerb).toMatchObject({ status: 200, body: { statusCode: 400, type: 'application/vnd.microsoft.error', value: { code: 'BadRequest', message: 'Unknown card action "launchMissiles".' } } });
    const stringData = await carol.post(invokeActivity(carol.context, 'adaptiveCard/action', { action: { type: 'Action.Execute', verb: VERBS.approvalApprove, data: 'approvalId=x' }, trigger: 'manual' }));
    expect(stringData).toMatchObject({ status: 200, body: { statusCode: 400, type: 'application/vnd.microsoft.error', value: { code: 'BadRequest', message: 'The card action carried no data object.' } } });
    const numericId = await carol.post(invokeActivity(carol.context, 'adaptiveCard/action', cardActionValue(VERBS.approvalApprove, { approvalId: 12345 }, 'manual')));
    expect(numericId).toMatchObject({ status: 200, body: { statusCode: 400, type: 'application/vnd.microsoft.error', value: { code: 'BadRequest', message: 'The card action has no valid "approvalId".' } } });

    const since = Date.now();
    await carol.say(`tell me ${'about sales '.repeat(9_000)}`);
    await waitForText(w(), carol, new RegExp(USER_MESSAGES['INPUT.TOO_LARGE'].slice(0, 25)), since);

    const next = Date.now();
    await carol.say(SCENARIO.question);
    await waitForAnswer(w(), carol, next);
    expect(bot.pid).toBe(pid);
    expect((await w().history()).filter((q) => /DROP/i.test(q.sql))).toHaveLength(0);
  });
});
