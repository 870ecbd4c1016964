import { activityText, adaptiveCardOf } from '../../emulators/teams/card-text';
import { cardActionValue } from '../../emulators/teams/activities';
import { demoUser } from '../../emulators/teams/accounts';
import { E2E_TIMEOUT_MS, startWorld, type E2eWorld } from './support/harness';
import {
  approvalIdOf,
  buttonTitles,
  executionsOf,
  hasTable,
  SCENARIO,
  waitForApprovalCard,
  waitForCardState,
  withBotOutput,
  writeSqlOf,
} from './support/waits';

jest.setTimeout(E2E_TIMEOUT_MS);

const ALICE = demoUser('alice').upn;

describe('approvals in Teams, end to end', () => {
  let world: E2eWorld | undefined;
  const w = (): E2eWorld => world as E2eWorld;
  const test = (name: string, body: () => Promise<void>): void => it(name, withBotOutput(() => world, body));

  beforeAll(async () => {
    world = await startWorld();
  });
  afterAll(async () => {
    await world?.stop();
  });

  test('when alice asks for a change and approves it, then it runs exactly once as her and the card is updated in place', async () => {
    const alice = w().client('alice');
    const request = SCENARIO.write(100_001);
    const since = Date.now();
    await alice.say(request);
    const card = await waitForApprovalCard(w(), alice, since);
    expect(activityText(card.activity)).toContain(writeSqlOf(request));
    expect(buttonTitles(card.activity)).toEqual(expect.arrayContaining(['Approve', 'Reject']));
    expect(await executionsOf(w(), ALICE, writeSqlOf(request))).toBe(0);

    const click = await alice.click(card, 'Approve');
    expect(click.status).toBe(200);
    const done = await waitForCardState(w(), card, /Done: \d+ rows? changed/);
    expect(buttonTitles(done.activity)).not.toContain('Approve');
    expect(await executionsOf(w(), ALICE, writeSqlOf(request))).toBe(1);

    const replay = await alice.invoke('adaptiveCard/action', cardActionValue('approval.approve', { approvalId: approvalIdOf(card.versions[0]?.activity ?? card.activity) }, 'manual'), card.id);
    expect(replay.status).toBe(200);
    expect(JSON.stringify(replay.body)).toMatch(/already been decided|Done/);
    expect(await executionsOf(w(), ALICE, writeSqlOf(request))).toBe(1);
  });

  test('when alice rejects a change, then it never runs and the card says Rejected', async () => {
    const alice = w().client('alice');
    const request = SCENARIO.write(100_101);
    const since = Date.now();
    await alice.say(request);
    const card = await waitForApprovalCard(w(), alice, since);
    await alice.click(card, 'Reject');
    await waitForCardState(w(), card, /Rejected/);
    expect(await executionsOf(w(), ALICE, writeSqlOf(request))).toBe(0);
  });

  test('when bob clicks Approve on alice’s card in a group chat, then he is refused, nothing runs, and alice can still approve', async () => {
    const alice = w().client('alice', 'group');
    const bob = w().client('bob', 'group');
    const request = SCENARIO.write(100_201);
    const since = Date.now();
    await alice.say(request);
    await alice.idle();
    const card = await waitForApprovalCard(w(), alice, since);
    await Promise.all([alice.idle(), bob.idle()]);
    expect(buttonTitles(card.activity)).not.toContain('Approve');
    expect(buttonTitles(alice.view(card))).toContain('Approve');
    expect(buttonTitles(bob.view(card))).not.toContain('Approve');

    const approvalId = approvalIdOf(alice.view(card));
    const forged = await bob.invoke('adaptiveCard/action', cardActionValue('approval.approve', { approvalId }, 'manual'), card.id);
    expect(JSON.stringify(forged.body)).toContain('Only the person who asked for this change');
    expect(await executionsOf(w(), ALICE, writeSqlOf(request))).toBe(0);
    expect(activityText(w().connector.log.get(card.id)?.activity ?? card.activity)).toContain('Waiting for approval');

    await alice.click(card, 'Approve');
    await waitForCardState(w(), card, /Done: \d+ rows? changed/);
    expect(await executionsOf(w(), ALICE, writeSqlOf(request))).toBe(1);
  });

  test('when alice asks a question in a group chat, then the shared card holds no rows and only alice’s own view shows them', async () => {
    const alice = w().client('alice', 'group');
    const bob = w().client('bob', 'group');
    const since = Date.now();
    await alice.say(SCENARIO.question);
    const shared = await w().connector.log.waitFor((r) => r.receivedAt >= since && JSON.stringify(adaptiveCardOf(r.activity) ?? {}).includes('"refresh"'), {
      conversationId: alice.conversation.id,
      timeoutMs: 60_000,
    });
    await alice.idle();
    const sharedNow = w().connector.log.get(shared.id)?.activity ?? shared.activity;

    expect(hasTable(sharedNow)).toBe(false);
    expect(activityText(sharedNow)).not.toMatch(/\bWest\b/);
    expect(hasTable(alice.view(shared))).toBe(true);
    expect(activityText(alice.view(shared))).toMatch(/\bWest\b/);

    await bob.refresh(shared);
    expect(hasTable(bob.view(shared))).toBe(false);
    expect(activityText(bob.view(shared))).not.toMatch(/\bWest\b/);
    const sharedTables = w().connector.log.list(alice.conversation.id).filter((r) => r.receivedAt >= since && r.versions.some((v) => v.source !== 'invoke-response' && hasTable(v.activity)));
    expect(sharedTables).toEqual([]);
  });
});
