import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ConfigError, loadConfig } from '../../../src/config';
import { buildAzureEnv } from '../../fixtures/azure-env';

const stack = {
  tenantId: 't-1',
  authority: 'https://localhost:47001/t-1',
  caCertPath: '/tmp/ca.pem',
  ssoTokenUrl: 'https://localhost:47001/_local/sso-token',
  botAppId: 'bot-app',
  clientSecret: 'local-secret',
  appIdUri: 'api://localhost/botid-bot-app',
  entra: { baseUrl: 'https://localhost:47001', controlUrl: 'https://localhost:47001/_control' },
  databricks: { host: 'localhost', port: 47002, httpPath: '/sql/1.0/warehouses/wh', warehouseId: 'wh', genieSpaceId: 'space', controlUrl: 'https://localhost:47002/_control' },
  cosmos: { endpoint: 'https://localhost:47003/', key: 'k' },
  graph: { baseUrl: 'https://localhost:47004/', controlUrl: 'https://localhost:47004/_control' },
  tokenCacheKey: Buffer.alloc(32, 1).toString('base64'),
};

describe('BOT_HOST (which SDK hosts the bot)', () => {
  const dir = mkdtempSync(join(tmpdir(), 'bot-host-'));
  const file = join(dir, 'stack.json');
  writeFileSync(file, JSON.stringify(stack));

  it('when BOT_HOST is unset, then the botbuilder + teams-ai host is used', () => {
    expect(loadConfig({ env: { LOCAL_STACK_FILE: file }, cwd: dir }).host).toBe('teams-ai');
  });

  it('when BOT_HOST is agents, then the Agents SDK host is chosen in local and Azure profiles', () => {
    expect(loadConfig({ env: { LOCAL_STACK_FILE: file, BOT_HOST: 'agents' }, cwd: dir }).host).toBe('agents');
    expect(loadConfig({ env: { ...buildAzureEnv(), BOT_HOST: ' agents ' }, cwd: dir }).host).toBe('agents');
  });

  it.each(['Agents', 'teams', 'botbuilder', 'agents-sdk'])('when BOT_HOST is "%s", then start-up stops with a ConfigError naming the allowed values', (value) => {
    let error: unknown;
    try {
      loadConfig({ env: { LOCAL_STACK_FILE: file, BOT_HOST: value }, cwd: dir });
    } catch (caught) {
      error = caught;
    }
    expect(error).toBeInstanceOf(ConfigError);
    expect((error as ConfigError).problems).toEqual([`BOT_HOST: expected one of teams-ai, agents, got "${value}"`]);
  });
});
