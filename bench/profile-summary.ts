import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';

/**
 * Summarises V8 `.cpuprofile` files (Node's `--cpu-prof`): CPU time by function and by package,
 * self (the function itself was on top of the stack) and inclusive (it was anywhere on the stack,
 * counted once per sample even when recursive). A sample lasts until the next one (as DevTools
 * counts it). Idle time is left out of the busy total.
 *
 *   npx tsx bench/profile-summary.ts .local/prof            # every .cpuprofile in a folder, merged
 *   npx tsx bench/profile-summary.ts a.cpuprofile --top 40 --skip-ms 20000   # leave out start-up
 *
 * It also prints the busy share of each 1 s of each profile, to see where the load window is.
 */

interface CallFrame {
  functionName: string;
  url: string;
  lineNumber: number;
  columnNumber: number;
}

interface ProfileNode {
  id: number;
  callFrame: CallFrame;
  children?: number[];
}

export interface CpuProfile {
  nodes: ProfileNode[];
  startTime: number;
  endTime: number;
  samples: number[];
  timeDeltas: number[];
}

export interface Entry {
  name: string;
  selfMs: number;
  totalMs: number;
}

export interface Summary {
  busyMs: number;
  idleMs: number;
  functions: Entry[];
  packages: Entry[];
}

const SPECIAL = new Set(['(idle)', '(program)', '(garbage collector)', '(root)']);

