import { readdirSync } from 'node:fs';
import { join, relative } from 'node:path';
import { blockAfter, unbalancedBrackets } from './support/bicep';
import { projectPath, readText } from './support/project';

/** reliability #34 in the deployment: the Azure Bot has the Teams channel and no other that can reach it. */
interface ChannelResource {
  file: string;
  name: string;
  channelName: string;
  /** `isEnabled` of every site the resource declares, in order. */
  sites: boolean[];
  body: string[];
}

function bicepFiles(dir = projectPath('infra')): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((e) => (e.isDirectory() ? bicepFiles(join(dir, e.name)) : e.name.endsWith('.bicep') ? [join(dir, e.name)] : []));
}

function channelResources(): ChannelResource[] {
  return bicepFiles().flatMap((path) => {
    const file = relative(projectPath(), path);
    const text = readText(file);
    return [...text.matchAll(/^resource \w+ 'Microsoft\.BotService\/botServices\/channels@[^']+' = \{$/gm)].map((m) => {
      const body = blockAfter(text.slice(m.index), /^resource /, '}');
      const name = body.map((l) => /^ {2}name: '([^']+)'$/.exec(l)?.[1]).find(Boolean) ?? '';
      const channelName = body.map((l) => /^ {4}channelName: '([^']+)'$/.exec(l)?.[1]).find(Boolean) ?? '';
      const sites = body.map((l) => /^\s+isEnabled: (true|false)$/.exec(l)?.[1]).filter((v): v is string => v !== undefined).map((v) => v === 'true');
      return { file, name, channelName, sites, body };
    });
  });
}

describe('Azure Bot channels in the Bicep', () => {
  const channels = channelResources();

  it('when the bot is deployed, then Microsoft Teams is the only enabled channel and no Direct Line channel exists', () => {
    expect(channels.map((c) => c.channelName).sort()).toEqual(['MsTeamsChannel', 'WebChatChannel']);
    expect(channels.every((c) => c.name === c.channelName)).toBe(true);
    expect(channels.some((c) => /DirectLine/i.test(c.channelName))).toBe(false);
  });

  it('when Azure creates the default Web Chat site, then the Bicep declares it disabled (and no other site)', () => {
    const webChat = channels.find((c) => c.channelName === 'WebChatChannel');
    expect(webChat?.body.join('\n')).toContain("siteName: 'Default Site'");
    expect(webChat?.sites).toEqual([false]);
    expect(webChat?.body.join('\n')).not.toMatch(/isEnabled: true|trustedOrigins/);
  });

  it('when any Bicep mentions a bot channel, then it is one of the resources checked here', () => {
    const mentions = bicepFiles().flatMap((p) => [...readText(relative(projectPath(), p)).matchAll(/'([A-Za-z]+Channel)'/g)].map((m) => m[1]));
    expect([...new Set(mentions)].sort()).toEqual(['MsTeamsChannel', 'WebChatChannel']);
    expect(unbalancedBrackets(readText('infra/modules/bot-registration.bicep'))).toBeUndefined();
  });
});
