import { readdirSync } from 'node:fs';
import AjvDraft04 from 'ajv-draft-04';
import addFormats from 'ajv-formats';
import { parseCommand } from '../../../bot/routes/commands';
import { type ConversationScope, menuCommands } from '../../../src/commands';
import { projectPath, readJson, readText, substitute } from './support/project';
import { SAMPLE_ENV } from './support/samples';

const SCHEMA_ROOT = 'node_modules/@microsoft/app-manifest/build/json-schemas/teams';

function newestSchemaVersion(): string {
  const versions = readdirSync(projectPath(SCHEMA_ROOT)).filter((v) => /^v\d+\.\d+$/.test(v));
  return versions.sort((a, b) => Number(a.split('.')[1]) - Number(b.split('.')[1])).at(-1)!;
}

interface BotCommandList {
  scopes: string[];
  commands: { title: string; description: string }[];
}

interface TeamsManifest {
  $schema: string;
  manifestVersion: string;
  name: { short: string };
  bots: { botId: string; scopes: string[]; commandLists: BotCommandList[] }[];
  validDomains: string[];
  webApplicationInfo: { id: string; resource: string };
}

function renderedManifest(): TeamsManifest {
  return JSON.parse(substitute(readText('appPackage/manifest.json'), SAMPLE_ENV)) as TeamsManifest;
}

function validator(version: string): (manifest: unknown) => string[] {
  const ajv = new AjvDraft04({ allErrors: true, strict: false });
  addFormats(ajv);
  const validate = ajv.compile(readJson(`${SCHEMA_ROOT}/${version}/MicrosoftTeams.schema.json`) as object);
  return (manifest) => (validate(manifest) ? [] : (validate.errors ?? []).map((e) => `${e.instancePath} ${e.message ?? ''}`));
}

/** The conversation type a Teams manifest scope installs the bot in. */
const CONVERSATION_OF: Record<string, ConversationScope> = { personal: 'personal', groupChat: 'groupChat', team: 'channel' };

describe('appPackage/manifest.json', () => {
  const version = newestSchemaVersion();
  const validate = validator(version);

  it('when placeholders are filled, then it is valid against the newest official Teams schema', () => {
    const manifest = renderedManifest();
    expect(manifest.manifestVersion).toBe(version.slice(1));
    expect(manifest.$schema).toBe(`https://developer.microsoft.com/en-us/json-schemas/teams/${version}/MicrosoftTeams.schema.json`);
    expect(validate(manifest)).toEqual([]);
  });

  it('when a manifest breaks the schema, then the validator reports it', () => {
    const manifest = { ...renderedManifest(), manifestVersion: '1.0', accentColor: undefined, unknownField: true };
    expect(validate(JSON.parse(JSON.stringify(manifest))).length).toBeGreaterThanOrEqual(3);
  });

  it('when installed, then the bot works in personal, team and group chat scopes', () => {
    expect(renderedManifest().bots[0]!.scopes.sort()).toEqual(['groupChat', 'personal', 'team']);
  });

  it('when a user opens the command menu, then every scope lists the commands the command table offers there, in its order', () => {
    const lists = renderedManifest().bots[0]!.commandLists;
    expect(lists.flatMap((l) => l.scopes).sort()).toEqual(['groupChat', 'personal', 'team']);
    for (const list of lists) {
      for (const scope of list.scopes) {
        const offered = menuCommands(CONVERSATION_OF[scope]!).map((c) => c.title);
        expect(offered.length).toBeGreaterThan(0);
        expect({ scope, titles: list.commands.map((c) => c.title) }).toEqual({ scope, titles: offered });
      }
    }
  });

  it('when a user picks a command from the menu, then the bot recognises it (forget with the argument its description shows)', () => {
    const commands = renderedManifest().bots[0]!.commandLists.flatMap((l) => l.commands);
    for (const { title, description } of commands) {
      const typed = title === 'forget' ? [...description.matchAll(/\((forget [^)]+)\)/g)].map((m) => m[1]!) : [title];
      expect(typed.length).toBeGreaterThan(0);
      for (const text of typed) expect({ text, recognised: parseCommand(text) !== undefined }).toEqual({ text, recognised: true });
    }
  });

  it('when Teams requests an SSO token, then it asks for the bot app under the bot domain', () => {
    const manifest = renderedManifest();
    expect(manifest.webApplicationInfo).toEqual({ id: manifest.bots[0]!.botId, resource: `api://${SAMPLE_ENV.BOT_DOMAIN}/botid-${SAMPLE_ENV.BOT_ID}` });
    expect(manifest.validDomains).toEqual([SAMPLE_ENV.BOT_DOMAIN]);
  });

  it('when the name gets the longest environment suffix, then it still fits the 30-character short name', () => {
    expect(renderedManifest().name.short.length).toBeLessThanOrEqual(30);
  });
});
