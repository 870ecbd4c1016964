import { type EntraFailureName, isEntraFailureName } from './entra-errors';

export const GRANTS = ['on_behalf_of', 'refresh_token', 'client_credentials', 'other'] as const;
export type GrantName = (typeof GRANTS)[number];

export type FaultKind = EntraFailureName | 'http_500' | 'http_503';

/** Make the next `count` token requests (optionally only of one grant or user) fail or wait. */
export interface FaultRule {
  count: number;
  error?: FaultKind;
  delayMs?: number;
  grant?: GrantName;
  /** Object id, UPN or short name of the user the rule applies to. */
  user?: string;
}

export interface EntraCounters {
  tokenRequests: number;
  byGrant: Record<GrantName, number>;
  /** Token requests per user object id, per grant. */
  byUser: Record<string, Partial<Record<GrantName, number>>>;
  openidConfiguration: number;
  jwks: number;
  ssoTokens: number;
  /** On-behalf-of requests per assertion (its `uti` claim): a value above 1 means an assertion was presented again. */
  oboAssertions: Record<string, number>;
  /** Failed token requests per AADSTS code (e.g. `500133`). */
  aadstsErrors: Record<string, number>;
}

function emptyCounters(): EntraCounters {
  return {
    tokenRequests: 0,
    byGrant: { on_behalf_of: 0, refresh_token: 0, client_credentials: 0, other: 0 },
    byUser: {},
    openidConfiguration: 0,
    jwks: 0,
    ssoTokens: 0,
    oboAssertions: {},
    aadstsErrors: {},
  };
}

/** Mutable test state of one emulator instance: counters, queued faults, forced MFA. */
export class EntraControls {
  counters: EntraCounters = emptyCounters();
  private faults: FaultRule[] = [];
  readonly mfaRequired = new Set<string>();

  reset(): void {
    this.counters = emptyCounters();
    this.faults = [];
    this.mfaRequired.clear();
  }

  countToken(grant: GrantName, userObjectId: string | undefined): void {
    this.counters.tokenRequests += 1;
    this.counters.byGrant[grant] += 1;
    if (userObjectId) {
      const perUser = (this.counters.byUser[userObjectId] ??= {});
      perUser[grant] = (perUser[grant] ?? 0) + 1;
    }
  }

  countAssertion(uti: string): void {
    this.counters.oboAssertions[uti] = (this.counters.oboAssertions[uti] ?? 0) + 1;
  }

  countError(aadsts: number): void {
    const key = String(aadsts);
    this.counters.aadstsErrors[key] = (this.counters.aadstsErrors[key] ?? 0) + 1;
  }

  addFault(rule: FaultRule): void {
    this.faults.push({ ...rule });
  }

  /** Consumes the first matching rule, if any. `userKeys` are every name the caller is known by. */
  takeFault(grant: GrantName, userKeys: string[]): FaultRule | undefined {
    const keys = new Set(userKeys.map((k) => k.toLowerCase()));
    const index = this.faults.findIndex(
      (rule) => rule.count > 0 && (!rule.grant || rule.grant === grant) && (!rule.user || keys.has(rule.user.toLowerCase())),
    );
    if (index < 0) return undefined;
    const rule = this.faults[index]!;
    rule.count -= 1;
    if (rule.count <= 0) this.faults.splice(index, 1);
    return rule;
  }
}

/** Validates a fault rule sent over HTTP; returns an error message when it is not acceptable. */
export function parseFaultRule(input: unknown): FaultRule | string {
  if (typeof input !== 'object' || input === null) return 'body must be a JSON object';
  const raw = input as Record<string, unknown>;
  const count = raw.count ?? 1;
  if (typeof count !== 'number' || !Number.isInteger(count) || count < 1) return 'count must be a positive integer';
  const rule: FaultRule = { count };
  if (raw.error !== undefined) {
    if (raw.error !== 'http_500' && raw.error !== 'http_503' && !isEntraFailureName(raw.error)) return `unknown error ${String(raw.error)}`;
    rule.error = raw.error;
  }
  if (raw.delayMs !== undefined) {
    if (typeof raw.delayMs !== 'number' || raw.delayMs < 0) return 'delayMs must be a non-negative number';
    rule.delayMs = raw.delayMs;
  }
  if (rule.error === undefined && rule.delayMs === undefined) return 'give error or delayMs';
  if (raw.grant !== undefined) {
    if (!(GRANTS as readonly unknown[]).includes(raw.grant)) return `unknown grant ${String(raw.grant)}`;
    rule.grant = raw.grant as GrantName;
  }
  if (raw.user !== undefined) {
    if (typeof raw.user !== 'string') return 'user must be a string';
    rule.user = raw.user;
  }
  return rule;
}
