import { compareRows, keyOf } from '../../../bench/compare';
import { coreShare, ticksFromStat } from '../../../bench/cpu';
import { parseHosts } from '../../../bench/hosts';
import { cpuRow, invalidReason } from '../../../bench/measure';
import { type MemorySample, secondHalf, slopePerTurn } from '../../../bench/memory';

/** The bench's own arithmetic: /proc parsing, the INVALID rule, memory slopes, hosts, and before → after matching. */
describe('bench measurement helpers', () => {
  it('when /proc/<pid>/stat has a command name with spaces and parentheses, then utime + stime are read after the last parenthesis', () => {
    const stat = '4242 (node (bench) x) S 1 4242 1 0 -1 4194560 500 0 0 0 1234 567 0 0 20 0 11 0 100 1000 200';
    expect(ticksFromStat(stat)).toBe(1234 + 567);
    expect(() => ticksFromStat('4242 (node) S 1')).toThrow(/unreadable/);
  });

  it('when the bench process used more than 90 % of a core over a window, then its rows are INVALID; at 50 % they count', () => {
    const busy = { wallMs: 10_000, byProcess: { bot: 4000, emulators: 3000, bench: 9500 } };
    const calm = { wallMs: 10_000, byProcess: { bot: 4000, emulators: 3000, bench: 5000 } };
    expect(coreShare(busy, 'bench')).toBeCloseTo(0.95);
    expect(invalidReason(busy)).toMatch(/^INVALID: the bench process used 95 %/);
    expect(invalidReason(calm)).toBeUndefined();
    const row = cpuRow('B5', 'graph turn', busy, 1000);
    expect(row.value).toBe('4 / 3 / 9.50');
    expect(row.invalid).toMatch(/INVALID/);
    expect(cpuRow('B5', 'graph turn', calm, 1000).invalid).toBeUndefined();
  });

  it('when RSS grows 2 KiB a turn in the second half only, then the slope over turns 5,000–10,000 is 2 KiB per turn', () => {
    const samples: MemorySample[] = Array.from({ length: 11 }, (_, i) => {
      const turns = i * 1000;
      const rss = 100 * 1024 * 1024 + (turns <= 5000 ? turns * 50 * 1024 : 5000 * 50 * 1024 + (turns - 5000) * 2048);
      return { turns, rss, heapTotal: 0, heapUsed: 50e6, external: 1e6, arrayBuffers: 0, collected: true };
    });
    const half = secondHalf(samples, 10_000);
    expect(half.map((s) => s.turns)).toEqual([5000, 6000, 7000, 8000, 9000, 10000]);
    expect(slopePerTurn(half, (s) => s.rss) / 1024).toBeCloseTo(2, 6);
    expect(slopePerTurn(half, (s) => s.heapUsed)).toBe(0);
    expect(slopePerTurn(half.slice(0, 1), (s) => s.rss)).toBeNaN();
  });

  it('when --hosts names an unknown host or none, then it is an error; duplicates collapse; the default is teams-ai', () => {
    expect(parseHosts(undefined)).toEqual(['teams-ai']);
    expect(parseHosts('teams-ai, agents,teams-ai')).toEqual(['teams-ai', 'agents']);
    expect(() => parseHosts('teams-ai,botbuilder')).toThrow(/unknown host botbuilder/);
    expect(() => parseHosts(' , ')).toThrow(/at least one/);
  });

  it('when the old bench rows (no keys) meet the new ones, then renamed rows are matched, method changes are named and dropped rows listed', () => {
    const before = [
      { id: 'B1', metric: 'Genie turn at zero Genie delay, median', value: '1535 ms' },
      { id: 'B3', metric: 'Cosmos requests per Genie turn (median)', value: '11' },
      { id: 'B1', metric: 'Genie turn / echo turn', value: '900x' },
    ];
    const after = [
      { id: 'B1', key: 'B1 genie 1:1 teams-ai', metric: '[teams-ai] Genie turn at zero Genie delay, 1:1, median', value: '1520 ms' },
      { id: 'B3', metric: 'Cosmos requests per Genie turn (median)', value: '11' },
      { id: 'B5', key: 'B5 cpu', metric: 'CPU ms per turn', value: '4', invalid: 'INVALID: x' },
    ];
    expect(keyOf(before[0]!)).toBe('B1 genie 1:1 teams-ai');
    const rows = compareRows(before, after);
    expect(rows.find((r) => r.id === 'B1' && r.after === '1520 ms')).toMatchObject({ before: '1535 ms', method: expect.stringMatching(/node dist/) });
    expect(rows.find((r) => r.id === 'B3')).toMatchObject({ before: '11', after: '11', method: 'same' });
    expect(rows.find((r) => r.id === 'B5')).toMatchObject({ before: '-', after: '4 (INVALID)', method: 'new row' });
    expect(rows.find((r) => r.metric === 'Genie turn / echo turn')).toMatchObject({ before: '900x', after: '-' });
  });
});
