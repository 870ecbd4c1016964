/**
 * §4 cases 5 and 6 through a real bot process: the approval click comes long after the request, when
 * the requester's tokens can no longer be renewed silently (refresh token revoked/expired, MFA now
 * required, consent withdrawn). Token requests are counted by the Entra emulator, executions by the
 * warehouse's query history.
 */
import type { EntraCounters, GrantName } from '../../../emulators/entra/controls';
import { activityText } from '../../../emulators/teams/card-text';
import { USER_MESSAGES } from '../../../src/errors';
import type { TeamsClient } from '../../../emulators/teams/client';
import { DEMO_DIRECTORY, findUser } from '../../../emulators/shared/directory';
import { E2E_TIMEOUT_MS, startWorld, type E2eWorld } from '../support/harness';
import { buttonTitles, executionsOf, SCENARIO, waitForApprovalCard, waitForCardState, waitForText, withBotOutput, writeSqlOf } from '../support/waits';

jest.setTimeout(E2E_TIMEOUT_MS);

const alice = findUser(DEMO_DIRECTORY, 'alice');
if (!alice) throw new Error('no alice in the demo directory');
/** MSAL renews a token with less than five minutes left, so a 290 s token is "expired" for every later silent call. */
const NEARLY_EXPIRED_SECONDS = 290;

