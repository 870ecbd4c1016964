import type { ReadinessProbe } from './server';

/**
 * `/readyz` answered from a cached check: each probe runs at most once per `maxAgeMs` (success or
 * failure alike), and requests arriving while it runs share that one run. A load balancer polling
 * every instance, or a burst of probes, thus costs one Cosmos read and one Entra call per interval,
 * not one per request. `maxAgeMs` 0 still shares a run in flight.
 */
export function cachedProbes(probes: readonly ReadinessProbe[], maxAgeMs: number, now: () => number = Date.now): ReadinessProbe[] {
  return probes.map((probe) => {
    let last: { at: number; outcome: Promise<void> } | undefined;
    let running: Promise<void> | undefined;
    return {
      name: probe.name,
      check: () => {
        if (running) return running;
        if (last && now() - last.at < maxAgeMs) return last.outcome;
        const run = probe.check();
        running = run;
        const settle = (): void => {
          running = undefined;
          last = { at: now(), outcome: run };
        };
        run.then(settle, settle);
        return run;
      },
    };
  });
}
