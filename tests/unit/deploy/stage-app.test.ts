import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { projectPath } from './support/project';

const SCRIPT = projectPath('infra/scripts/stage-app.mjs');

function write(root: string, path: string, content: string): void {
  mkdirSync(dirname(join(root, path)), { recursive: true });
  writeFileSync(join(root, path), content);
}

/** A project with no dependencies, so `npm ci` inside the staging folder needs no network. */
function fakeProject(): string {
  const root = mkdtempSync(join(tmpdir(), 'stage-app-'));
  write(root, 'package.json', JSON.stringify({ name: 'fake-bot', version: '1.0.0', private: true }));
  write(root, 'package-lock.json', JSON.stringify({ name: 'fake-bot', version: '1.0.0', lockfileVersion: 3, requires: true, packages: { '': { name: 'fake-bot', version: '1.0.0' } } }));
  write(root, 'dist/bot/index.js', 'console.log("bot")');
  write(root, 'dist/src/config/index.js', 'module.exports = {}');
  write(root, 'bot/index.ts', 'export {}');
  write(root, 'bot/present/templates/approval.json', '{"type":"AdaptiveCard"}');
  write(root, 'src/config/index.ts', 'export {}');
  write(root, 'tests/unit/x.test.ts', 'test');
  return root;
}

function stage(root: string): { status: number | null; output: string } {
  const result = spawnSync(process.execPath, [SCRIPT], { cwd: root, encoding: 'utf8', env: { ...process.env, npm_config_offline: 'true' } });
  return { status: result.status, output: `${result.stdout}${result.stderr}` };
}

describe('infra/scripts/stage-app.mjs', () => {
  let root: string;
  afterEach(() => rmSync(root, { recursive: true, force: true }));

  it('when the build exists, then the zip folder holds dist, the assets beside the sources and the package files, and no sources', () => {
    root = fakeProject();
    const { status, output } = stage(root);
    expect({ status, output }).toEqual({ status: 0, output: expect.stringContaining('staged') });
    const app = join(root, 'infra/build/app');
    expect(readFileSync(join(app, 'dist/bot/index.js'), 'utf8')).toBe('console.log("bot")');
    expect(existsSync(join(app, 'dist/src/config/index.js'))).toBe(true);
    expect(readFileSync(join(app, 'dist/bot/present/templates/approval.json'), 'utf8')).toBe('{"type":"AdaptiveCard"}');
    expect(existsSync(join(app, 'package.json'))).toBe(true);
    expect(existsSync(join(app, 'package-lock.json'))).toBe(true);
    expect([join(app, 'dist/bot/index.ts'), join(app, 'bot'), join(app, 'tests'), join(app, 'src')].filter(existsSync)).toEqual([]);
  });

  it('when the build is missing, then it stops and says to build first', () => {
    root = fakeProject();
    rmSync(join(root, 'dist'), { recursive: true });
    const { status, output } = stage(root);
    expect(status).toBe(1);
    expect(output).toContain('npm run build');
  });
});
