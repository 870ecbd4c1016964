/**
 * Issue 17 items 7 and 8 through a real bot process on the emulators: a four-eyes request from
 * alice's 1:1 chat reaches carol (a member of the approvers group, verified with Microsoft Graph) in
 * her 1:1 chat and the approvers' channel, never bob (not a member); carol decides once and every copy
 * shows the decision; `requests` lists one's own requests, and to a verified approver those waiting.
 */
import { randomUUID } from 'node:crypto';
import { channelConversation } from '../../emulators/teams/activities';
import { demoUser } from '../../emulators/teams/accounts';
import { activityText } from '../../emulators/teams/card-text';
import type { TeamsClient } from '../../emulators/teams/client';
import type { RecordedActivity } from '../../emulators/teams/types';
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

describe('four-eyes requests reach their approvers, end to end', () => {
  let world: E2eWorld | undefined;
  let persistence: Persistence;
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
    const cosmos = createCosmosClient({ endpoint: w().stack.cosmos.endpoint, key: w().stack.cosmos.key, databaseId, endpointDiscovery: false });
    persistence = await createPersistence(cosmos, databaseId);
    await signIn('carol', 102_901);
    await signIn('bob', Number(BOBS_ORDER));
  });
  afterAll(async () => {
    await world?.stop();
  });

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
});