describe('approving after the requester’s sign-in has lapsed (cases 5 and 6)', () => {
  let world: E2eWorld | undefined;
  const w = (): E2eWorld => world as E2eWorld;
  const test = (name: string, body: () => Promise<void>): void => it(name, withBotOutput(() => world, body));

  beforeAll(async () => {
    world = await startWorld();
  });
  afterEach(async () => {
    await w().entra.requireMfa('alice', false);
    await w().entra.setAccessTokenLifetime(3600);
    await w().entra.setAssertionClockOffset(0);
  });
  afterAll(async () => {
    await world?.stop();
  });

  /** alice signs in afresh while access tokens are issued nearly expired, then asks for a change; returns the pending card. */
  async function pendingChange(client: TeamsClient, from: number) {
    const signedOut = Date.now();
    await client.say('sign out');
    await waitForText(w(), client, /You are signed out/, signedOut);
    await w().entra.setAccessTokenLifetime(NEARLY_EXPIRED_SECONDS);
    const since = Date.now();
    await client.say(SCENARIO.write(from));
    await client.idle();
    const card = await waitForApprovalCard(w(), client, since);
    await w().entra.setAccessTokenLifetime(3600);
    return card;
  }

  /** Token requests by grant (a revoked refresh token names nobody, so these are the emulator's totals; only alice acts here). */
  async function tokenRequests(): Promise<Record<GrantName, number>> {
    const counters: EntraCounters = await w().entra.counters();
    return counters.byGrant;
  }

  /**
   * Assertions presented to the token endpoint between two counter readings, with how often each has
   * been presented in all: 1 everywhere means no assertion (the sign-in's included) was replayed.
   */
  const presented = (before: EntraCounters, after: EntraCounters): number[] =>
    Object.entries(after.oboAssertions).filter(([uti, n]) => n !== (before.oboAssertions[uti] ?? 0)).map(([, n]) => n);
  const aadsts = (before: EntraCounters, after: EntraCounters, code: number): number => (after.aadstsErrors[code] ?? 0) - (before.aadstsErrors[code] ?? 0);

  const since = (before: Record<GrantName, number>, after: Record<GrantName, number>) => ({
    on_behalf_of: after.on_behalf_of - before.on_behalf_of,
    refresh_token: after.refresh_token - before.refresh_token,
  });

  test('when the refresh token no longer works at the click, then Teams is asked for a fresh SSO token once, and the change runs once as alice', async () => {
    const client = w().client('alice');
    const request = SCENARIO.write(200_001);
    const card = await pendingChange(client, 200_001);
    await w().entra.revoke('alice');
    const before = await tokenRequests();
    const countersBefore = await w().entra.counters();

    const click = await client.click(card, 'Approve');

    expect(client.loginRequests).toHaveLength(1);
    expect(click.status).toBe(200);
    await waitForCardState(w(), card, /Done: \d+ rows? changed/);
    expect(since(before, await tokenRequests())).toEqual({ refresh_token: 1, on_behalf_of: 1 });
    // The one OBO used the assertion Teams just attached, presented once; the sign-in's assertion was not replayed.
    expect(presented(countersBefore, await w().entra.counters())).toEqual([1]);
    expect(await executionsOf(w(), alice!.upn, writeSqlOf(request))).toBe(1);
  });

  test('when Entra finds the SSO token attached to the click expired (AADSTS500133), then nothing runs and no sign-in loop starts; the next click signs in once with a fresh token and runs once; no assertion is presented twice', async () => {
    const client = w().client('alice');
    const request = SCENARIO.write(200_301);
    const card = await pendingChange(client, 200_301);
    await w().entra.revoke('alice');
    const before = await w().entra.counters();

    // Entra's clock runs 70 minutes ahead for assertions: the fresh 1-hour SSO token the bot accepts is expired for Entra.
    await w().entra.setAssertionClockOffset(70 * 60);
    let click;
    try {
      click = await client.click(card, 'Approve');
    } finally {
      await w().entra.setAssertionClockOffset(0);
    }
    const afterExpired = await w().entra.counters();

    expect(client.loginRequests).toHaveLength(1);
    expect(click.status).toBe(200);
    expect(click.body).toEqual({
      statusCode: 200,
      type: 'application/vnd.microsoft.activity.message',
      value: expect.stringMatching(new RegExp(`^${USER_MESSAGES['AUTH.ASSERTION_EXPIRED'].replace(/[.*+?^${}()|[\]\\]/g, '\\$&')} \\(reference [0-9a-f-]{36}\\)$`)),
    });
    expect(aadsts(before, afterExpired, 500133)).toBe(1);
    expect(afterExpired.byGrant.on_behalf_of - before.byGrant.on_behalf_of).toBe(1);
    expect(await executionsOf(w(), alice!.upn, writeSqlOf(request))).toBe(0);
    expect(activityText(client.view(card))).toContain('Waiting for approval');

    await client.click(card, 'Approve');
    await waitForCardState(w(), card, /Done: \d+ rows? changed/);
    const after = await w().entra.counters();
    expect(client.loginRequests).toHaveLength(2);
    expect(after.byGrant.on_behalf_of - before.byGrant.on_behalf_of).toBe(2);
    expect(aadsts(before, after, 500133)).toBe(1);
    expect(presented(before, after)).toEqual([1, 1]);
    expect(await executionsOf(w(), alice!.upn, writeSqlOf(request))).toBe(1);
  });

  test('when Conditional Access now requires MFA, then the request stays pending, at most two token requests are made, and it runs once after MFA', async () => {
    const client = w().client('alice');
    const request = SCENARIO.write(200_101);
    const card = await pendingChange(client, 200_101);
    await w().entra.requireMfa('alice', true);
    const before = await tokenRequests();

    const click = await client.click(card, 'Approve');

    expect(client.loginRequests).toHaveLength(1);
    expect(JSON.stringify(click.body)).toContain('additional verification');
    expect(since(before, await tokenRequests())).toEqual({ refresh_token: 1, on_behalf_of: 1 });
    expect(await executionsOf(w(), alice!.upn, writeSqlOf(request))).toBe(0);
    expect(activityText(client.view(card))).toContain('Waiting for approval');
    expect(buttonTitles(client.view(card))).toContain('Approve');

    await w().entra.requireMfa('alice', false);
    await client.click(card, 'Approve');
    await waitForCardState(w(), card, /Done: \d+ rows? changed/);
    expect(await executionsOf(w(), alice!.upn, writeSqlOf(request))).toBe(1);
  });

  test('when consent was withdrawn, then alice is told an administrator must consent, no sign-in loop starts, and the request stays pending', async () => {
    const client = w().client('alice');
    const request = SCENARIO.write(200_201);
    const card = await pendingChange(client, 200_201);
    await w().entra.fault({ count: 1, error: 'consent_required', grant: 'refresh_token', user: 'alice' });
    const before = await tokenRequests();

    const click = await client.click(card, 'Approve');

    expect(client.loginRequests).toHaveLength(0);
    expect(activityText(client.view(card))).toMatch(/administrator must grant consent[\s\S]*still waiting/);
    expect(buttonTitles(client.view(card))).toContain('Approve');
    expect(click.status).toBe(200);
    expect(since(before, await tokenRequests())).toEqual({ refresh_token: 1, on_behalf_of: 0 });
    expect(await executionsOf(w(), alice!.upn, writeSqlOf(request))).toBe(0);

    await client.click(card, 'Approve');
    await waitForCardState(w(), card, /Done: \d+ rows? changed/);
    expect(await executionsOf(w(), alice!.upn, writeSqlOf(request))).toBe(1);
  });
});
