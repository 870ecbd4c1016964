import type { GraphCounters, GraphFaultRule } from './controls';

/** Typed access to the Graph emulator's test controls, for tests and scripts. */
export interface GraphControlClient {
  counters(): Promise<GraphCounters>;
  reset(): Promise<void>;
  fault(rule: GraphFaultRule): Promise<void>;
  /** Removes the fault rules of one user (all rules when omitted): Graph is back. */
  clearFaults(user?: string): Promise<void>;
}

export function graphControlClient(controlUrl: string): GraphControlClient {
  const post = async (path: string, body: unknown): Promise<void> => {
    const response = await fetch(`${controlUrl}${path}`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) });
    if (!response.ok) throw new Error(`Graph emulator ${path} answered ${response.status}: ${await response.text()}`);
  };
  return {
    counters: async () => (await (await fetch(`${controlUrl}/counters`)).json()) as GraphCounters,
    reset: () => post('/reset', {}),
    fault: (rule) => post('/faults', rule),
    clearFaults: (user) => post('/faults/clear', user === undefined ? {} : { user }),
  };
}