/** Where a frame's code lives: an npm package, our own code (top folder under dist/), Node, or V8. */
export function packageOf(frame: CallFrame): string {
  if (SPECIAL.has(frame.functionName)) return frame.functionName;
  const url = frame.url;
  if (!url) return '(native)';
  const modules = url.lastIndexOf('/node_modules/');
  if (modules >= 0) {
    const parts = url.slice(modules + '/node_modules/'.length).split('/');
    return parts[0]?.startsWith('@') ? `${parts[0]}/${parts[1] ?? ''}` : (parts[0] ?? url);
  }
  if (url.startsWith('node:')) return 'node (core)';
  const own = /\/dist\/((?:bot|src)\/[^/]+)/.exec(url) ?? /\/((?:bot|src)\/[^/]+)/.exec(url);
  if (own?.[1]) return `own: ${own[1].replace(/\.js$/, '')}`;
  return url.replace(/^file:\/\//, '');
}

/** `name file:line` with the path shortened to what follows node_modules/ or the repository's dist/. */
export function functionOf(frame: CallFrame): string {
  if (SPECIAL.has(frame.functionName) || !frame.url) return frame.functionName || '(anonymous)';
  const url = frame.url.replace(/^file:\/\//, '');
  const short = url.includes('/node_modules/') ? url.slice(url.lastIndexOf('/node_modules/') + 14) : url.replace(/^.*\/dist\//, 'dist/');
  return `${frame.functionName || '(anonymous)'} ${short}:${frame.lineNumber + 1}`;
}

function add(map: Map<string, Entry>, name: string, field: 'selfMs' | 'totalMs', ms: number): void {
  const entry = map.get(name) ?? { name, selfMs: 0, totalMs: 0 };
  entry[field] += ms;
  map.set(name, entry);
}

/**
 * Adds one profile's samples to the function and package tallies; returns busy and idle ms. Samples
 * in the first `skipMs` of the profile (start-up, sign-ins) are left out.
 */
export function tally(profile: CpuProfile, functions: Map<string, Entry>, packages: Map<string, Entry>, skipMs = 0): { busyMs: number; idleMs: number } {
  const byId = new Map(profile.nodes.map((n) => [n.id, n]));
  const parent = new Map<number, number>();
  for (const node of profile.nodes) for (const child of node.children ?? []) parent.set(child, node.id);
  let busyMs = 0;
  let idleMs = 0;
  let atUs = 0;
  for (let i = 0; i < profile.samples.length; i += 1) {
    atUs += profile.timeDeltas[i] ?? 0;
    const next = i + 1 < profile.timeDeltas.length ? profile.timeDeltas[i + 1]! : 0;
    const ms = Math.max(0, next) / 1000;
    if (atUs < skipMs * 1000) continue;
    const top = byId.get(profile.samples[i]!);
    if (!top) continue;
    if (top.callFrame.functionName === '(idle)') {
      idleMs += ms;
      continue;
    }
    busyMs += ms;
    add(functions, functionOf(top.callFrame), 'selfMs', ms);
    add(packages, packageOf(top.callFrame), 'selfMs', ms);
    const seenFunctions = new Set<string>();
    const seenPackages = new Set<string>();
    for (let id: number | undefined = top.id; id !== undefined; id = parent.get(id)) {
      const frame = byId.get(id)!.callFrame;
      if (frame.functionName === '(root)') break;
      const fn = functionOf(frame);
      const pkg = packageOf(frame);
      if (!seenFunctions.has(fn)) {
        seenFunctions.add(fn);
        add(functions, fn, 'totalMs', ms);
      }
      if (!seenPackages.has(pkg)) {
        seenPackages.add(pkg);
        add(packages, pkg, 'totalMs', ms);
      }
    }
  }
  return { busyMs, idleMs };
}

export function summarise(profiles: readonly CpuProfile[], skipMs = 0): Summary {
  const functions = new Map<string, Entry>();
  const packages = new Map<string, Entry>();
  let busyMs = 0;
  let idleMs = 0;
  for (const profile of profiles) {
    const t = tally(profile, functions, packages, skipMs);
    busyMs += t.busyMs;
    idleMs += t.idleMs;
  }
  return { busyMs, idleMs, functions: [...functions.values()], packages: [...packages.values()] };
}

function pct(ms: number, busyMs: number): string {
  return busyMs > 0 ? `${((ms / busyMs) * 100).toFixed(1)}%`.padStart(6) : '     -';
}

export function formatSummary(summary: Summary, top = 25, topPackages = 15): string {
  const { busyMs } = summary;
  const line = (e: Entry, main: 'selfMs' | 'totalMs'): string => {
    const other = main === 'selfMs' ? 'totalMs' : 'selfMs';
    return `${e[main].toFixed(0).padStart(8)} ms ${pct(e[main], busyMs)}  (${other === 'totalMs' ? 'incl' : 'self'} ${pct(e[other], busyMs).trim()})  ${e.name}`;
  };
  const sorted = (entries: Entry[], by: 'selfMs' | 'totalMs', n: number): string[] =>
    [...entries].sort((a, b) => b[by] - a[by]).slice(0, n).map((e) => line(e, by));
  return [
    `busy ${busyMs.toFixed(0)} ms, idle ${summary.idleMs.toFixed(0)} ms (percentages are of busy time)`,
    '',
    `top ${top} functions by self time:`,
    ...sorted(summary.functions, 'selfMs', top),
    '',
    `top ${topPackages} packages by self time:`,
    ...sorted(summary.packages, 'selfMs', topPackages),
    '',
    `top ${top} functions by inclusive time:`,
    ...sorted(summary.functions.filter((e) => !SPECIAL.has(e.name)), 'totalMs', top),
    '',
    `top ${topPackages} packages by inclusive time:`,
    ...sorted(summary.packages, 'totalMs', topPackages),
  ].join('\n');
}

function profileFiles(paths: readonly string[]): string[] {
  return paths.flatMap((p) =>
    statSync(p).isDirectory() ? readdirSync(p).filter((f) => f.endsWith('.cpuprofile')).map((f) => join(p, f)) : [p],
  );
}

/** Busy percentage of each second of a profile, e.g. `0 3 97 99 …`. */
export function timeline(profile: CpuProfile): number[] {
  const busy: number[] = [];
  let atUs = 0;
  for (let i = 0; i < profile.samples.length; i += 1) {
    atUs += profile.timeDeltas[i] ?? 0;
    const second = Math.floor(atUs / 1_000_000);
    while (busy.length <= second) busy.push(0);
    const idle = profile.nodes.find((n) => n.id === profile.samples[i])?.callFrame.functionName === '(idle)';
    if (!idle) busy[second]! += Math.max(0, profile.timeDeltas[i + 1] ?? 0) / 10_000;
  }
  return busy.map((b) => Math.min(100, Math.round(b)));
}

function numberFlag(argv: readonly string[], flag: string, fallback: number): number {
  const at = argv.indexOf(flag);
  return at >= 0 ? Number(argv[at + 1]) : fallback;
}

function main(argv: readonly string[]): void {
  const top = numberFlag(argv, '--top', 25);
  const skipMs = numberFlag(argv, '--skip-ms', 0);
  const paths = argv.filter((a, i) => !a.startsWith('--') && !['--top', '--skip-ms'].includes(argv[i - 1] ?? ''));
  if (paths.length === 0 || !Number.isInteger(top) || top <= 0 || !(skipMs >= 0)) {
    process.stderr.write('usage: npx tsx bench/profile-summary.ts <file.cpuprofile | folder>... [--top N] [--skip-ms N]\n');
    process.exit(2);
  }
  const files = profileFiles(paths);
  if (files.length === 0) {
    process.stderr.write(`no .cpuprofile file in ${paths.join(', ')}\n`);
    process.exit(2);
  }
  const profiles = files.map((f) => JSON.parse(readFileSync(f, 'utf8')) as CpuProfile);
  const lines = files.map((f, i) => `${f}\n  busy % per second: ${timeline(profiles[i]!).join(' ')}`);
  const skipped = skipMs > 0 ? ` (first ${skipMs} ms of each left out)` : '';
  process.stdout.write(`${files.length} profile(s)${skipped}:\n${lines.join('\n')}\n${formatSummary(summarise(profiles, skipMs), top)}\n`);
}

if (require.main === module) main(process.argv.slice(2));
