import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { SETTINGS } from '../../../src/config';

const root = join(__dirname, '../../..');
const readme = readFileSync(join(root, 'README.md'), 'utf8');
const scripts = (JSON.parse(readFileSync(join(root, 'package.json'), 'utf8')) as { scripts: Record<string, string> }).scripts;

describe('README', () => {
  it('when a setting exists in the config schema, then the configuration table documents it', () => {
    const missing = SETTINGS.filter((s) => !readme.includes(`| \`${s.name}\` |`)).map((s) => s.name);
    expect(missing).toEqual([]);
  });

  it('when the README names an npm script, then package.json defines it', () => {
    const named = [...readme.matchAll(/npm run ([a-z0-9:]+)/g)].map((m) => m[1] as string);
    expect(named.length).toBeGreaterThan(5);
    expect(named.filter((name) => !(name in scripts))).toEqual([]);
    for (const name of ['start', 'test']) expect(scripts[name]).toBeDefined();
  });

  it('when the README links a repository file, then the file exists', () => {
    const links = [...readme.matchAll(/\]\((?!https?:)([^)#]+)\)/g)].map((m) => m[1] as string);
    expect(links.filter((link) => !existsSync(join(root, link)))).toEqual([]);
  });
});
