/**
 * Faults and bad input against real bot processes: a crash between the SQL submit and the
 * checkpoint, the identity provider down at sign-in, Genie failing, and a barrage of malformed
 * requests. Each gets a clear answer; nothing runs twice; the same process keeps serving.
 */
import { randomUUID } from 'node:crypto';
import { invokeActivity, messageActivity, cardActionValue } from '../../../emulators/teams/activities';
import { demoUser } from '../../../emulators/teams/accounts';
import { activityText } from '../../../emulators/teams/card-text';
import { USER_MESSAGES } from '../../../src/errors';
import { createCosmosClient } from '../../../src/persistence/cosmos-client';
import { E2E_TIMEOUT_MS, startWorld, type E2eWorld } from '../support/harness';
import { SCENARIO, approvalIdOf, botMessagesSince, executionsOf, sleep, waitForAnswer, waitForApprovalCard, waitForText, withBotOutput, writeSqlOf } from '../support/waits';

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
    await control('latency', { operation: 'execute', ms: 0 }).catch(() => undefined);
    await world?.stop();
  });

  test('when the bot is killed after the SQL was submitted and before the checkpoint, then the statement runs once and a click after the restart never submits it again', async () => {
    const alice = w().client('alice');
    const request = SCENARIO.write(101_001);
    const since = Date.now();
    await alice.say(request);
    const card = await waitForApprovalCard(w(), alice, since);
    const approvalId = approvalIdOf(card.activity);
    const cosmos = createCosmosClient({ endpoint: w().stack.cosmos.endpoint, key: w().stack.cosmos.key, databaseId: DATABASE, endpointDiscovery: false });
    const ledger = cosmos.database(DATABASE).container('approvals');
    const record = async (): Promise<{ status?: string; statementId?: string } | undefined> => (await ledger.item(approvalId, approvalId).read<{ status?: string; statementId?: string }>()).resource;
    try {
      await control('latency', { operation: 'execute', ms: 8000 });
      void alice.click(card, 'Approve').catch(() => undefined);
      const deadline = Date.now() + 60_000;
      let statementId: string | undefined;
      while (!statementId) {
        if (Date.now() > deadline) throw new Error('the statement id never reached the ledger');
        await sleep(100);
        statementId = (await record())?.statementId;
      }
      await w().bots[0]?.crash();
      await control('latency', { operation: 'execute', ms: 0 });
      await w().bots[0]?.restart();
      const finished = async (): Promise<number> => (await w().history(demoUser('alice').upn)).filter((q) => q.statementId === statementId && q.status === 'FINISHED').length;
      while ((await finished()) === 0) {
        if (Date.now() > deadline + 30_000) throw new Error('the submitted statement never finished');
        await sleep(200);
      }

      // The dead process may still hold the thread lease (30 s TTL), so this click may or may not settle it; either way it must not resubmit.
      const click = await alice.click(card, 'Approve');
      expect(click.status).toBeLessThan(500);
      await sleep(1000);
      expect(await executionsOf(w(), demoUser('alice').upn, writeSqlOf(request))).toBe(1);
      expect(await record()).toMatchObject({ statementId, status: expect.stringMatching(/^(executing|executed)$/) });
    } finally {
      await control('latency', { operation: 'execute', ms: 0 });
      cosmos.dispose();
    }
  });

  test('when the identity provider is down at sign-in, then the exchange answers 412 (Teams falls back to the sign-in card), the user sees one "Microsoft sign-in is not answering" card with a reference, no data is queried, and the next message works', async () => {
    const user = demoUser('load49');
    await w().entra.fault({ count: 20, error: 'http_503', grant: 'on_behalf_of', user: user.objectId });
    const client = w().client('load49');
    const since = Date.now();
    const notAnswering = /Microsoft sign-in is not answering/;
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

  test('when malformed, incomplete, oversized and unknown requests arrive, then each gets a clear error and the same process keeps serving', async () => {
    const carol = w().client('carol');
    const bot = w().bots[0];
    if (!bot) throw new Error('no bot');
    const pid = bot.pid;
    const raw = async (body: string, contentType = 'application/json'): Promise<number> =>
      (await fetch(bot.messagesUrl, { method: 'POST', headers: { 'content-type': contentType }, body })).status;

    expect(await raw('{"type": "message", "text": ')).toBe(400);
    expect(await raw('[]')).toBe(400);
    expect(await raw(JSON.stringify({ text: 'no type' }))).toBe(400);
    expect(await raw(JSON.stringify({ ...messageActivity(carol.context, 'x'), from: 'not an object' }))).toBe(400);
    expect(await raw(JSON.stringify(messageActivity(carol.context, 'x')), 'text/plain')).toBeGreaterThanOrEqual(400);
    expect(await raw(JSON.stringify(messageActivity(carol.context, 'y'.repeat(2 * 1024 * 1024))))).toBe(413);

    const unknownInvoke = await carol.post(invokeActivity(carol.context, 'composeExtension/unknownThing', {}));
    expect(unknownInvoke.status).toBe(501);
    const unknownVerb = await carol.post(invokeActivity(carol.context, 'adaptiveCard/action', cardActionValue('launchMissiles', { approvalId: 'x' }, 'manual')));
    expect(unknownVerb.status).toBeGreaterThanOrEqual(200);
    expect(JSON.stringify(unknownVerb.body)).toMatch(/launchMissiles|not understood|unknown/i);
    const forged = await carol.post(invokeActivity(carol.context, 'adaptiveCard/action', cardActionValue('approve', { approvalId: 'z'.repeat(500_000), sql: 'DROP TABLE main.retail.orders' }, 'manual')));
    expect(forged.status).toBeLessThan(500);

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
