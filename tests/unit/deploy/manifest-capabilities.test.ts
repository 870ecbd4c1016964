import type { BotDeps } from '../../../bot/turns/deps';
import { signInLinkFor } from '../../../bot/sign-in/auth';
import { parseCommand } from '../../../bot/routes/commands';
import { FILE_CONSENT_CONTENT_TYPE } from '../../../bot/routes/file-export';
import { COMMANDS, type CommandKind, commandSpec } from '../../../src/commands';
import { loadConfig } from '../../../src/config';
import type { Where } from '../../fakes/bot-activities';
import { buildAzureEnv } from '../../fixtures/azure-env';
import { blockAfter } from './support/bicep';
import { botSources, CONVERSATION_TYPES, type ConversationUsage, observeConversation } from './support/bot-usage';
import { readText, substitute } from './support/project';
import { SAMPLE_ENV } from './support/samples';

/**
 * Every Teams capability the bot uses must be declared in appPackage/manifest.json, or Teams never
 * offers it. "Used" comes from the code: the real teams-ai app driven in each conversation type
 * (support/bot-usage.ts), bot/ sources, and the configuration provisioning writes. Teams rules:
 * - scopes: a bot installed in a team gets conversationType `channel`, in a group chat `groupChat`,
 *   in a 1:1 `personal` (learn.microsoft.com/microsoftteams/platform/bots/how-to/conversations/conversation-basics);
 * - files: "set the supportsFiles property in the manifest to true"; the Teams bot file APIs (file
 *   consent) "work only in the personal context" (…/bots/how-to/bots-filesv4);
 * - commandLists: each list applies to its scopes (…/resources/schema/manifest-schema#botscommandlists);
 * - SSO: `webApplicationInfo.id` is the Entra app id, `resource` the app's subdomain URI and Application
 *   ID URI (…/bots/how-to/authentication/bot-sso-manifest); pages Teams opens (the consent fallback)
 *   must be on a `validDomains` host (…/resources/schema/manifest-schema#validdomains).
 */
type TeamsScope = 'personal' | 'team' | 'groupChat';
const SCOPE_OF: Record<Where, TeamsScope> = { personal: 'personal', groupChat: 'groupChat', channel: 'team' };

interface Manifest {
  bots: { botId: string; scopes: TeamsScope[]; supportsFiles: boolean; commandLists: { scopes: TeamsScope[]; commands: { title: string; description: string }[] }[] }[];
  validDomains: string[];
  webApplicationInfo?: { id: string; resource: string };
}

const manifest = (): Manifest => JSON.parse(substitute(readText('appPackage/manifest.json'), SAMPLE_ENV)) as Manifest;

