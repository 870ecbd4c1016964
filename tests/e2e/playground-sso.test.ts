import { activityText } from '../../emulators/teams/card-text';
import { demoUser } from '../../emulators/teams/accounts';
import type { EntraCounters } from '../../emulators/entra/controls';
import { E2E_TIMEOUT_MS, startWorld, type E2eWorld } from './support/harness';
import { botMessagesSince, hasOauthCard, SCENARIO, waitForAnswer, withBotOutput } from './support/waits';

jest.setTimeout(E2E_TIMEOUT_MS);

const obo = (counters: EntraCounters, name: string): number => counters.byUser[demoUser(name).objectId]?.on_behalf_of ?? 0;

/**
 * The Agents Playground cannot do Teams SSO. With LOCAL_PLAYGROUND_SSO=true (local mode only) the bot
 * fetches the user's SSO token from the Entra emulator itself and signs in as the activity's sender.
 * Played here with a client that, like the Playground, never answers an OAuthCard.
 */
describe('the local Playground sign-in shortcut (LOCAL_PLAYGROUND_SSO=true)', () => {
  let world: E2eWorld | undefined;
  const w = (): E2eWorld => world as E2eWorld;

  beforeAll(async () => {
    world = await startWorld({ env: { LOCAL_PLAYGROUND_SSO: 'true' } });
  });
  afterAll(async () => {
    await world?.stop();
  });

  it('when bob, never signed in, asks from a client without SSO, then the bot signs him in through the Entra emulator and answers with East rows', withBotOutput(() => world, async () => {
    const bob = w().client('bob', 'personal', { autoSso: false });
    const before = await w().entra.counters();
    const since = Date.now();
    await bob.say(SCENARIO.question);
    const answer = await waitForAnswer(w(), bob, since);

    expect(botMessagesSince(w(), bob, since).some((r) => r.versions.some((v) => hasOauthCard(v.activity)))).toBe(false);
    expect(obo(await w().entra.counters(), 'bob') - obo(before, 'bob')).toBe(1);
    expect(activityText(answer.activity)).toMatch(/\bEast\b/);
    expect(activityText(answer.activity)).not.toMatch(/\bWest\b/);
  }));
});
