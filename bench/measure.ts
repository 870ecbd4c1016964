import type { BotProcess } from '../tests/support/bot-process';
import { type CpuReport, coreShare, cpuWindow, LOAD_GENERATOR_LIMIT } from './cpu';
import { type BenchRow, num } from './stats';
import type { BenchWorld } from './world';

/** The processes of one measured window: the bot, the emulator process, and the bench itself (load generator, Cosmos proxy, connector). */
export function watchTurn(world: BenchWorld, bot: BotProcess | undefined): ReturnType<typeof cpuWindow> {
  return cpuWindow([
    ...(bot ? [{ name: 'bot', pid: () => bot.pid }] : []),
    { name: 'emulators', pid: () => world.bench.emulatorsPid() },
    { name: 'bench', pid: () => process.pid },
  ]);
}

/** Why a window's figures do not count, or undefined: the load generator (this process) saturated a core. */
export function invalidReason(report: CpuReport): string | undefined {
  const share = coreShare(report, 'bench');
  return share > LOAD_GENERATOR_LIMIT ? `INVALID: the bench process used ${num(share * 100, 0)} % of a core (limit ${LOAD_GENERATOR_LIMIT * 100} %)` : undefined;
}

/** `bot 4.1 / emulators 2.0 / bench 1.2` CPU ms per turn, and the bench's share of a core over the window. */
export function cpuRow(id: string, what: string, report: CpuReport, turns: number): BenchRow {
  const per = (name: string): string => num((report.byProcess[name] ?? Number.NaN) / turns, 2);
  const names = Object.keys(report.byProcess);
  const share = coreShare(report, 'bench');
  const invalid = invalidReason(report);
  return {
    id,
    metric: `CPU ms per turn (${what}): ${names.join(' / ')}`,
    value: names.map(per).join(' / '),
    note: `${turns} turns in ${num(report.wallMs / 1000)} s; bench process ${num(share * 100, 0)} % of a core${invalid ? `; ${invalid}` : ''}`,
    ...(invalid ? { invalid } : {}),
  };
}

/** Marks every row of a window INVALID when its load generator saturated a core. */
export function markInvalid(rows: BenchRow[], report: CpuReport): BenchRow[] {
  const invalid = invalidReason(report);
  return invalid ? rows.map((r) => ({ ...r, invalid })) : rows;
}
