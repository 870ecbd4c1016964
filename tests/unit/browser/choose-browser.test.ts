import { execFileSync } from 'node:child_process';
import { chmodSync, existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { brotliCompressSync } from 'node:zlib';
import { chooseBrowser, NPM_CHROMIUM_PLATFORM, prepareBrowser, type ChooseInput } from '../../support/browser';

const PACKAGE = { binDir: '/nm/@sparticuz/chromium/bin', version: '141.0.0' };

function input(over: Partial<ChooseInput> = {}): ChooseInput {
  return { env: {}, platform: NPM_CHROMIUM_PLATFORM, which: () => undefined, npmPackage: () => PACKAGE, ...over };
}

describe('chooseBrowser (which Chromium the Playground browser test drives)', () => {
  const dir = mkdtempSync(join(tmpdir(), 'choose-browser-'));
  const executable = join(dir, 'my-chromium');
  const notExecutable = join(dir, 'plain-file');
  beforeAll(() => {
    writeFileSync(executable, '#!/bin/sh\n');
    chmodSync(executable, 0o755);
    writeFileSync(notExecutable, '');
    chmodSync(notExecutable, 0o644);
  });
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('when Debian chromium is on PATH, then it is preferred to the packaged one', () => {
    expect(chooseBrowser(input({ which: (n) => (n === 'chromium' ? '/usr/bin/chromium' : undefined) }))).toEqual({ kind: 'executable', path: '/usr/bin/chromium', from: 'PATH' });
  });

  it('when no chromium is on PATH on Linux x64, then the one npm install brought runs', () => {
    expect(chooseBrowser(input())).toEqual({ kind: 'npm', ...PACKAGE });
  });

  it('when TEST_CHROMIUM names an executable, then it wins over PATH', () => {
    const choice = chooseBrowser(input({ env: { TEST_CHROMIUM: executable }, which: () => '/usr/bin/chromium' }));
    expect(choice).toEqual({ kind: 'executable', path: executable, from: 'TEST_CHROMIUM' });
  });

  it('when TEST_CHROMIUM=npm, then the packaged Chromium runs even with chromium on PATH', () => {
    expect(chooseBrowser(input({ env: { TEST_CHROMIUM: 'npm' }, which: () => '/usr/bin/chromium' }))).toEqual({ kind: 'npm', ...PACKAGE });
  });

  it.each([
    ['a missing file', join(dir, 'nope')],
    ['a file that is not executable', notExecutable],
    ['a directory', dir],
  ])('when TEST_CHROMIUM names %s, then the tests run and fail with a reason naming it (never a silent skip)', (_what, path) => {
    const choice = chooseBrowser(input({ env: { TEST_CHROMIUM: path } }));
    expect(choice).toEqual({ kind: 'broken', reason: expect.stringContaining(`TEST_CHROMIUM=${path} is not an executable file`) });
  });

  it('when the package is missing on Linux x64, then the tests run and fail saying to run npm install', () => {
    expect(chooseBrowser(input({ npmPackage: () => undefined }))).toEqual({ kind: 'broken', reason: '@sparticuz/chromium is not installed: run npm install' });
  });

  it('when no Chromium exists for the platform, then the tests are skipped with a one-line reason', () => {
    const choice = chooseBrowser(input({ platform: 'darwin-arm64' }));
    expect(choice).toEqual({ kind: 'unavailable', reason: expect.stringContaining('no Chromium for darwin-arm64') });
    expect(choice.kind === 'unavailable' && choice.reason.includes('\n')).toBe(false);
  });

  it('when chromium is on PATH on another platform, then it runs there too', () => {
    expect(chooseBrowser(input({ platform: 'darwin-arm64', which: () => '/opt/bin/chromium' })).kind).toBe('executable');
  });

  it('when a broken or unavailable choice is prepared, then it throws the reason', async () => {
    await expect(prepareBrowser({ kind: 'broken', reason: 'r1' }, dir)).rejects.toThrow('no browser: r1');
    await expect(prepareBrowser({ kind: 'unavailable', reason: 'r2' }, dir)).rejects.toThrow('no browser: r2');
  });

  it('when the package files are missing, then unpacking fails and leaves no half-unpacked browser behind', async () => {
    const cache = join(dir, 'cache');
    await expect(prepareBrowser({ kind: 'npm', binDir: join(dir, 'no-bin'), version: '0.0.0' }, cache)).rejects.toThrow(/ENOENT/);
    expect(existsSync(join(cache, 'sparticuz-chromium-0.0.0'))).toBe(false);
    expect(existsSync(join(cache, `sparticuz-chromium-0.0.0.partial-${process.pid}`))).toBe(false);
  });

  it('when a package is unpacked, then its binary runs from the cache with its lib/ on LD_LIBRARY_PATH and our fonts.conf, and older versions go', async () => {
    const bin = join(dir, 'fake-package-bin');
    const staging = join(dir, 'staging');
    mkdirSync(join(staging, 'lib'), { recursive: true });
    mkdirSync(join(staging, 'fonts'), { recursive: true });
    writeFileSync(join(staging, 'lib', 'libnss3.so'), 'not really');
    writeFileSync(join(staging, 'fonts', 'OpenSans-Regular.ttf'), 'not really');
    mkdirSync(bin);
    // The same layout as @sparticuz/chromium's bin/: a brotli'd binary and brotli'd tars.
    writeFileSync(join(bin, 'chromium.br'), brotliCompressSync('#!/bin/sh\necho "Chromium 999.0.1 $LD_LIBRARY_PATH"\n'));
    writeFileSync(join(bin, 'al2023.tar.br'), brotliCompressSync(execFileSync('tar', ['-c', '-C', staging, 'lib'])));
    writeFileSync(join(bin, 'fonts.tar.br'), brotliCompressSync(execFileSync('tar', ['-c', '-C', staging, 'fonts'])));
    const cache = join(dir, 'cache-fake');
    mkdirSync(join(cache, 'sparticuz-chromium-998.0.0'), { recursive: true });

    const launchable = await prepareBrowser({ kind: 'npm', binDir: bin, version: '999.0.1' }, cache);
    const unpacked = join(cache, 'sparticuz-chromium-999.0.1');
    expect(launchable.executablePath).toBe(join(unpacked, 'chromium'));
    const out = execFileSync(launchable.executablePath, ['--version'], { encoding: 'utf8', env: { ...process.env, ...launchable.env } });
    const [name, version, libraryPath] = out.trim().split(' ');
    expect({ name, version, firstLibraryDir: libraryPath?.split(':')[0] }).toEqual({ name: 'Chromium', version: '999.0.1', firstLibraryDir: join(unpacked, 'lib') });
    expect(existsSync(join(unpacked, 'lib', 'libnss3.so'))).toBe(true);
    expect(readFileSync(join(launchable.env.FONTCONFIG_PATH!, 'fonts.conf'), 'utf8')).toContain(`<dir>${join(unpacked, 'fonts')}</dir>`);
    expect(readdirSync(cache)).toEqual(['sparticuz-chromium-999.0.1']);
  });
});
