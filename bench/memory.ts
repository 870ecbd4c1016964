import type { LocalMemoryFigures } from '../bot/http/local-metrics';

/** One memory sample of the bot process after `turns` turns. */
export interface MemorySample extends LocalMemoryFigures {
  turns: number;
}

/** The bot's `/_local/memory` (local profile only), after a full GC when the bot runs with `--expose-gc`. */
export async function readBotMemory(port: number): Promise<LocalMemoryFigures> {
  const response = await fetch(`http://127.0.0.1:${port}/_local/memory?gc=1`, { signal: AbortSignal.timeout(30_000) });
  if (!response.ok) throw new Error(`GET /_local/memory answered ${response.status} (is the bot in the local profile?)`);
  return (await response.json()) as LocalMemoryFigures;
}

/** Least-squares slope of `value` over `turns`, in the value's unit per turn; NaN with fewer than two distinct points. */
export function slopePerTurn(samples: readonly MemorySample[], value: (s: MemorySample) => number): number {
  const n = samples.length;
  if (n < 2) return Number.NaN;
  const meanX = samples.reduce((a, s) => a + s.turns, 0) / n;
  const meanY = samples.reduce((a, s) => a + value(s), 0) / n;
  let num = 0;
  let den = 0;
  for (const s of samples) {
    num += (s.turns - meanX) * (value(s) - meanY);
    den += (s.turns - meanX) ** 2;
  }
  return den === 0 ? Number.NaN : num / den;
}

/** The samples of the second half of a run (turns ≥ half of `total`), e.g. 5,000–10,000 of 10,000. */
export function secondHalf(samples: readonly MemorySample[], total: number): MemorySample[] {
  return samples.filter((s) => s.turns >= total / 2);
}
