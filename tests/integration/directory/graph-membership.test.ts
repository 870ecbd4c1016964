/**
 * Four-eyes membership through the production chain: msal-node (the identity service, per-user
 * encrypted cache partitions) gets the approver's own Graph token from their cached account, and the
 * production Graph client asks the Graph emulator `checkMemberGroups`. Private Entra and Graph
 * emulators, so faults and counters stay in this file.
 */
import { graphControlClient, type GraphControlClient } from '../../../emulators/graph/control-client';
import { startGraphEmulator, type GraphEmulatorInfo } from '../../../emulators/graph/server';
import { DEMO_DIRECTORY, GRAPH_APP_ID, GRAPH_RESOURCE } from '../../../emulators/shared/directory';
import { ensureDevCa } from '../../../emulators/shared/dev-ca';
import type { RunningEmulator } from '../../../emulators/shared/types';
import { createApproverCheck, type IsApprover } from '../../../src/agents';
import type { GraphMembershipToken } from '../../../src/config';
import { createGraphClient, createGraphMembershipCheck, type GraphClientOptions } from '../../../src/directory';
import { AppError, isAppError } from '../../../src/errors';
import type { IdentityService } from '../../../src/identity/ports';
import type { Principal } from '../../../src/persistence/ports';
import { MemoryTokenCacheStore } from '../../unit/identity/memory-token-cache-store';
import { claimsOf, startEntraFixture, type EntraFixture } from '../identity/entra-fixture';

const userOf = (name: string): Principal => {
  const u = DEMO_DIRECTORY.users.find((x) => x.shortName === name)!;
  return { tenantId: DEMO_DIRECTORY.tenantId, objectId: u.objectId, name: u.displayName };
};
const carol = userOf('carol');
const alice = userOf('alice');
const bob = userOf('bob');
const APPROVERS = DEMO_DIRECTORY.groups.find((g) => g.name === 'approvers')!.id;

async function refusalOf(promise: Promise<unknown>): Promise<AppError> {
  const outcome = await promise.then((value) => ({ value }), (error: unknown) => ({ error }));
  if (!('error' in outcome)) throw new Error(`expected a refusal, got ${JSON.stringify(outcome.value)}`);
  if (!isAppError(outcome.error)) throw new Error(`expected an AppError, got ${String(outcome.error)}`);
  return outcome.error;
}

