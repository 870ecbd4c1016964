import { execFileSync } from 'node:child_process';
import { accessSync, constants, createReadStream, createWriteStream, existsSync, mkdirSync, readdirSync, readFileSync, renameSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { pipeline } from 'node:stream/promises';
import { brotliDecompressSync, createBrotliDecompress } from 'node:zlib';

/**
 * The Chromium the browser tests drive. In order: `TEST_CHROMIUM` (a path to an executable, or `npm`
 * for the packaged one), a `chromium` on PATH (Debian's), else the Chromium that `npm install` brought
 * inside `@sparticuz/chromium` (Linux x64 only). That package is built for AWS Lambda: a brotli-packed
 * chrome-headless-shell plus the NSS/expat libraries and fonts it needs that a bare machine may lack
 * (`al2023.tar.br`, `fonts.tar.br`). It is unpacked here, once, into `.local/browser/` — not into
 * /tmp as the package's own `executablePath()` does, where a stale copy of another version would win.
 */
export type BrowserChoice =
  | { kind: 'executable'; path: string; from: 'TEST_CHROMIUM' | 'PATH' }
  | { kind: 'npm'; binDir: string; version: string }
  /** No browser can be had on this platform: the browser tests are skipped with this reason. */
  | { kind: 'unavailable'; reason: string }
  /** A browser should be here but is not: the browser tests run and fail with this reason. */
  | { kind: 'broken'; reason: string };

export interface Launchable {
  executablePath: string;
  /** Added to the browser's environment (the packaged libraries and fonts). */
  env: Record<string, string>;
  /** For the one line saying which browser ran. */
  label: string;
}

export const NPM_CHROMIUM = '@sparticuz/chromium';
/** The platform `@sparticuz/chromium` ships a binary for. */
export const NPM_CHROMIUM_PLATFORM = 'linux-x64';

export interface ChooseInput {
  env: Record<string, string | undefined>;
  platform: string;
  /** The absolute path of a command on PATH, if any. */
  which: (name: string) => string | undefined;
  /** The package's `bin` folder and version, if installed. */
  npmPackage: () => { binDir: string; version: string } | undefined;
}

export function chooseBrowser(input: ChooseInput = defaultInput()): BrowserChoice {
  const override = input.env.TEST_CHROMIUM?.trim();
  if (override === 'npm') return npmChoice(input);
  if (override) {
    if (!isExecutableFile(override)) return { kind: 'broken', reason: `TEST_CHROMIUM=${override} is not an executable file (give a Chromium path, or "npm" for ${NPM_CHROMIUM})` };
    return { kind: 'executable', path: resolve(override), from: 'TEST_CHROMIUM' };
  }
  for (const name of ['chromium', 'chromium-browser']) {
    const path = input.which(name);
    if (path) return { kind: 'executable', path, from: 'PATH' };
  }
  return npmChoice(input);
}

/** The packaged Chromium; on its platform a missing package is an error, elsewhere a reason to skip. */
function npmChoice(input: ChooseInput): BrowserChoice {
  if (input.platform !== NPM_CHROMIUM_PLATFORM) {
    return { kind: 'unavailable', reason: `no Chromium for ${input.platform}: ${NPM_CHROMIUM} ships ${NPM_CHROMIUM_PLATFORM} only; put chromium on PATH or set TEST_CHROMIUM to its path` };
  }
  const pkg = input.npmPackage();
  return pkg ? { kind: 'npm', ...pkg } : { kind: 'broken', reason: `${NPM_CHROMIUM} is not installed: run npm install` };
}

/** Makes `choice` runnable: for the packaged Chromium, unpacks it once (atomically) into `cacheRoot`. */
export async function prepareBrowser(choice: BrowserChoice, cacheRoot = defaultCacheRoot()): Promise<Launchable> {
  if (choice.kind === 'unavailable' || choice.kind === 'broken') throw new Error(`no browser: ${choice.reason}`);
  if (choice.kind === 'executable') return { executablePath: choice.path, env: {}, label: `${choice.path} (from ${choice.from})` };
  const dir = join(cacheRoot, `sparticuz-chromium-${choice.version}`);
  if (!existsSync(join(dir, 'chromium'))) {
    await unpack(choice.binDir, dir);
    removeOtherVersions(cacheRoot, dir);
  }
  return {
    executablePath: join(dir, 'chromium'),
    env: {
      LD_LIBRARY_PATH: [join(dir, 'lib'), process.env.LD_LIBRARY_PATH].filter(Boolean).join(':'),
      FONTCONFIG_PATH: join(dir, 'fontconfig'),
    },
    label: `${NPM_CHROMIUM} ${choice.version} (unpacked in ${dir})`,
  };
}

async function unpack(binDir: string, dir: string): Promise<void> {
  const partial = `${dir}.partial-${process.pid}`;
  rmSync(partial, { recursive: true, force: true });
  mkdirSync(partial, { recursive: true });
  try {
    await pipeline(createReadStream(join(binDir, 'chromium.br')), createBrotliDecompress(), createWriteStream(join(partial, 'chromium'), { mode: 0o755 }));
    // al2023.tar.br holds lib/ (libnss3, libnspr4, libexpat …); fonts.tar.br holds fonts/ and a Lambda fonts.conf.
    for (const pack of ['al2023.tar.br', 'fonts.tar.br']) {
      execFileSync('tar', ['-x', '-f', '-', '-C', partial], { input: brotliDecompressSync(readFileSync(join(binDir, pack))) });
    }
    mkdirSync(join(partial, 'fontconfig'));
    writeFileSync(join(partial, 'fontconfig', 'fonts.conf'), fontsConf(dir));
    try {
      renameSync(partial, dir);
    } catch (error) {
      if (!existsSync(join(dir, 'chromium'))) throw error; // another worker finished first: keep theirs
    }
  } finally {
    rmSync(partial, { recursive: true, force: true });
  }
}

/** An unpacked Chromium is ~200 MB: once a new version is in place, the others go. */
function removeOtherVersions(cacheRoot: string, keep: string): void {
  for (const name of readdirSync(cacheRoot)) {
    const path = join(cacheRoot, name);
    if (path !== keep && /^sparticuz-chromium-[^/]+$/.test(name) && !name.includes('.partial-')) rmSync(path, { recursive: true, force: true });
  }
}

/** The package's fonts.conf names Lambda paths (/var/task, /tmp/fonts); this one names ours and the system's. */
function fontsConf(dir: string): string {
  return [
    '<?xml version="1.0"?>',
    '<!DOCTYPE fontconfig SYSTEM "fonts.dtd">',
    '<fontconfig>',
    `  <dir>${join(dir, 'fonts')}</dir>`,
    '  <dir>/usr/share/fonts</dir>',
    `  <cachedir>${join(dir, 'fontconfig', 'cache')}</cachedir>`,
    '</fontconfig>',
    '',
  ].join('\n');
}

function isExecutableFile(path: string): boolean {
  try {
    accessSync(path, constants.X_OK);
    return statSync(path).isFile();
  } catch {
    return false;
  }
}

function defaultCacheRoot(): string {
  return resolve(__dirname, '../../.local/browser');
}

function defaultInput(): ChooseInput {
  return {
    env: process.env,
    platform: `${process.platform}-${process.arch}`,
    which: (name) => {
      try {
        return execFileSync('which', [name], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'] }).trim() || undefined;
      } catch {
        return undefined;
      }
    },
    npmPackage: () => {
      let entry: string;
      try {
        entry = require.resolve(NPM_CHROMIUM);
      } catch {
        return undefined;
      }
      // build/cjs/index.cjs → the package root (its exports map hides package.json from require.resolve)
      const root = resolve(dirname(entry), '../..');
      const { version } = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8')) as { version: string };
      return { binDir: join(root, 'bin'), version };
    },
  };
}
