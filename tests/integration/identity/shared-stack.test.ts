import { loadConfig } from '../../../src/config';
import { createIdentityService } from '../../../src/identity';
import { silentLogger } from '../../../src/logging';
import { testStack } from '../../support/stack';
import { MemoryTokenCacheStore } from '../../unit/identity/memory-token-cache-store';
import { claimsOf } from './entra-fixture';

/** The identity chain wired exactly as the bot wires it in local mode: config from the stack file. */
describe('identity on the shared emulator stack', () => {
  test('when the local config is loaded from the stack file, then carol signs in and gets her own Databricks token', async () => {
    const stack = testStack();
    const config = loadConfig({ env: { LOCAL_STACK_FILE: process.env.LOCAL_STACK_FILE } });
    const service = createIdentityService({ config: config.identity, cacheStore: new MemoryTokenCacheStore(), encryptionKey: config.tokenCache.encryptionKey, logger: silentLogger() });
    const sso = ((await (await fetch(stack.ssoTokenUrl, { method: 'POST', body: JSON.stringify({ user: 'carol' }) })).json()) as { access_token: string }).access_token;
    const user = await service.signIn(sso);
    expect(user.upn).toBe('carol@contoso.example');
    const claims = claimsOf(await service.tokenProviderFor(user).getDatabricksToken());
    expect(claims).toMatchObject({ oid: user.objectId, tid: stack.tenantId, aud: '2ff814a6-3304-4ab8-85cb-cd0e6f879c1d' });
  });
});