describe('approvers-group membership from Microsoft Graph (msal-node + Graph client against the emulators)', () => {
  let entra: EntraFixture;
  let graph: RunningEmulator<GraphEmulatorInfo>;
  let control: GraphControlClient;
  let identity: IdentityService;

  const approverCheck = (mode: GraphMembershipToken = 'delegated', client: Partial<GraphClientOptions> = {}, service = identity): IsApprover =>
    createApproverCheck(
      APPROVERS,
      createGraphMembershipCheck(
        createGraphClient({ baseUrl: graph.info.baseUrl, ...client }),
        { userToken: (user) => service.tokenProviderFor(user).getGraphToken(), appToken: () => service.getAppGraphToken() },
        mode,
      ),
    );

  beforeAll(async () => {
    entra = await startEntraFixture();
    const ca = ensureDevCa();
    const info = entra.emulator.info;
    graph = await startGraphEmulator({
      tls: { cert: ca.serverCertPem, key: ca.serverKeyPem, caCertPath: ca.caCertPath },
      entra: { jwksUri: info.jwksUri, issuers: info.issuers, tenantId: info.tenantId, directory: info.directory },
    });
    control = graphControlClient(graph.info.controlUrl);
    identity = entra.newService(new MemoryTokenCacheStore());
    for (const name of ['carol', 'alice']) await identity.signIn(await entra.control.ssoToken(name));
  });
  afterAll(async () => {
    await graph?.stop();
    await entra?.emulator.stop();
  });
  afterEach(async () => {
    await control.reset();
  });

  it('when carol (a member) approves, then Graph says yes, asked with her own Graph token from her cached sign-in', async () => {
    const before = await entra.control.counters();
    expect(await approverCheck()(carol)).toBe(true);
    const counters = await control.counters();
    expect(counters).toMatchObject({ checkMemberGroups: 1, answered: 1, byUser: { [carol.objectId]: 1 } });
    const after = await entra.control.counters();
    expect(after.byUser[carol.objectId]?.on_behalf_of).toBe(before.byUser[carol.objectId]?.on_behalf_of);
    expect(claimsOf(await identity.tokenProviderFor(carol).getGraphToken())).toMatchObject({ aud: GRAPH_RESOURCE, oid: carol.objectId, scp: 'GroupMember.Read.All' });
  });

  it('when alice (not a member) approves, then Graph says no', async () => {
    expect(await approverCheck()(alice)).toBe(false);
    expect((await control.counters()).answered).toBe(1);
  });

  it('when carol decides twice, then Graph is asked twice (no answer is kept beyond one decision)', async () => {
    const check = approverCheck();
    await check(carol);
    await check(carol);
    expect((await control.counters()).checkMemberGroups).toBe(2);
  });

  it('when the deployment uses the app’s token, then /users/{id} answers with application permissions: carol yes, alice no', async () => {
    const check = approverCheck('application');
    expect(await check(carol)).toBe(true);
    expect(await check(alice)).toBe(false);
    expect(claimsOf(await identity.getAppGraphToken())).toMatchObject({ aud: GRAPH_RESOURCE, idtyp: 'app', roles: ['User.Read.All', 'GroupMember.Read.All'] });
    expect(Object.keys((await control.counters()).byUser)).toEqual([entra.emulator.info.botAppId]);
  });

  it.each([
    ['down (connection dropped)', { mode: 'reset' } as const, undefined],
    ['answering 503', { mode: 'http_503' } as const, 503],
    ['answering 500', { mode: 'http_500' } as const, 500],
  ])('when Graph is %s, then carol is not taken for an approver: membership unverified, DIRECTORY.UNAVAILABLE', async (_name, fault, status) => {
    await control.fault({ ...fault, user: 'carol' });
    const refusal = await refusalOf(approverCheck()(carol));
    expect(refusal.code).toBe('APPROVAL.MEMBERSHIP_UNVERIFIED');
    expect(refusal.details.reason).toBe('DIRECTORY.UNAVAILABLE');
    expect(refusal.details.status).toBe(status);
    if (status === undefined) expect(refusal.details.failure).toBe('network');
    await control.clearFaults('carol');
    expect(await approverCheck()(carol)).toBe(true);
  });

  it('when Graph is slower than the client timeout, then the check gives up: unverified (timeout)', async () => {
    await control.fault({ mode: 'delay', delayMs: 3000, count: 1 });
    const refusal = await refusalOf(approverCheck('delegated', { timeoutMs: 300 })(carol));
    expect(refusal.details).toMatchObject({ reason: 'DIRECTORY.UNAVAILABLE', failure: 'timeout' });
    expect(refusal.message).toMatch(/did not answer within 300 ms/);
  });

  it('when Graph throttles with a short Retry-After, then the check waits once and gets the answer', async () => {
    await control.fault({ mode: 'http_429', retryAfterSeconds: 1, count: 1 });
    expect(await approverCheck()(carol)).toBe(true);
    expect(await control.counters()).toMatchObject({ checkMemberGroups: 2, faulted: 1, answered: 1 });
  });

  it('when Graph throttles with a long Retry-After, then the check does not wait: unverified, DIRECTORY.THROTTLED', async () => {
    await control.fault({ mode: 'http_429', retryAfterSeconds: 120 });
    const refusal = await refusalOf(approverCheck()(carol));
    expect(refusal.details).toMatchObject({ reason: 'DIRECTORY.THROTTLED', status: 429, graphCode: 'TooManyRequests', retryAfterSeconds: 120 });
    expect((await control.counters()).checkMemberGroups).toBe(1);
  });

  it('when the token is for another audience (carol’s Azure Databricks token), then Graph answers 401 InvalidAuthenticationToken and she is not taken for an approver', async () => {
    const check = createApproverCheck(
      APPROVERS,
      createGraphMembershipCheck(createGraphClient({ baseUrl: graph.info.baseUrl }), { userToken: (u) => identity.tokenProviderFor(u).getDatabricksToken(), appToken: () => identity.getAppGraphToken() }, 'delegated'),
    );
    const refusal = await refusalOf(check(carol));
    expect(refusal.code).toBe('APPROVAL.MEMBERSHIP_UNVERIFIED');
    expect(refusal.details).toMatchObject({ reason: 'DIRECTORY.DENIED', status: 401, graphCode: 'InvalidAuthenticationToken' });
    expect(refusal.message).toMatch(/Invalid audience/);
    expect((await control.counters()).unauthorized).toBe(1);
  });

  it.each([
    ['expired', { aud: GRAPH_RESOURCE, scp: 'GroupMember.Read.All', expiresInSeconds: -600 }, 401, /expired/],
    ['without a group permission (Mail.Read)', { aud: GRAPH_RESOURCE, scp: 'Mail.Read' }, 403, /Insufficient privileges/],
  ])('when carol’s Graph token is %s, then Graph refuses it and the check fails closed', async (_name, overrides, status, message) => {
    const token = await entra.control.ssoToken('carol', overrides);
    const client = createGraphClient({ baseUrl: graph.info.baseUrl });
    const refusal = await refusalOf(client.checkMemberGroups(token, { kind: 'me' }, [APPROVERS]));
    expect(refusal).toMatchObject({ code: 'DIRECTORY.DENIED', details: { status } });
    expect(refusal.message).toMatch(message);
  });

  it('when a Graph-audience token is signed by another issuer’s key, then Graph answers 401', async () => {
    const stranger = await startEntraFixture();
    try {
      const token = await stranger.control.ssoToken('carol', { aud: GRAPH_RESOURCE, scp: 'GroupMember.Read.All' });
      const refusal = await refusalOf(createGraphClient({ baseUrl: graph.info.baseUrl }).checkMemberGroups(token, { kind: 'me' }, [APPROVERS]));
      expect(refusal).toMatchObject({ code: 'DIRECTORY.DENIED', details: { status: 401, graphCode: 'InvalidAuthenticationToken' } });
    } finally {
      await stranger.emulator.stop();
    }
  });

  it('when the app’s token asks about /me, then Graph answers 400 (delegated only) and the check fails closed', async () => {
    const refusal = await refusalOf(createGraphClient({ baseUrl: graph.info.baseUrl }).checkMemberGroups(await identity.getAppGraphToken(), { kind: 'me' }, [APPROVERS]));
    expect(refusal).toMatchObject({ code: 'DIRECTORY.DENIED', details: { status: 400, graphCode: 'BadRequest' } });
  });

  it('when the approver never signed in to the bot, then there is no Graph token: unverified (AUTH.SIGN_IN_REQUIRED), Graph is not asked', async () => {
    const refusal = await refusalOf(approverCheck()(bob));
    expect(refusal.details).toMatchObject({ reason: 'AUTH.SIGN_IN_REQUIRED' });
    expect((await control.counters()).checkMemberGroups).toBe(0);
  });

  it('when the admin has not consented to Graph for the bot, then the token request fails: unverified (AUTH.CONSENT_REQUIRED)', async () => {
    const noGraph = { ...DEMO_DIRECTORY, apps: DEMO_DIRECTORY.apps.map((a) => ({ ...a, consentedPermissions: a.consentedPermissions.filter((p) => !p.startsWith(GRAPH_RESOURCE)) })) };
    const other = await startEntraFixture({ directory: noGraph });
    try {
      const service = other.newService(new MemoryTokenCacheStore());
      await service.signIn(await other.control.ssoToken('carol'));
      const refusal = await refusalOf(approverCheck('delegated', {}, service)(carol));
      expect(refusal.details).toMatchObject({ reason: 'AUTH.CONSENT_REQUIRED' });
      expect((await control.counters()).checkMemberGroups).toBe(0);
    } finally {
      await other.emulator.stop();
    }
  });

  it.each([GRAPH_RESOURCE, GRAPH_APP_ID])('when the bot exchanges an SSO token on-behalf-of for Graph named as %s, then Entra issues a Graph token that Graph accepts', async (resource) => {
    const info = entra.emulator.info;
    const response = await fetch(`${info.authority}/oauth2/v2.0/token`, {
      method: 'POST',
      body: new URLSearchParams({
        grant_type: 'urn:ietf:params:oauth:grant-type:jwt-bearer',
        requested_token_use: 'on_behalf_of',
        assertion: await entra.control.ssoToken('carol'),
        client_id: info.botAppId,
        client_secret: info.clientSecret,
        scope: `${resource}/GroupMember.Read.All openid profile offline_access`,
      }),
    });
    const token = ((await response.json()) as { access_token: string }).access_token;
    expect(claimsOf(token)).toMatchObject({ aud: resource, scp: 'GroupMember.Read.All', oid: carol.objectId });
    expect(await createGraphClient({ baseUrl: graph.info.baseUrl }).checkMemberGroups(token, { kind: 'me' }, [APPROVERS])).toEqual([APPROVERS]);
  });

  it('when the group list is malformed, then Graph answers 400 and nothing is read as membership', async () => {
    const token = await identity.tokenProviderFor(carol).getGraphToken();
    const refusal = await refusalOf(createGraphClient({ baseUrl: graph.info.baseUrl }).checkMemberGroups(token, { kind: 'me' }, ['approvers']));
    expect(refusal).toMatchObject({ code: 'DIRECTORY.DENIED', details: { status: 400, graphCode: 'Request_BadRequest' } });
  });
});
