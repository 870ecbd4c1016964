/**
 * The composition root wires each user's catalog view into routing: a change asked in words is
 * derived only over tables of the asker's view, which the bot reads as that user (the Genie space
 * GET, then information_schema on the warehouse under the user's own token).
 */
import { activityText } from '../../emulators/teams/card-text';
import { demoUser } from '../../emulators/teams/accounts';
import { DEMO_DIRECTORY, findUser } from '../../emulators/shared/directory';
import { E2E_TIMEOUT_MS, startWorld, type E2eWorld } from './support/harness';
import { waitForApprovalCard, withBotOutput } from './support/waits';

jest.setTimeout(E2E_TIMEOUT_MS);

describe('catalog view in a real bot turn', () => {
  let world: E2eWorld | undefined;
  const w = (): E2eWorld => world as E2eWorld;
  const test = (name: string, body: () => Promise<void>): void => it(name, withBotOutput(() => world, body));

  beforeAll(async () => {
    world = await startWorld();
  });
  afterAll(async () => {
    await world?.stop();
  });

  test('when alice asks in words for a change, then the bot reads her catalog as her and derives SQL on a table of her view', async () => {
    const alice = w().client('alice');
    const upn = demoUser('alice').upn;
    const since = Date.now();
    await alice.say('delete the cancelled orders in West');
    const card = await waitForApprovalCard(w(), alice, since);
    expect(activityText(card.activity)).toContain("DELETE FROM main.retail.orders WHERE status = 'cancelled' AND region = 'West'");
    // Other test files share the warehouse, so only this turn's window is read: her catalog was read
    // as her, and no catalog read in that window ran as an identity that is not a person (the bot's app).
    const reads = (await w().history()).filter((q) => /information_schema/i.test(q.sql) && Date.parse(q.startedAt) >= since);
    expect(reads.filter((q) => q.upn === upn).length).toBeGreaterThanOrEqual(1);
    expect(reads.filter((q) => !findUser(DEMO_DIRECTORY, q.upn.toLowerCase()))).toEqual([]);
  });
});
