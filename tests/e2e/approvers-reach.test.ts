/**
 * Issue 17 items 7 and 8 through a real bot process on the emulators: a four-eyes request from
 * alice's 1:1 chat reaches carol (a member of the approvers group, verified with Microsoft Graph) in
 * her 1:1 chat and the approvers' channel, never bob (not a member); carol decides once and every copy
 * shows the decision; `requests` lists one's own requests, and to a verified approver those waiting;
 * "Show older requests" pages back through one's own, and only one's own, whoever's button it is.
 */
import { randomUUID } from 'node:crypto';
import type { CosmosClient } from '@azure/cosmos';
import { VERBS } from '../../bot/present/verbs';
import type { NewApproval } from '../../src/approvals/record';
import { requesterKey } from '../../src/persistence/approval-index';
import { cardActionValue, channelConversation, invokeActivity } from '../../emulators/teams/activities';
import { demoUser } from '../../emulators/teams/accounts';
import { TENANT_ID } from '../../emulators/shared/directory';
import { activityText } from '../../emulators/teams/card-text';
import { findButton, type TeamsClient } from '../../emulators/teams/client';
import type { Activity, RecordedActivity } from '../../emulators/teams/types';
import { createCosmosClient } from '../../src/persistence/cosmos-client';
import { createPersistence, type Persistence } from '../../src/persistence/persistence';
import { E2E_TIMEOUT_MS, startWorld, type E2eWorld } from './support/harness';
import { approvalIdOf, buttonTitles, executionsOf, pollUntil, waitForApprovalCard, waitForCardState, waitForText, withBotOutput, writeSqlOf } from './support/waits';

jest.setTimeout(E2E_TIMEOUT_MS);

const ALICE = demoUser('alice');
const BOB = demoUser('bob');
const CAROL = demoUser('carol');
const APPROVERS_CHANNEL = '19:local-channel-approvers@thread.tacv2';
const bigChange = (from: number): string => `run: UPDATE main.retail.orders SET status = 'shipped' WHERE region = 'West' AND order_id BETWEEN ${from} AND ${from + 199}`;
const DONE = /Done: \d+ rows? changed/;
const SHOW_OLDER = 'Show older requests';

/** A small change request as the bot stores it, created directly in the ledger and the index (as the repository does). */
const seededRequest = (who: typeof ALICE, orderId: number): NewApproval => ({
  threadId: `seed-${who.objectId}`, conversationId: `seed-${who.objectId}`, requester: { tenantId: TENANT_ID, objectId: who.objectId, name: who.displayName },
  sql: `UPDATE main.retail.orders SET status = 'shipped' WHERE order_id = ${orderId}`, operation: 'UPDATE', targetTables: ['main.retail.orders'],
  impact: { rows: 1, description: '1 row', unbounded: false }, requiresApprover: false, ttlMinutes: 60,
});

/** The SQL of each request card in a listing message, in order (the "Show older requests" card has none). */
function listedSql(activity: Activity): string[] {
  const containers = (activity.attachments ?? []).flatMap((a) => ((a.content as { body?: { type: string; items?: { text?: string }[] }[] }).body ?? []).filter((b) => b.type === 'Container'));
  return containers.map((c) => c.items?.[0]?.text ?? '');
}

