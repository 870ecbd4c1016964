import { formatSummary, packageOf, summarise, type CpuProfile } from '../../../bench/profile-summary';
import { benchBotNodeOptions } from '../../../bench/compiled-bot';

const frame = (functionName: string, url = '', lineNumber = 0) => ({ functionName, url, lineNumber, columnNumber: 0 });

/**
 * (root) ─▶ main (dist/bot/index.js) ─▶ stringify (node_modules/@scope/pkg) ─▶ stringify (recursion)
 *        └▶ (idle)
 * Samples: 1 ms idle, 2 ms in main, 3 ms in the inner stringify; the last sample has no successor.
 */
const profile: CpuProfile = {
  startTime: 0,
  endTime: 7000,
  nodes: [
    { id: 1, callFrame: frame('(root)'), children: [2, 5] },
    { id: 2, callFrame: frame('main', 'file:///repo/dist/bot/index.js', 9), children: [3] },
    { id: 3, callFrame: frame('stringify', 'file:///repo/node_modules/@scope/pkg/lib/s.js', 1), children: [4] },
    { id: 4, callFrame: frame('stringify', 'file:///repo/node_modules/@scope/pkg/lib/s.js', 1) },
    { id: 5, callFrame: frame('(idle)') },
  ],
  samples: [5, 2, 2, 4, 4, 4, 2],
  timeDeltas: [0, 1000, 1000, 1000, 1000, 1000, 1000],
};

describe('profile summary', () => {
  it('when a profile is summarised, then self time goes to the top frame, inclusive time once per function on the stack, idle apart', () => {
    const summary = summarise([profile]);
    expect(summary.idleMs).toBe(1);
    expect(summary.busyMs).toBe(5);
    const fn = (prefix: string) => summary.functions.find((e) => e.name.startsWith(prefix))!;
    expect(fn('main')).toMatchObject({ selfMs: 2, totalMs: 5 });
    // recursive frames count once per sample in inclusive time
    expect(fn('stringify')).toMatchObject({ selfMs: 3, totalMs: 3 });
    expect(summary.packages.find((p) => p.name === '@scope/pkg')).toMatchObject({ selfMs: 3, totalMs: 3 });
    expect(summary.packages.find((p) => p.name === 'own: bot/index')).toMatchObject({ selfMs: 2, totalMs: 5 });
    const text = formatSummary(summary, 5, 5);
    expect(text).toContain('busy 5 ms, idle 1 ms');
    expect(text.indexOf('stringify @scope/pkg/lib/s.js:2')).toBeLessThan(text.indexOf('main dist/bot/index.js:10'));
  });

  it('when frames come from packages, own code, Node or V8, then each is named by where it lives', () => {
    expect(packageOf(frame('f', 'file:///w/node_modules/a/node_modules/pino/lib/x.js'))).toBe('pino');
    expect(packageOf(frame('f', 'file:///w/node_modules/@azure/cosmos/dist/x.js'))).toBe('@azure/cosmos');
    expect(packageOf(frame('f', 'file:///w/dist/src/persistence/payloads.js'))).toBe('own: src/persistence');
    expect(packageOf(frame('f', 'node:internal/streams/writable'))).toBe('node (core)');
    expect(packageOf(frame('JSON.stringify'))).toBe('(native)');
    expect(packageOf(frame('(garbage collector)'))).toBe('(garbage collector)');
  });

  it('when BENCH_BOT_NODE_OPTIONS is set, then its flags go to the bot; unset, none', () => {
    expect(benchBotNodeOptions({ BENCH_BOT_NODE_OPTIONS: ' --cpu-prof  --cpu-prof-dir=/tmp/p ' })).toEqual(['--cpu-prof', '--cpu-prof-dir=/tmp/p']);
    expect(benchBotNodeOptions({})).toEqual([]);
  });
});
