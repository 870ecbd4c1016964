import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ConfigError, loadConfig, redactConfig } from '../../../src/config';
import { buildAzureEnv } from '../../fixtures/azure-env';

function problemsOf(fn: () => unknown): string[] {
  try {
    fn();
  } catch (error) {
    if (error instanceof ConfigError) return error.problems;
    throw error;
  }
  throw new Error('expected a ConfigError');
}

function writeStack(dir: string, stack: Record<string, unknown>): string {
  const file = join(dir, 'stack.json');
  writeFileSync(file, JSON.stringify(stack));
  return file;
}

const validStack = {
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

describe('loadConfig', () => {
  const dir = mkdtempSync(join(tmpdir(), 'config-'));

  it('when no Azure settings are present, then the profile is local and reads the stack file', () => {
    const file = writeStack(dir, validStack);
    const config = loadConfig({ env: { LOCAL_STACK_FILE: file }, cwd: dir });
    expect(config.profile).toBe('local');
    expect(config.bot.authenticateInbound).toBe(false);
    expect(config.identity.knownAuthorities).toEqual(['localhost:47001']);
    expect(config.server.port).toBe(3978);
    expect(Object.isFrozen(config.identity)).toBe(true);
    expect(config.graph).toEqual({ baseUrl: 'https://localhost:47004', membershipToken: 'delegated' });
  });

  it('when the stack file has no Graph emulator, then local mode names the missing key', () => {
    const file = writeStack(dir, { ...validStack, graph: undefined });
    expect(problemsOf(() => loadConfig({ env: { LOCAL_STACK_FILE: file }, cwd: dir })).join('\n')).toMatch(/graph/);
  });

  it('when the stack file is missing, then local mode says how to start the emulators', () => {
    const problems = problemsOf(() => loadConfig({ env: { LOCAL_STACK_FILE: join(dir, 'nope.json') }, cwd: dir }));
    expect(problems).toEqual([expect.stringContaining('npm run emulators')]);
  });

  it('when the stack file is incomplete, then every missing key is named', () => {
    const file = writeStack(dir, { ...validStack, botAppId: undefined, cosmos: {} });
    const problems = problemsOf(() => loadConfig({ env: { LOCAL_STACK_FILE: file }, cwd: dir }));
    expect(problems.join('\n')).toMatch(/botAppId/);
    expect(problems.join('\n')).toMatch(/cosmos\.endpoint/);
    expect(problems.join('\n')).toMatch(/cosmos\.key/);
  });

  it('when a full Azure profile is given, then it is used with https authority and Databricks scope', () => {
    const config = loadConfig({ env: buildAzureEnv(), cwd: dir });
    expect(config.profile).toBe('azure');
    expect(config.identity.authority).toBe('https://login.microsoftonline.com/22222222-2222-2222-2222-222222222222');
    expect(config.identity.databricksScope).toBe('2ff814a6-3304-4ab8-85cb-cd0e6f879c1d/user_impersonation');
    expect(config.databricks.httpPath).toBe('/sql/1.0/warehouses/abcdef1234567890');
    expect(config.bot.authenticateInbound).toBe(true);
    expect(config.identity.allowedTenantIds).toEqual(['22222222-2222-2222-2222-222222222222']);
    expect(config.graph).toEqual({ baseUrl: 'https://graph.microsoft.com', membershipToken: 'delegated' });
    expect(config.identity.graphScope).toBe('https://graph.microsoft.com/GroupMember.Read.All');
  });

  it('when the deployment chooses the app’s token for the membership check, then the config says so', () => {
    expect(loadConfig({ env: buildAzureEnv({ APPROVERS_MEMBERSHIP_TOKEN: 'application' }), cwd: dir }).graph.membershipToken).toBe('application');
  });

  it('when a bad port, a half-filled Azure profile and an unknown log level come together, then all are reported at once', () => {
    const env = { PORT: 'eighty', LOG_LEVEL: 'loud', BOT_ID: 'x', COSMOS_ENDPOINT: 'https://a/' };
    const problems = problemsOf(() => loadConfig({ env, cwd: dir }));
    expect(problems).toEqual(expect.arrayContaining([
      expect.stringMatching(/^PORT: expected a whole number/),
      expect.stringMatching(/^LOG_LEVEL: expected one of/),
      'BOT_PASSWORD: is required',
      'AAD_APP_CLIENT_SECRET: is required',
      'DATABRICKS_HOST: is required',
      'TOKEN_CACHE_KEY: is required',
    ]));
    expect(problems.some((p) => p.startsWith('LOCAL_STACK_FILE'))).toBe(false);
  });

  it.each([
    ['PORT', '0'], ['PORT', '70000'], ['PORT', '12.5'], ['APPROVAL_TTL_MINUTES', '-1'], ['RESULT_ROW_CAP', 'many'],
    ['COSMOS_ENDPOINT', 'http://acct.documents.azure.com/'], ['COSMOS_ENDPOINT', 'not a url'],
    ['TOKEN_CACHE_KEY', 'c2hvcnQ='], ['BOT_TYPE', 'Personal'], ['LOCAL_PLAYGROUND_SSO', 'yes'],
    ['APPROVERS_MEMBERSHIP_TOKEN', 'groups-claim'], ['APPROVERS_GROUP_ID', 'data-agent-approvers'], ['GRAPH_BASE_URL', 'http://graph.microsoft.com'], ['GRAPH_BASE_URL', 'not a url'],
  ])('when %s is "%s", then it is reported by name', (key, value) => {
    const problems = problemsOf(() => loadConfig({ env: buildAzureEnv({ [key]: value }), cwd: dir }));
    expect(problems.some((p) => p.startsWith(`${key}:`))).toBe(true);
  });

  it('when the Playground SSO shortcut is asked for with Azure settings, then it is refused', () => {
    const problems = problemsOf(() => loadConfig({ env: buildAzureEnv({ LOCAL_PLAYGROUND_SSO: 'true' }), cwd: dir }));
    expect(problems).toEqual([expect.stringMatching(/LOCAL_PLAYGROUND_SSO: refused/)]);
  });

  it('when only part of a language model endpoint is configured, then the missing keys are named', () => {
    const problems = problemsOf(() => loadConfig({ env: buildAzureEnv({ AZURE_OPENAI_ENDPOINT: 'https://oai.example.com' }), cwd: dir }));
    expect(problems).toEqual(['AZURE_OPENAI_API_KEY: is required', 'AZURE_OPENAI_DEPLOYMENT: is required']);
  });

  it('when a .env file holds settings, then they load under the environment, which wins', () => {
    writeFileSync(join(dir, '.env.test'), 'LOG_LEVEL=debug\nPORT=4000\n');
    const config = loadConfig({ env: buildAzureEnv({ PORT: '5000' }), cwd: dir, envFiles: ['.env.test', '.env.missing'] });
    expect(config.logLevel).toBe('debug');
    expect(config.server.port).toBe(5000);
  });
});

describe('redactConfig', () => {
  it('when config is logged, then no secret value survives and the rest does', () => {
    const env = buildAzureEnv({ OPENAI_BASE_URL: 'https://llm.example.com/v1', OPENAI_API_KEY: 'llm-key-value-000', OPENAI_MODEL: 'gpt' });
    const config = loadConfig({ env, cwd: tmpdir() });
    const text = JSON.stringify(redactConfig(config));
    for (const secret of [env.BOT_PASSWORD, env.AAD_APP_CLIENT_SECRET, env.COSMOS_KEY, env.TOKEN_CACHE_KEY, 'llm-key-value-000']) {
      expect(text).not.toContain(secret);
    }
    expect(text).toContain('[redacted]');
    expect(text).toContain(env.DATABRICKS_HOST);
  });
});
