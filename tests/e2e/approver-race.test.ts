/**
 * Issue 17 item 8, one decision: two members of the approvers group, each with the card in their own
 * 1:1 chat, press Approve at the same moment. Exactly one decision is claimed (the ledger's ETag claim
 * under the thread lease), the change runs once as the requester, the other click is told it was
 * already decided, and every copy shows the one decision. The approvers group is `analysts` here
 * (alice and bob, per the emulated directory), so carol is the requester.
 */
import { randomUUID } from 'node:crypto';
import { demoUser } from '../../emulators/teams/accounts';
import { activityText } from '../../emulators/teams/card-text';
import type { RecordedActivity } from '../../emulators/teams/types';
import { createCosmosClient } from '../../src/persistence/cosmos-client';
import { createPersistence, type Persistence } from '../../src/persistence/persistence';
import { E2E_TIMEOUT_MS, startWorld, type E2eWorld } from './support/harness';
import { approvalIdOf, executionsOf, waitForApprovalCard, waitForCardState, withBotOutput, writeSqlOf } from './support/waits';

jest.setTimeout(E2E_TIMEOUT_MS);

const CAROL = demoUser('carol');
const ANALYSTS_GROUP_ID = '9a000000-0000-4000-8000-000000000001';
const CHANGE = "run: UPDATE main.retail.orders SET status = 'shipped' WHERE region = 'West' AND order_id BETWEEN 103001 AND 103200";

describe('two approvers racing on two copies of one request', () => {
  let world: E2eWorld | undefined;
  let persistence: Persistence;
  const databaseId = `e2e-race-${randomUUID().slice(0, 8)}`;
  const w = (): E2eWorld => world as E2eWorld;

  async function signIn(name: string, orderId: number): Promise<void> {
    const client = w().client(name);
    const since = Date.now();
    await client.say(`run: UPDATE main.retail.orders SET status = 'shipped' WHERE order_id = ${orderId}`);
    await waitForApprovalCard(w(), client, since);
    await client.idle();
  }

  beforeAll(async () => {
    world = await startWorld({ env: { FOUR_EYES_ROW_THRESHOLD: '10', COSMOS_DATABASE: databaseId, APPROVERS_GROUP_ID: ANALYSTS_GROUP_ID } });
    const cosmos = createCosmosClient({ endpoint: w().stack.cosmos.endpoint, key: w().stack.cosmos.key, databaseId, endpointDiscovery: false });
    persistence = await createPersistence(cosmos, databaseId);
    await signIn('alice', 103_901);
    await signIn('bob', 103_902);
  });
  afterAll(async () => {
    await world?.stop();
  });

  it('when alice and bob approve at once, it is decided once, runs once as carol, and all three copies show the same decider', withBotOutput(() => world, async () => {
    const carol = w().client('carol');
    const since = Date.now();
    await carol.say(CHANGE);
    const card = await waitForApprovalCard(w(), carol, since);
    expect(activityText(carol.view(card))).toMatch(/Sent for approval to (Alice Wong, Bob Kim|Bob Kim, Alice Wong)\./);
    const approvalId = approvalIdOf(carol.view(card));
    const copyFor = (name: string): Promise<RecordedActivity> =>
      w().connector.log.waitFor((r) => r.activity.type === 'message' && JSON.stringify(r.activity.attachments ?? []).includes(approvalId), {
        conversationId: w().client(name).conversation.id, since, timeoutMs: 60_000,
      });
    const [alicesCopy, bobsCopy] = await Promise.all([copyFor('alice'), copyFor('bob')]);

    const [a, b] = await Promise.all([w().client('alice').click(alicesCopy, 'Approve'), w().client('bob').click(bobsCopy, 'Approve')]);
    const answers = [JSON.stringify(a.body), JSON.stringify(b.body)];
    expect(answers.filter((x) => x.includes('already been decided'))).toHaveLength(1);

    for (const copy of [card, alicesCopy, bobsCopy]) await waitForCardState(w(), copy, /Done: \d+ rows? changed/);
    expect(await executionsOf(w(), CAROL.upn, writeSqlOf(CHANGE))).toBe(1);
    const events = await persistence.audit.listByApproval(approvalId);
    const approved = events.filter((e) => e.kind === 'approval.approved');
    expect(approved).toHaveLength(1);
    expect(events.filter((e) => e.kind === 'write.executed')).toHaveLength(1);
    const decider = approved[0]?.approverName as string;
    for (const copy of [card, alicesCopy, bobsCopy]) {
      expect(activityText(w().connector.log.get(copy.id)?.activity ?? copy.activity)).toContain(decider);
    }
    const loser = events.filter((e) => e.kind === 'approval.denied');
    expect(loser).toHaveLength(1);
    expect(loser[0]?.detail).toContain('APPROVAL.ALREADY_DECIDED');
    expect(loser[0]?.approverObjectId).not.toBe(approved[0]?.approverObjectId);
  }));
});
