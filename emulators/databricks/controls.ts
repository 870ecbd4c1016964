/** Test controls of the Databricks emulator: latency, injected 5xx, a stopped warehouse, counters. */

export type FailureScope = 'all' | 'thrift' | 'rest';

export interface InjectedFailures {
  remaining: number;
  status: number;
  scope: FailureScope;
  /** Only Thrift calls of this method fail (e.g. `ExecuteStatement`); others pass. */
  method?: string;
}

export interface ControlSnapshot {
  latencyMs: Record<string, number>;
  failures: InjectedFailures | undefined;
  warehouseState: 'RUNNING' | 'STOPPED';
  counters: Record<string, number>;
}

function sleep(ms: number, signal?: AbortSignal): Promise<void> {
  if (signal?.aborted) return Promise.resolve();
  return new Promise((resolve) => {
    const done = (): void => {
      clearTimeout(timer);
      signal?.removeEventListener('abort', done);
      resolve();
    };
    const timer = setTimeout(done, ms);
    signal?.addEventListener('abort', done, { once: true });
  });
}

export class DatabricksControls {
  /** Per operation: Thrift method names (`ExecuteStatement`, `FetchResults`, …), `execute` (engine time), `statements` (REST). */
  latencyMs: Record<string, number> = {};
  failures: InjectedFailures | undefined;
  warehouseStopped = false;
  counters: Record<string, number> = {};

  count(key: string): void {
    this.counters[key] = (this.counters[key] ?? 0) + 1;
  }

  /**
   * Consumes one injected failure for a request in `scope` (a Thrift call names its `method`);
   * returns its HTTP status. Each one is counted, also per Thrift method (`injected.ExecuteStatement`),
   * so a test can count the attempts that never reached the warehouse.
   */
  takeFailure(scope: Exclude<FailureScope, 'all'>, method?: string): number | undefined {
    const f = this.failures;
    if (!f || f.remaining <= 0 || (f.scope !== 'all' && f.scope !== scope)) return undefined;
    if (f.method !== undefined && f.method !== method) return undefined;
    f.remaining -= 1;
    if (f.remaining === 0) this.failures = undefined;
    this.count('injected_failures');
    if (method) this.count(`injected.${method}`);
    return f.status;
  }

  /** Waits the configured latency of `operation`; ends early when `signal` aborts. */
  async delay(operation: string, signal?: AbortSignal): Promise<void> {
    const ms = this.latencyMs[operation] ?? 0;
    if (ms > 0) await sleep(ms, signal);
  }

  reset(): void {
    this.latencyMs = {};
    this.failures = undefined;
    this.warehouseStopped = false;
    this.counters = {};
  }

  snapshot(): ControlSnapshot {
    return {
      latencyMs: { ...this.latencyMs },
      failures: this.failures ? { ...this.failures } : undefined,
      warehouseState: this.warehouseStopped ? 'STOPPED' : 'RUNNING',
      counters: { ...this.counters },
    };
  }
}
