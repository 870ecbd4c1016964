/** Sizes of one bench run; `--quick` shrinks durations and counts, never what is measured. */
export interface BenchOptions {
  quick: boolean;
  /** B1: bot processes, each measuring `b1PairsPerBot` interleaved pairs (a 1:1 turn and a group-chat turn). */
  b1GenieBots: number;
  b1PairsPerBot: number;
  b1EchoSamples: number;
  b2TurnsPerUser: number;
  b3GenieTurns: number;
  b4Samples: number;
  b5Users: number;
  b5DurationMs: number;
  b6Users: number;
  b6TurnsPerUser: number;
  b6Concurrency: number;
  /** B6 reads the bot's memory every this many turns. */
  b6SampleEvery: number;
}

export function benchOptions(quick: boolean): BenchOptions {
  return quick
    ? { quick, b1GenieBots: 1, b1PairsPerBot: 8, b1EchoSamples: 20, b2TurnsPerUser: 30, b3GenieTurns: 2, b4Samples: 2, b5Users: 50, b5DurationMs: 15_000, b6Users: 200, b6TurnsPerUser: 10, b6Concurrency: 50, b6SampleEvery: 200 }
    : { quick, b1GenieBots: 3, b1PairsPerBot: 8, b1EchoSamples: 40, b2TurnsPerUser: 100, b3GenieTurns: 3, b4Samples: 3, b5Users: 50, b5DurationMs: 60_000, b6Users: 1000, b6TurnsPerUser: 10, b6Concurrency: 50, b6SampleEvery: 1000 };
}