/** The bot's Azure configuration as provisioning writes it (infra/modules/app-settings.bicep, sample parameters). */
function provisionedConfig(): ReturnType<typeof loadConfig> {
  const params: Record<string, string> = { botDomain: SAMPLE_ENV.BOT_DOMAIN!, aadAppClientId: SAMPLE_ENV.AAD_APP_CLIENT_ID! };
  const evaluate = (expr: string): string | undefined => {
    if (/^\w+$/.test(expr)) return params[expr];
    const template = /^'(.*)'$/.exec(expr)?.[1];
    return template?.startsWith('@Microsoft.KeyVault') ? undefined : template?.replace(/\$\{(\w+)\}/g, (_, name: string) => params[name] ?? `<${name}>`);
  };
  const settings = blockAfter(readText('infra/modules/app-settings.bicep'), /^var botSettings = \{$/, '}')
    .map((l) => /^ {2}([A-Z][A-Z0-9_]+): (.+)$/.exec(l))
    .filter((m) => m !== null)
    .map((m) => [m[1]!, evaluate(m[2]!)] as const);
  const wanted = ['BOT_ID', 'AAD_APP_CLIENT_ID', 'BOT_DOMAIN', 'SSO_APP_ID_URI'];
  const overrides = Object.fromEntries(settings.filter(([name, value]) => wanted.includes(name) && value !== undefined));
  expect(Object.keys(overrides).sort()).toEqual([...wanted].sort());
  return loadConfig({ env: buildAzureEnv(overrides), cwd: __dirname, envFiles: [] });
}

/** The command list Teams shows in `scope`. */
function commandsIn(m: Manifest, scope: TeamsScope): { title: string; description: string }[] | undefined {
  return m.bots[0]!.commandLists.find((l) => l.scopes.includes(scope))?.commands;
}

function kindOfTitle(title: string): CommandKind | undefined {
  return COMMANDS.find((c) => c.title === title)?.kind;
}

describe('appPackage/manifest.json declares every Teams capability the bot uses', () => {
  let usage: ConversationUsage[];
  beforeAll(async () => {
    usage = [];
    for (const where of CONVERSATION_TYPES) usage.push(await observeConversation(where));
  });

  it('when the bot answers in a conversation type, then the manifest installs it in that scope, and in no other', () => {
    const handled = usage.filter((u) => u.answers).map((u) => SCOPE_OF[u.where]);
    expect(handled.length).toBeGreaterThan(0);
    expect([...manifest().bots[0]!.scopes].sort()).toEqual(handled.sort());
  });

  it('when the bot answers a command in a conversation type, then that scope\'s command list names it', () => {
    const m = manifest();
    for (const u of usage.filter((x) => x.answers)) {
      const listed = (commandsIn(m, SCOPE_OF[u.where]) ?? []).map((c) => c.title);
      const answered = [...u.commands].filter(([, ok]) => ok).map(([kind]) => commandSpec(kind).title);
      expect({ scope: SCOPE_OF[u.where], missing: answered.filter((t) => !listed.includes(t)) }).toEqual({ scope: SCOPE_OF[u.where], missing: [] });
    }
  });

  it('when a command list names a command, then the bot answers it (with the argument forms) in every scope of that list', () => {
    const m = manifest();
    const byScope = new Map(usage.map((u) => [SCOPE_OF[u.where], u]));
    for (const list of m.bots[0]!.commandLists) {
      for (const scope of list.scopes) {
        const u = byScope.get(scope);
        for (const { title } of list.commands) {
          const kind = kindOfTitle(title);
          expect({ scope, title, answered: kind !== undefined && u?.commands.get(kind) === true }).toEqual({ scope, title, answered: true });
        }
      }
    }
  });

  it('when a menu title alone is not a command (forget), then its description shows argument forms the bot accepts as that command', () => {
    for (const { title, description } of manifest().bots[0]!.commandLists.flatMap((l) => l.commands)) {
      if (parseCommand(title) !== undefined) continue;
      const kind = kindOfTitle(title);
      const shown = [...description.matchAll(/\(([^)]+)\)/g)].map((m) => m[1]!).filter((s) => s.startsWith(`${title} `));
      expect({ title, kind, shown: shown.length > 0 }).toEqual({ title, kind: expect.any(String), shown: true });
      for (const text of shown) expect({ text, kind: parseCommand(text)?.kind }).toEqual({ text, kind });
    }
  });

  it('when the bot sends a file-consent card or handles file consent, then the manifest says supportsFiles and installs it in personal scope', () => {
    const observed = usage.flatMap((u) => u.attachments).filter((a) => a.contentType === FILE_CONSENT_CONTENT_TYPE);
    const inSources = botSources().filter((f) => f.text.includes(FILE_CONSENT_CONTENT_TYPE) || /\.fileConsent(Accept|Decline)\(/.test(f.text));
    const used = observed.length > 0 || inSources.length > 0;
    const bot = manifest().bots[0]!;
    expect({ used, supportsFiles: bot.supportsFiles || !used, personal: bot.scopes.includes('personal') || !used }).toEqual({ used, supportsFiles: true, personal: true });
    expect(observed.filter((a) => a.to !== 'personal')).toEqual([]);
  });

  it('when the file-consent content type is looked for in bot/, then the CSV export is found (the check above is not vacuous)', () => {
    expect(FILE_CONSENT_CONTENT_TYPE).toBe('application/vnd.microsoft.teams.card.file.consent');
    expect(usage.flatMap((u) => u.attachments).some((a) => a.contentType === FILE_CONSENT_CONTENT_TYPE)).toBe(true);
  });

  it('when the bot handles the SSO token exchange, then webApplicationInfo names the bot\'s Entra app and the SSO_APP_ID_URI it validates', () => {
    const usesSso = botSources().some((f) => f.text.includes("'signin/tokenExchange'"));
    const config = provisionedConfig();
    const m = manifest();
    expect(usesSso).toBe(true);
    expect(m.webApplicationInfo).toEqual({ id: config.identity.clientId, resource: config.identity.appIdUri });
    expect(m.webApplicationInfo?.id).toBe(m.bots[0]!.botId);
    expect(config.bot.appId).toBe(m.bots[0]!.botId);
    const shape = /^api:\/\/([^/]+)\/botid-([0-9a-f-]{36})$/.exec(config.identity.appIdUri);
    expect(shape?.slice(1)).toEqual([expect.any(String), config.identity.clientId]);
    expect(m.validDomains).toContain(shape![1]);
  });

  it('when Teams opens the sign-in page (consent fallback), then its host is a valid domain and the page asks for the manifest\'s resource', () => {
    const config = provisionedConfig();
    const link = new URL(signInLinkFor({ config } as unknown as BotDeps, 'exchange-1'));
    const m = manifest();
    expect(link.protocol).toBe('https:');
    expect(m.validDomains).toContain(link.host);
    expect(link.searchParams.get('scope')).toBe(`${m.webApplicationInfo!.resource}/access_as_user`);
    expect(link.searchParams.get('clientId')).toBe(m.webApplicationInfo!.id);
  });
});
