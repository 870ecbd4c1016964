/**
 * The composition root wires each user's catalog view into routing: a change asked in words is
 * derived only over tables of the asker's view, which the bot reads as that user (the Genie space
 * GET, then information_schema on the warehouse under the user's own token).
 */
import { activityText } from '../../emulators/teams/card-text';
import { demoUser } from '../../emulators/teams/accounts';
import { DEMO_DIRECTORY, findUser } from '../../emulators/shared/directory';
import { E2E_TIMEOUT_MS, startWorld, type E2eWorld } from './support/harness';
import { waitForApprovalCard, waitForText, withBotOutput } from './support/waits';

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

  test('when load07 (Can Run on the space, so its definition is refused) asks in words for a change and no tables are configured, then the bot asks for exact SQL and runs nothing', async () => {
    const load07 = w().client('load07');
    const since = Date.now();
    await load07.say('delete the cancelled orders in West');
    const refusal = await waitForText(w(), load07, /Can Edit on the space/, since);
    expect(activityText(refusal.activity)).toContain('`run:`');
    expect((await w().history('load07@contoso.example')).filter((q) => Date.parse(q.startedAt) >= since && /DELETE/i.test(q.sql))).toEqual([]);
  });
});

describe('catalog view with CATALOG_FALLBACK_TABLES, for people who may run the space but not read it', () => {
  let world: E2eWorld | undefined;
  const w = (): E2eWorld => world as E2eWorld;
  const test = (name: string, body: () => Promise<void>): void => it(name, withBotOutput(() => world, body));

  beforeAll(async () => {
    world = await startWorld({ env: { CATALOG_FALLBACK_TABLES: 'main.retail.region_targets,main.retail.orders' } });
  });
  afterAll(async () => {
    await world?.stop();
  });

  test('when load07 (Can Run) asks in words for a change, then the configured tables are read as load07 and the change is derived on the one granted to them', async () => {
    const load07 = w().client('load07');
    const since = Date.now();
    await load07.say('delete the cancelled orders in West');
    const card = await waitForApprovalCard(w(), load07, since);
    expect(activityText(card.activity)).toContain("DELETE FROM main.retail.orders WHERE status = 'cancelled' AND region = 'West'");
    const reads = (await w().history()).filter((q) => /information_schema/i.test(q.sql) && Date.parse(q.startedAt) >= since);
    expect(reads.filter((q) => q.upn === 'load07@contoso.example').length).toBeGreaterThanOrEqual(1);
    expect(reads.filter((q) => !findUser(DEMO_DIRECTORY, q.upn.toLowerCase()))).toEqual([]);
  });
});
