/** Test controls of the Graph emulator: request counters and fault rules ("Graph down", throttled, slow). */
export const GRAPH_FAULT_MODES = ['http_500', 'http_503', 'http_429', 'reset', 'delay'] as const;
export type GraphFaultMode = (typeof GRAPH_FAULT_MODES)[number];

/**
 * `reset` drops the connection without an answer (the service is down); `delay` answers normally
 * after `delayMs` (slow); the `http_*` modes answer with Graph's error envelope. Without `count` the
 * rule stays until cleared.
 */
export interface GraphFaultRule {
  mode: GraphFaultMode;
  count?: number;
  delayMs?: number;
  /** For `http_429`/`http_503`: the `Retry-After` header, in seconds. */
  retryAfterSeconds?: number;
  /** Object id, UPN or short name of the user (the token's subject) the rule applies to. */
  user?: string;
}

export interface GraphCounters {
  /** checkMemberGroups requests received (faulted ones included). */
  checkMemberGroups: number;
  /** Per subject object id (read from the token, before validation). */
  byUser: Record<string, number>;
  answered: number;
  unauthorized: number;
  forbidden: number;
  faulted: number;
}

const emptyCounters = (): GraphCounters => ({ checkMemberGroups: 0, byUser: {}, answered: 0, unauthorized: 0, forbidden: 0, faulted: 0 });

export class GraphControls {
  counters: GraphCounters = emptyCounters();
  private faults: GraphFaultRule[] = [];

  reset(): void {
    this.counters = emptyCounters();
    this.faults = [];
  }

  addFault(rule: GraphFaultRule): void {
    this.faults.push({ ...rule });
  }

  /** Removes the rules for `user` (all rules when undefined). */
  clearFaults(user?: string): void {
    this.faults = user === undefined ? [] : this.faults.filter((r) => r.user?.toLowerCase() !== user.toLowerCase());
  }

  /** Consumes one use of the first rule matching any of the caller's names. */
  takeFault(userKeys: string[]): GraphFaultRule | undefined {
    const keys = new Set(userKeys.map((k) => k.toLowerCase()));
    const index = this.faults.findIndex((rule) => !rule.user || keys.has(rule.user.toLowerCase()));
    if (index < 0) return undefined;
    const rule = this.faults[index]!;
    if (rule.count !== undefined) {
      rule.count -= 1;
      if (rule.count <= 0) this.faults.splice(index, 1);
    }
    return rule;
  }
}

/** Validates a fault rule sent over HTTP; returns an error message when it is not acceptable. */
export function parseGraphFaultRule(input: Record<string, unknown>): GraphFaultRule | string {
  const mode = input.mode;
  if (!(GRAPH_FAULT_MODES as readonly unknown[]).includes(mode)) return `mode must be one of ${GRAPH_FAULT_MODES.join(', ')}`;
  const rule: GraphFaultRule = { mode: mode as GraphFaultMode };
  const positiveInt = (v: unknown): v is number => typeof v === 'number' && Number.isInteger(v) && v >= 0;
  if (input.count !== undefined) {
    if (!positiveInt(input.count) || input.count < 1) return 'count must be a positive integer';
    rule.count = input.count;
  }
  if (input.delayMs !== undefined) {
    if (!positiveInt(input.delayMs)) return 'delayMs must be a non-negative integer';
    rule.delayMs = input.delayMs;
  }
  if (rule.mode === 'delay' && rule.delayMs === undefined) return 'mode delay needs delayMs';
  if (input.retryAfterSeconds !== undefined) {
    if (!positiveInt(input.retryAfterSeconds)) return 'retryAfterSeconds must be a non-negative integer';
    rule.retryAfterSeconds = input.retryAfterSeconds;
  }
  if (input.user !== undefined) {
    if (typeof input.user !== 'string') return 'user must be a string';
    rule.user = input.user;
  }
  return rule;
}
