import { SETTINGS } from '../../../src/config/settings';
import { blockAfter, readBicep } from './support/bicep';
import { readJson, readText } from './support/project';

/** Settings App Service supplies itself: the platform sets PORT for the container and routes to it. */
const PLATFORM_SUPPLIED = new Set(['PORT']);

const MAIN = readBicep('infra/azure.bicep');
const APP_SETTINGS_FILE = 'infra/modules/app-settings.bicep';

/** Setting name → Bicep expression, from the `botSettings` and `llmKeySetting` objects. */
function appSettings(): Map<string, string> {
  const text = readText(APP_SETTINGS_FILE);
  const lines = [...blockAfter(text, /^var botSettings = \{$/, '}'), ...blockAfter(text, /^var llmKeySetting = /, '}')];
  return new Map(lines.map((l) => /^ {2}([A-Z][A-Z0-9_]+): (.+)$/.exec(l)).filter((m) => m !== null).map((m) => [m[1]!, m[2]!] as const));
}

describe('Web App app settings in app-settings.bicep', () => {
  const settings = appSettings();

  it('when the bot runs in Azure, then every azure setting without a default is supplied', () => {
    const required = SETTINGS.filter((s) => s.group === 'azure' && s.default === undefined).map((s) => s.name);
    expect(required.filter((name) => !settings.has(name))).toEqual([]);
  });

  it('when the bot runs in Azure, then every azure and common setting is set explicitly, except those App Service supplies', () => {
    const wanted = SETTINGS.filter((s) => (s.group === 'azure' || s.group === 'common') && !PLATFORM_SUPPLIED.has(s.name)).map((s) => s.name);
    expect(wanted.filter((name) => !settings.has(name))).toEqual([]);
  });

  it('when a setting is not in the settings table, then the bot would never read it, so it is not set', () => {
    const known = new Set(SETTINGS.map((s) => s.name));
    expect([...settings.keys()].filter((name) => !known.has(name))).toEqual([]);
  });

  it('when a setting is secret, then its value is a Key Vault reference and never a parameter', () => {
    for (const spec of SETTINGS.filter((s) => s.secret && settings.has(s.name))) {
      expect({ name: spec.name, value: settings.get(spec.name) }).toEqual({ name: spec.name, value: expect.stringMatching(/^'@Microsoft\.KeyVault\(SecretUri=\$\{\w+Uri\}\)'$/) });
    }
  });

  it('when a secret reaches the main template, then its parameter is @secure()', () => {
    for (const name of ['aadAppClientSecret', 'tokenCacheKey', 'azureOpenAiApiKey']) expect({ name, secure: MAIN.params.get(name)?.secure }).toEqual({ name, secure: true });
  });

  it('when a common setting has a default, then the main template defaults it to the same value', () => {
    const passed = MAIN.modules.find((m) => m.symbol === 'appSettings')!.params;
    for (const spec of SETTINGS.filter((s) => s.group === 'common' && s.default !== undefined && settings.has(s.name))) {
      const moduleParam = settings.get(spec.name)!;
      const mainParam = passed.get(moduleParam);
      expect({ setting: spec.name, default: mainParam === undefined ? undefined : MAIN.params.get(mainParam)?.defaultValue }).toEqual({ setting: spec.name, default: spec.default });
    }
  });
});

describe('Bicep templates wiring', () => {
  it('when azure.parameters.json is applied, then each value names a declared parameter and every required parameter has a value', () => {
    const values = Object.keys((readJson('infra/azure.parameters.json') as { parameters: Record<string, unknown> }).parameters);
    expect(values.filter((p) => !MAIN.params.has(p))).toEqual([]);
    expect([...MAIN.params].filter(([name, p]) => p.defaultValue === undefined && !values.includes(name)).map(([name]) => name)).toEqual([]);
  });

  it('when the local bot registration is deployed on its own, then its parameter file fits bot-registration.bicep', () => {
    const bot = readBicep('infra/modules/bot-registration.bicep');
    const values = Object.keys((readJson('infra/azure.parameters.local.json') as { parameters: Record<string, unknown> }).parameters);
    expect(values.filter((p) => !bot.params.has(p))).toEqual([]);
    expect([...bot.params].filter(([name, p]) => p.defaultValue === undefined && !values.includes(name)).map(([name]) => name)).toEqual([]);
  });

  it('when a module is called, then it gets only declared parameters, all required ones, and only outputs it declares are read', () => {
    const problems: string[] = [];
    for (const call of MAIN.modules) {
      const module = readBicep(call.path);
      for (const name of call.params.keys()) if (!module.params.has(name)) problems.push(`${call.symbol}: unknown parameter ${name}`);
      for (const [name, p] of module.params) if (p.defaultValue === undefined && !call.params.has(name)) problems.push(`${call.symbol}: missing ${name}`);
      for (const m of MAIN.text.matchAll(new RegExp(`\\b${call.symbol}\\.outputs\\.(\\w+)`, 'g'))) if (!module.outputs.has(m[1]!)) problems.push(`${call.symbol}: no output ${m[1]}`);
    }
    expect(MAIN.modules.map((m) => m.symbol).sort()).toEqual(['appSettings', 'botRegistration', 'cosmos', 'keyVault', 'monitoring', 'webApp']);
    expect(problems).toEqual([]);
  });

  it('when the Web App is declared, then it is Linux Node 22 LTS, always on, health-checked on /healthz, with a managed identity', () => {
    const text = readText('infra/modules/web-app.bicep');
    expect(text).toContain("linuxFxVersion: 'NODE|22-lts'");
    expect(text).toContain('alwaysOn: true');
    expect(text).toContain("healthCheckPath: '/healthz'");
    expect(text).toContain("type: 'SystemAssigned'");
  });

  it('when Key Vault is declared, then only the Web App identity is granted, and only secret get', () => {
    const policies = blockAfter(readText('infra/modules/key-vault.bicep'), /^ {4}accessPolicies: \[$/, '    ]').join('\n');
    expect(policies).toContain('objectId: readerPrincipalId');
    expect(policies.match(/objectId:/g)).toHaveLength(1);
    expect(policies).toMatch(/secrets: \[\s*'get'\s*\]/);
    expect(readBicep('infra/azure.bicep').modules.find((m) => m.symbol === 'keyVault')?.params.get('readerPrincipalId')).toBe('webApp.outputs.principalId');
  });

  it('when the bot is registered, then it is single tenant, uses the SSO app id and has the Teams channel', () => {
    const text = readText('infra/modules/bot-registration.bicep');
    expect(text).toContain("msaAppType: 'SingleTenant'");
    expect(text).toContain("channelName: 'MsTeamsChannel'");
    expect(text).toContain("endpoint: 'https://${botAppDomain}/api/messages'");
    expect(MAIN.modules.find((m) => m.symbol === 'botRegistration')?.params.get('botAadAppClientId')).toBe('aadAppClientId');
  });
});
