/** A manual clock for limiter and client tests: `sleep` resolves only when the test advances time. */
export class FakeClock {
  private t = 0;
  private timers: { at: number; resolve: () => void }[] = [];

  readonly now = (): number => this.t;

  readonly sleep = (ms: number): Promise<void> =>
    new Promise<void>((resolve) => {
      this.timers.push({ at: this.t + Math.max(0, ms), resolve });
    });

  /** Lets pending work settle, then fires the earliest timer (if any). */
  async step(): Promise<void> {
    await flush();
    this.timers.sort((a, b) => a.at - b.at);
    const next = this.timers.shift();
    if (!next) return;
    this.t = Math.max(this.t, next.at);
    next.resolve();
    await flush();
  }

  /** Runs timers in time order until nothing is pending (or `limitMs` of fake time passes). */
  async runUntilIdle(limitMs = 24 * 3600_000): Promise<void> {
    const end = this.t + limitMs;
    for (;;) {
      await flush();
      if (this.timers.length === 0) return;
      this.timers.sort((a, b) => a.at - b.at);
      const next = this.timers[0]!;
      if (next.at > end) return;
      this.timers.shift();
      this.t = Math.max(this.t, next.at);
      next.resolve();
    }
  }
}

async function flush(): Promise<void> {
  for (let i = 0; i < 5; i += 1) await new Promise<void>((resolve) => setImmediate(resolve));
}
