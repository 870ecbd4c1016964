/**
 * §4 case 4, the part tests/integration/identity/sso-validation.test.ts does not cover: an SSO token
 * that is valid in every other respect but was issued to a client application that is not one of
 * the pre-authorised Teams clients (`azp`).
 */
import { OTHER_APP_ID } from '../../../emulators/shared/directory';
import { isAppError } from '../../../src/errors';
import type { IdentityService } from '../../../src/identity';
import { MemoryTokenCacheStore } from '../../unit/identity/memory-token-cache-store';
import { startEntraFixture, type EntraFixture } from '../identity/entra-fixture';

const TEAMS_DESKTOP = '1fec8e78-bce4-4aaf-ab1b-5451cc387264';
const TEAMS_WEB = '5e3ce6c0-2b1f-4285-8d4b-75ee78787346';

let fx: EntraFixture;
let service: IdentityService;
beforeAll(async () => {
  fx = await startEntraFixture();
  service = fx.newService(new MemoryTokenCacheStore());
});
afterAll(async () => {
  await fx.emulator.stop();
});

async function outcome(token: string): Promise<string> {
  try {
    await service.validateSsoToken(token);
    return 'accepted';
  } catch (error) {
    return isAppError(error) ? error.code : String(error);
  }
}

describe('SSO tokens and the client application that asked for them (azp)', () => {
  it.each([TEAMS_DESKTOP, TEAMS_WEB])('when the token was issued to the Teams client %s, then it is accepted', async (azp) => {
    expect(await outcome(await fx.control.ssoToken('alice', { claims: { azp, appid: azp } }))).toBe('accepted');
  });

  it('when the token was issued to an unlisted client application, then it is rejected before any OBO', async () => {
    const before = (await fx.control.counters()).byUser['a11ce000-0000-4000-8000-000000000001']?.on_behalf_of ?? 0;
    const token = await fx.control.ssoToken('alice', { claims: { azp: OTHER_APP_ID, appid: OTHER_APP_ID } });
    await service.signIn(token).catch(() => undefined);
    const after = (await fx.control.counters()).byUser['a11ce000-0000-4000-8000-000000000001']?.on_behalf_of ?? 0;
    expect(after - before).toBe(0);
    expect(await outcome(token)).toBe('TOKEN.CLIENT');
  });
});
