import type { Logger } from '../../src/logging';

/**
 * Background turns run after the HTTP request was answered (so Teams never redelivers). Every one
 * is tracked here so shutdown can wait for in-flight work; it holds promises, never identities.
 */
export class BackgroundTurns {
  private readonly inFlight = new Set<Promise<void>>();
  private accepting = true;

  constructor(private readonly logger: Logger) {}

  get size(): number {
    return this.inFlight.size;
  }

  get isAccepting(): boolean {
    return this.accepting;
  }

  /** Starts `work` without awaiting it. Failures are logged; user-facing errors are `onTurnError`'s job. */
  start(name: string, work: () => Promise<void>): Promise<void> {
    const run = (async () => {
      try {
        await work();
      } catch (error) {
        this.logger.error({ err: error, work: name }, 'background turn failed outside the turn pipeline');
      }
    })();
    this.inFlight.add(run);
    void run.finally(() => this.inFlight.delete(run));
    return run;
  }

  /** Stops accepting new work and waits (up to `timeoutMs`) for what is running. True if all finished. */
  async drain(timeoutMs: number): Promise<boolean> {
    this.accepting = false;
    return this.idle(timeoutMs);
  }

  /** Waits until no work is in flight, including work started by work, or `timeoutMs` passed. */
  async idle(timeoutMs: number): Promise<boolean> {
    const deadline = Date.now() + timeoutMs;
    while (this.inFlight.size > 0) {
      const left = deadline - Date.now();
      if (left <= 0) return false;
      let timer: NodeJS.Timeout | undefined;
      const timeout = new Promise<void>((resolve) => {
        timer = setTimeout(resolve, left);
      });
      await Promise.race([Promise.allSettled([...this.inFlight]), timeout]);
      clearTimeout(timer);
    }
    return true;
  }
}