describe('four-eyes requests reach their approvers, end to end', () => {
  let world: E2eWorld | undefined;
  let persistence: Persistence;
  let cosmos: CosmosClient;
  /** The order id of bob's own request (its SQL text is the guard's canonical form, which keeps the number). */
  const BOBS_ORDER = '102902';
  const databaseId = `e2e-reach-${randomUUID().slice(0, 8)}`;
  const w = (): E2eWorld => world as E2eWorld;
  const test = (name: string, body: () => Promise<void>): void => it(name, withBotOutput(() => world, body));
  const channel = (name: string): TeamsClient => w().client(name, 'channel', { conversation: channelConversation(APPROVERS_CHANNEL, 'Approvers') });
  /** The approval card with this id posted in the client's conversation since `since`. */
  const copyIn = (client: TeamsClient, approvalId: string, since: number): Promise<RecordedActivity> =>
    w().connector.log.waitFor((r) => r.activity.type === 'message' && JSON.stringify(r.activity.attachments ?? []).includes(approvalId), { conversationId: client.conversation.id, since, timeoutMs: 60_000 });
  const cardsIn = (client: TeamsClient, since: number): string =>
    w().connector.log.list(client.conversation.id).filter((r) => r.receivedAt >= since).map((r) => activityText(r.activity)).join('\n');

  /** A personal-chat change request signs the person in (and stores their 1:1 conversation reference). */
  async function signIn(name: string, orderId: number): Promise<void> {
    const client = w().client(name);
    const since = Date.now();
    const text = `run: UPDATE main.retail.orders SET status = 'shipped' WHERE order_id = ${orderId}`;
    await client.say(text);
    await waitForApprovalCard(w(), client, since);
    await client.idle();
  }

  async function aliceRequests(from: number): Promise<{ alice: TeamsClient; card: RecordedActivity; approvalId: string; sql: string; since: number }> {
    const alice = w().client('alice');
    const since = Date.now();
    await alice.say(bigChange(from));
    const card = await waitForApprovalCard(w(), alice, since);
    expect(activityText(alice.view(card))).toContain('Sent for approval to');
    return { alice, card, approvalId: approvalIdOf(alice.view(card)), sql: writeSqlOf(bigChange(from)), since };
  }

  beforeAll(async () => {
    world = await startWorld({ env: { FOUR_EYES_ROW_THRESHOLD: '10', COSMOS_DATABASE: databaseId, APPROVERS_CHANNEL_ID: APPROVERS_CHANNEL } });
    cosmos = createCosmosClient({ endpoint: w().stack.cosmos.endpoint, key: w().stack.cosmos.key, databaseId, endpointDiscovery: false });
    persistence = await createPersistence(cosmos, databaseId);
    await signIn('carol', 102_901);
    await signIn('bob', Number(BOBS_ORDER));
  });
  afterAll(async () => {
    cosmos?.dispose();
    await world?.stop();
  });

  /** The listing message (request cards, `list` layout) posted in the client's conversation since `since`. */
  const listingIn = (client: TeamsClient, since: number): Promise<RecordedActivity> =>
    w().connector.log.waitFor((r) => r.activity.type === 'message' && r.activity.attachmentLayout === 'list', { conversationId: client.conversation.id, since, timeoutMs: 60_000 });

  /**
   * Cosmos returns entries with the same `createdAt` in any order; the emulator returns them in the
   * order they were written. Writing the tie's index entries again, smallest id first, gives a page
   * boundary inside the tie the worst order (a page that trusted it would skip the greater ids).
   */
  async function worstTieOrder(idsAscending: string[], createdAt: string): Promise<void> {
    const container = cosmos.database(databaseId).container('approvalIndex');
    const key = requesterKey(TENANT_ID, ALICE.objectId);
    for (const id of idsAscending) await container.item(id, key).delete();
    for (const id of idsAscending) await container.items.create({ id, key, createdAt });
  }

  /** Everything `who` ever requested, newest first, read from the index container directly (not through the paging under test). */
  async function allRequestsOf(who: typeof ALICE): Promise<string[]> {
    const query = { query: 'SELECT c.id, c.createdAt FROM c WHERE c.key = @key', parameters: [{ name: '@key', value: requesterKey(TENANT_ID, who.objectId) }] };
    const { resources } = await cosmos.database(databaseId).container('approvalIndex').items.query<{ id: string; createdAt: string }>(query).fetchAll();
    resources.sort((a, b) => (a.createdAt === b.createdAt ? (a.id < b.id ? 1 : -1) : a.createdAt < b.createdAt ? 1 : -1));
    return Promise.all(resources.map(async (r) => (await persistence.approvals.get(r.id))?.sql ?? `missing ${r.id}`));
  }

  test('a four-eyes request from alice’s 1:1 reaches carol’s 1:1 and the approvers channel, not bob; carol approves once and every copy shows it', async () => {
    const { alice, card, approvalId, sql, since } = await aliceRequests(102_001);
    expect(activityText(alice.view(card))).toContain('Sent for approval to Carol Diaz, the approvers channel.');
    const carol = w().client('carol');
    const carolsCopy = await copyIn(carol, approvalId, since);
    const channelCopy = await copyIn(channel('carol'), approvalId, since);
    expect(buttonTitles(carol.view(carolsCopy))).toEqual(['Approve', 'Reject']);
    expect(cardsIn(w().client('bob'), since)).not.toContain('Approve UPDATE');

    // The requester's copy is stored just after her card is posted.
    const stored = await pollUntil(async () => {
      const record = await persistence.approvals.get(approvalId);
      return (record?.delivery?.copies.length ?? 0) >= 3 && record;
    }, 30_000, 'the approval never had three stored copies');
    expect(stored.delivery?.copies.map((c) => [c.kind, c.activityId]).sort()).toEqual(
      [['approver', carolsCopy.id], ['channel', channelCopy.id], ['requester', card.id]].sort(),
    );
    const delivered = (await persistence.audit.listByApproval(approvalId)).filter((e) => e.kind === 'approval.delivered');
    expect(delivered.map((e) => [e.activityId, e.approverObjectId]).sort()).toEqual([[carolsCopy.id, CAROL.objectId], [channelCopy.id, undefined]].sort());

    const click = await carol.click(carolsCopy, 'Approve');
    await waitForCardState(w(), card, DONE);
    await waitForCardState(w(), channelCopy, DONE);
    await waitForCardState(w(), carolsCopy, DONE);
    expect(await executionsOf(w(), ALICE.upn, sql)).toBe(1);
    for (const copy of [card, channelCopy, carolsCopy]) {
      const text = activityText(w().connector.log.get(copy.id)?.activity ?? copy.activity);
      expect(text).toContain('Approved by');
      expect(text).toContain('Carol Diaz');
      expect(w().connector.log.get(copy.id)?.versions.some((v) => v.source === 'connector')).toBe(true);
    }
    const approved = (await persistence.audit.listByApproval(approvalId)).filter((e) => e.kind === 'approval.approved');
    expect(approved).toHaveLength(1);
    expect(approved[0]).toMatchObject({ userObjectId: CAROL.objectId, approverObjectId: CAROL.objectId, approverName: 'Carol Diaz', activityId: click.activity.id });
    const executed = (await persistence.audit.listByApproval(approvalId)).find((e) => e.kind === 'write.executed');
    expect(executed).toMatchObject({ userObjectId: ALICE.objectId, approverObjectId: CAROL.objectId });
  });

  test('when bob (not an approver) clicks Approve on the channel copy, he is refused and nothing runs', async () => {
    const { approvalId, sql, since } = await aliceRequests(102_301);
    const channelCopy = await copyIn(channel('bob'), approvalId, since);
    const refused = await channel('bob').click(channelCopy, 'Approve');
    expect(JSON.stringify(refused.body)).toContain('a member of the approvers group, other than the requester, must approve it');
    expect(await executionsOf(w(), ALICE.upn, sql)).toBe(0);
    const denied = (await persistence.audit.listByApproval(approvalId)).filter((e) => e.kind === 'approval.denied');
    expect(denied.map((e) => e.approverObjectId)).toEqual([BOB.objectId]);
  });

  test('requests: alice sees hers and not bob’s; bob sees nothing waiting; carol sees alice’s waiting request and approves it from the list, which updates every copy', async () => {
    const { card, approvalId, sql } = await aliceRequests(102_601);
    const alice = w().client('alice');
    let since = Date.now();
    await alice.say('requests');
    const alicesSummary = await waitForText(w(), alice, /Your change requests, newest first/, since);
    expect(activityText(alicesSummary.activity)).not.toContain('Waiting for your approval');
    await waitForText(w(), alice, new RegExp(`BETWEEN 102601 AND 102800`), since);
    expect(cardsIn(alice, since)).not.toContain(BOBS_ORDER);

    const bob = w().client('bob');
    since = Date.now();
    await bob.say('requests');
    // The summary is the listing's first message: it says whether anything waits for the reader.
    const bobsSummary = await waitForText(w(), bob, /Your change requests, newest first/, since);
    expect(activityText(bobsSummary.activity)).not.toContain('Waiting for your approval');
    await waitForText(w(), bob, new RegExp(BOBS_ORDER), since);
    expect(cardsIn(bob, since)).not.toContain('102601');

    const carol = w().client('carol');
    since = Date.now();
    await carol.say('requests');
    await waitForText(w(), carol, /Waiting for your approval: \d+/, since);
    const listed = await w().connector.log.waitFor(
      (r) => r.activity.type === 'message' && r.receivedAt >= since && JSON.stringify(r.activity.attachments ?? []).includes(approvalId) && buttonTitles(r.activity).includes('Approve'),
      { conversationId: carol.conversation.id, timeoutMs: 60_000 },
    );
    await carol.click(listed, 'Approve');
    await waitForCardState(w(), card, DONE);
    await waitForCardState(w(), listed, DONE);
    expect(await executionsOf(w(), ALICE.upn, sql)).toBe(1);
  });

  test('Show older requests: alice (more than 10) sees 10, then pages back with Show older requests to the rest, no overlap and no gap; bob clicking her button with forged data sees only his own', async () => {
    // Older requests, 7 of alice's in one millisecond so a page boundary falls inside the tie (with or without this file's newer ones).
    const day = Date.UTC(2025, 0, 15, 9);
    const tied: string[] = [];
    for (let i = 0; i < 12; i += 1) {
      const record = await persistence.approvals.create(seededRequest(ALICE, 880_001 + i), new Date(day + (i < 7 ? 0 : i) * 60_000));
      if (i < 7) tied.push(record.id);
    }
    await worstTieOrder(tied.sort(), new Date(day).toISOString());
    const bobsSeeded: string[] = [];
    for (let i = 0; i < 3; i += 1) bobsSeeded.unshift((await persistence.approvals.create(seededRequest(BOB, 890_001 + i), new Date(day - (10 - i) * 60_000))).sql);
    const expected = await allRequestsOf(ALICE);
    expect(expected.length).toBeGreaterThan(10);

    const alice = w().client('alice');
    let since = Date.now();
    await alice.say('requests');
    await waitForText(w(), alice, /Your change requests, newest first \(10, older ones with "Show older requests" below\)/, since);
    let listing = await listingIn(alice, since);
    expect(listedSql(listing.activity)).toHaveLength(10);
    const alicesButton = listing;
    const seen = [...listedSql(listing.activity)];
    while (buttonTitles(listing.activity).includes(SHOW_OLDER)) {
      since = Date.now();
      const click = await alice.click(listing, SHOW_OLDER);
      expect(click.body).toMatchObject({ statusCode: 200, value: 'Listing your older requests…' });
      await waitForText(w(), alice, /Your older change requests, newest first/, since);
      listing = await listingIn(alice, since);
      seen.push(...listedSql(listing.activity));
      if (buttonTitles(listing.activity).includes(SHOW_OLDER)) expect(listedSql(listing.activity)).toHaveLength(10);
    }
    expect(seen).toEqual(expected);

    // Bob sends the data of alice's button from his own 1:1 chat, naming her as well: he gets his own older requests only.
    const bob = w().client('bob');
    const data = findButton(alicesButton.activity, SHOW_OLDER).data as Record<string, unknown>;
    expect(Object.keys(data).sort()).toEqual(['olderThan', 'olderThanId']);
    since = Date.now();
    const forged = await bob.post(invokeActivity(bob.context, 'adaptiveCard/action', cardActionValue(VERBS.requestsOlder, { ...data, userObjectId: ALICE.objectId, requester: { objectId: ALICE.objectId } }, 'manual')));
    expect(forged.body).toMatchObject({ statusCode: 200, value: 'Listing your older requests…' });
    await waitForText(w(), bob, /Your older change requests, newest first \(3\):/, since);
    expect(listedSql((await listingIn(bob, since)).activity)).toEqual(bobsSeeded);
    expect(cardsIn(bob, since)).not.toMatch(/order_id = 88000\d|102601/);

    const malformed = await bob.post(invokeActivity(bob.context, 'adaptiveCard/action', cardActionValue(VERBS.requestsOlder, { olderThan: 'yesterday', olderThanId: 'x' }, 'manual')));
    expect(malformed.body).toEqual({ statusCode: 400, type: 'application/vnd.microsoft.error', value: { code: 'BadRequest', message: 'The card action has no valid "olderThan".' } });
  });
});
