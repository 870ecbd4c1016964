/**
 * The emulator's structured form of a question: what to measure, how to group, which filters.
 * Natural language is parsed into a (partial) plan; follow-ups merge onto the previous plan.
 */
export type Measure = 'revenue' | 'orders' | 'avg_order' | 'quantity' | 'customers';
export type Dimension = 'region' | 'product' | 'category' | 'customer' | 'month' | 'status';
export type PlanKind = 'aggregate' | 'order_list' | 'customer_list';

export interface QueryPlan {
  kind: PlanKind;
  measure: Measure;
  groupBy: Dimension | undefined;
  regions: string[];
  statuses: string[];
  /** Inclusive ISO date. */
  dateFrom: string | undefined;
  /** Exclusive ISO date. */
  dateTo: string | undefined;
  limit: number | undefined;
  sort: 'desc' | 'asc';
}

/** What one utterance says; `undefined` means "not mentioned". */
export interface PartialPlan {
  kind?: PlanKind;
  measure?: Measure;
  groupBy?: Dimension | null;
  regions?: string[];
  statuses?: string[];
  dateFrom?: string | undefined;
  dateTo?: string | undefined;
  hasDate?: boolean;
  limit?: number;
  sort?: 'desc' | 'asc';
}

export const EMPTY_PLAN: QueryPlan = {
  kind: 'aggregate',
  measure: 'revenue',
  groupBy: undefined,
  regions: [],
  statuses: [],
  dateFrom: undefined,
  dateTo: undefined,
  limit: undefined,
  sort: 'desc',
};

/** Applies what an utterance mentions over a base plan. */
export function mergePlan(base: QueryPlan, partial: PartialPlan): QueryPlan {
  const next: QueryPlan = { ...base, regions: [...base.regions], statuses: [...base.statuses] };
  if (partial.kind !== undefined) next.kind = partial.kind;
  if (partial.measure !== undefined) {
    next.measure = partial.measure;
    if (partial.kind === undefined && next.kind !== 'aggregate') next.kind = 'aggregate';
  }
  if (partial.groupBy !== undefined) {
    next.groupBy = partial.groupBy ?? undefined;
    if (partial.kind === undefined) next.kind = 'aggregate';
  }
  if (partial.regions !== undefined) next.regions = partial.regions;
  if (partial.statuses !== undefined) next.statuses = partial.statuses;
  if (partial.hasDate) {
    next.dateFrom = partial.dateFrom;
    next.dateTo = partial.dateTo;
  }
  if (partial.limit !== undefined) next.limit = partial.limit;
  if (partial.sort !== undefined) next.sort = partial.sort;
  return next;
}
