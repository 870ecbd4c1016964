/**
 * Four-eyes through a real bot process on the emulators: a change over the threshold needs a member
 * of the approvers group, and membership is asked of (emulated) Microsoft Graph at the click with the
 * approver's own token. Executions are counted by the warehouse's query history, Graph calls by the
 * Graph emulator, refusals read back from the bot's audit log in Cosmos.
 */
import { randomUUID } from 'node:crypto';
import { graphControlClient, type GraphControlClient } from '../../emulators/graph/control-client';
import { cardActionValue } from '../../emulators/teams/activities';
import { demoUser } from '../../emulators/teams/accounts';
import { activityText } from '../../emulators/teams/card-text';
import type { TeamsClient } from '../../emulators/teams/client';
import type { RecordedActivity } from '../../emulators/teams/types';
import { createCosmosClient } from '../../src/persistence/cosmos-client';
import { createPersistence, type Persistence } from '../../src/persistence/persistence';
import type { AuditEvent } from '../../src/persistence/ports';
import { E2E_TIMEOUT_MS, startWorld, type E2eWorld } from './support/harness';
import { approvalIdOf, buttonTitles, executionsOf, waitForApprovalCard, waitForCardState, withBotOutput, writeSqlOf } from './support/waits';

jest.setTimeout(E2E_TIMEOUT_MS);

const ALICE = demoUser('alice');
const CAROL = demoUser('carol');
const BOB = demoUser('bob');
/** West orders in a range no other e2e file touches: about 50 rows, over the lowered threshold of 10. */
const bigChange = (from: number): string => `run: UPDATE main.retail.orders SET status = 'shipped' WHERE region = 'West' AND order_id BETWEEN ${from} AND ${from + 199}`;

describe('four-eyes approvals with membership from Microsoft Graph, end to end', () => {
  let world: E2eWorld | undefined;
  let graph: GraphControlClient;
  let persistence: Persistence;
  const databaseId = `e2e-four-eyes-${randomUUID().slice(0, 8)}`;
  const w = (): E2eWorld => world as E2eWorld;
  const test = (name: string, body: () => Promise<void>): void => it(name, withBotOutput(() => world, body));

  /** A personal-chat change request signs the person in (OAuthCard, automatic SSO exchange) without asking Genie. */
  async function signIn(name: string, orderId: number): Promise<void> {
    const client = w().client(name);
    const since = Date.now();
    await client.say(`run: UPDATE main.retail.orders SET status = 'shipped' WHERE order_id = ${orderId}`);
    await waitForApprovalCard(w(), client, since);
    await client.idle();
  }

  async function requestBigChange(from: number): Promise<{ alice: TeamsClient; card: RecordedActivity; approvalId: string; sql: string }> {
    const alice = w().client('alice', 'group');
    const request = bigChange(from);
    const since = Date.now();
    await alice.say(request);
    await alice.idle();
    const card = await waitForApprovalCard(w(), alice, since);
    expect(activityText(card.activity)).toContain('needs approval by a member of the approvers group');
    return { alice, card, approvalId: approvalIdOf(alice.view(card)), sql: writeSqlOf(request) };
  }

  const audit = (approvalId: string): Promise<AuditEvent[]> => persistence.audit.listByApproval(approvalId);
  const deniedTo = (events: AuditEvent[], objectId: string): AuditEvent[] => events.filter((e) => e.kind === 'approval.denied' && e.userObjectId === objectId);

  beforeAll(async () => {
    world = await startWorld({ env: { FOUR_EYES_ROW_THRESHOLD: '10', COSMOS_DATABASE: databaseId } });
    graph = graphControlClient(w().stack.graph.controlUrl);
    const cosmos = createCosmosClient({ endpoint: w().stack.cosmos.endpoint, key: w().stack.cosmos.key, databaseId, endpointDiscovery: false });
    persistence = await createPersistence(cosmos, databaseId);
    await signIn('carol', 104_901);
    await signIn('bob', 104_902);
  });
  afterEach(async () => {
    await graph.clearFaults('carol');
  });
  afterAll(async () => {
    await graph?.clearFaults('carol');
    await world?.stop();
  });

  test('when bob (not in the approvers group) approves a large change, he is refused; when carol (a member) approves, it runs once as alice', async () => {
    const { card, approvalId, sql } = await requestBigChange(104_001);
    const bob = w().client('bob', 'group');
    const carol = w().client('carol', 'group');
    const before = await graph.counters();

    const refused = await bob.invoke('adaptiveCard/action', cardActionValue('approval.approve', { approvalId }, 'manual'), card.id);
    expect(JSON.stringify(refused.body)).toContain('a member of the approvers group, other than the requester, must approve it');
    expect(await executionsOf(w(), ALICE.upn, sql)).toBe(0);
    expect(deniedTo(await audit(approvalId), BOB.objectId).map((e) => e.detail)).toEqual([expect.stringContaining('APPROVAL.APPROVER_REQUIRED')]);

    await carol.refresh(card);
    expect(buttonTitles(carol.view(card))).toContain('Approve');
    await carol.click(card, 'Approve');
    await waitForCardState(w(), card, /Done: \d+ rows? changed/);
    expect(await executionsOf(w(), ALICE.upn, sql)).toBe(1);
    const after = await graph.counters();
    expect((after.byUser[BOB.objectId] ?? 0) - (before.byUser[BOB.objectId] ?? 0)).toBe(1);
    expect((after.byUser[CAROL.objectId] ?? 0) - (before.byUser[CAROL.objectId] ?? 0)).toBe(1);
    expect((await audit(approvalId)).find((e) => e.kind === 'approval.approved')?.userObjectId).toBe(CAROL.objectId);
  });

  test('when Graph is down at carol’s click, she is refused with a clear card, it is audited and nothing runs; when Graph is back, her click runs it once', async () => {
    const { card, approvalId, sql } = await requestBigChange(104_301);
    const carol = w().client('carol', 'group');
    await carol.refresh(card);
    await graph.fault({ mode: 'reset', user: 'carol' });

    const refused = await carol.click(card, 'Approve');
    expect(refused.status).toBe(200);
    expect(activityText(carol.view(card))).toContain('could not be verified with Microsoft Graph');
    expect(buttonTitles(carol.view(card))).toContain('Approve');
    expect(activityText(w().connector.log.get(card.id)?.activity ?? card.activity)).toContain('Waiting for approval');
    expect(await executionsOf(w(), ALICE.upn, sql)).toBe(0);
    const denied = deniedTo(await audit(approvalId), CAROL.objectId);
    expect(denied).toHaveLength(1);
    expect(denied[0]?.detail).toMatch(/APPROVAL\.MEMBERSHIP_UNVERIFIED.*DIRECTORY\.UNAVAILABLE/);
    expect(denied[0]?.outcome).toBe('refused');

    await graph.clearFaults('carol');
    await carol.click(card, 'Approve');
    await waitForCardState(w(), card, /Done: \d+ rows? changed/);
    expect(await executionsOf(w(), ALICE.upn, sql)).toBe(1);
  });
});
