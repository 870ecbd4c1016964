import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DEMO_DIRECTORY } from '../../../emulators/shared/directory';
import { azureSettingsPresent } from '../../../scripts/lib/local-only';
import { playgroundConfig } from '../../../scripts/lib/playground';

describe('npm start refuses Azure settings', () => {
  let dir: string;
  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'start-'));
  });
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  it('when no Azure setting is set, then nothing is reported', () => {
    expect(azureSettingsPresent({ PORT: '3978', LOCAL_PLAYGROUND_SSO: 'true' }, dir)).toEqual([]);
  });

  it('when Azure settings come from the environment or a .env file, then each is named', () => {
    writeFileSync(join(dir, '.env'), 'COSMOS_ENDPOINT=https://x.documents.azure.com/\n');
    expect(azureSettingsPresent({ BOT_ID: 'abc', DATABRICKS_HOST: '  ' }, dir)).toEqual(['BOT_ID', 'COSMOS_ENDPOINT']);
  });
});

describe('the Agents Playground configuration', () => {
  it('when generated for alice, then she is the current user with her directory object id, and the chats and channel exist', () => {
    const config = playgroundConfig({ tenantId: DEMO_DIRECTORY.tenantId, botAppId: 'bot-id', as: 'alice' }) as {
      currentUser: { aadObjectId: string; userPrincipleName: string };
      users: unknown[];
      groupChat: { id: string };
      team: { channels: unknown[] };
      tenantId: string;
    };
    expect(config.currentUser).toMatchObject({ aadObjectId: 'a11ce000-0000-4000-8000-000000000001', userPrincipleName: 'alice@contoso.example' });
    expect(config.users.length).toBeGreaterThanOrEqual(5);
    expect(config.users).not.toContainEqual(expect.objectContaining({ aadObjectId: 'a11ce000-0000-4000-8000-000000000001' }));
    expect(config.groupChat.id).toMatch(/^19:/);
    expect(config.team.channels).toHaveLength(1);
    expect(config.tenantId).toBe(DEMO_DIRECTORY.tenantId);
  });
});
