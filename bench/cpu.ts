import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';

/**
 * CPU time per process from `/proc/<pid>/stat` (Linux): utime + stime, fields 14 and 15, in clock
 * ticks of `getconf CLK_TCK`. Each process is read on its own, so the bot's CPU is told apart from
 * the emulators' and the bench's (load generator, Cosmos proxy, connector).
 */
let ticksPerSecond: number | undefined;

export function clockTicksPerSecond(): number {
  if (ticksPerSecond === undefined) {
    const raw = execFileSync('getconf', ['CLK_TCK'], { encoding: 'utf8' }).trim();
    const parsed = Number(raw);
    if (!Number.isInteger(parsed) || parsed <= 0) throw new Error(`getconf CLK_TCK answered '${raw}'`);
    ticksPerSecond = parsed;
  }
  return ticksPerSecond;
}

/** utime + stime in ticks from the text of `/proc/<pid>/stat`; the command name may hold spaces and parentheses. */
export function ticksFromStat(stat: string): number {
  const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  // After the name, field 3 (state) is index 0, so utime (14) and stime (15) are indexes 11 and 12.
  const utime = Number(fields[11]);
  const stime = Number(fields[12]);
  if (!Number.isFinite(utime) || !Number.isFinite(stime)) throw new Error(`unreadable /proc stat: ${stat.slice(0, 80)}`);
  return utime + stime;
}

/** CPU milliseconds the process used so far; NaN when it is gone or unknown. */
export function cpuMsOf(pid: number | undefined): number {
  if (pid === undefined) return Number.NaN;
  try {
    return (ticksFromStat(readFileSync(`/proc/${pid}/stat`, 'utf8')) * 1000) / clockTicksPerSecond();
  } catch {
    return Number.NaN;
  }
}

/** A named process whose pid may change (a restarted bot). */
export interface Watched {
  name: string;
  pid(): number | undefined;
}

export interface CpuReport {
  wallMs: number;
  /** CPU ms per process name over the window. */
  byProcess: Record<string, number>;
}

/**
 * Reads the watched processes at `start()` and again at `stop()`. A process must live through the
 * window (a bot stopped before `stop()` reads NaN): callers stop it after reading.
 */
export function cpuWindow(watched: readonly Watched[]): { stop(): CpuReport } {
  const startedAt = performance.now();
  const before = watched.map((w) => ({ w, pid: w.pid(), ms: cpuMsOf(w.pid()) }));
  return {
    stop: () => {
      const byProcess: Record<string, number> = {};
      for (const { w, pid, ms } of before) byProcess[w.name] = pid === w.pid() ? cpuMsOf(pid) - ms : Number.NaN;
      return { wallMs: performance.now() - startedAt, byProcess };
    },
  };
}

/** The bench process may use at most this share of one core over a window before its figures stop counting. */
export const LOAD_GENERATOR_LIMIT = 0.9;

/** Share of one core the named process used over the window. */
export function coreShare(report: CpuReport, name: string): number {
  return report.wallMs > 0 ? (report.byProcess[name] ?? Number.NaN) / report.wallMs : Number.NaN;
}
