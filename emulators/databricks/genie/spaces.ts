/**
 * The Genie spaces the emulator serves: each one's tables, instructions, vocabulary and example
 * question → SQL pairs (the SQL is generated from a plan, so follow-ups can refine it).
 */
import type { Interpretation } from './nl-to-sql';
import { EMPTY_PLAN, type QueryPlan } from './query-plan';

export const DEFAULT_SPACE_ID = '01ef0000000000000000000000000a1e';

export interface GenieExample {
  question: string;
  plan: QueryPlan;
}

/** Genie space ACL levels, lowest first (docs.databricks.com/aws/en/genie/set-up#share: CAN VIEW, CAN RUN, CAN EDIT, CAN MANAGE). */
export const SPACE_LEVELS = ['CAN_VIEW', 'CAN_RUN', 'CAN_EDIT', 'CAN_MANAGE'] as const;
export type SpaceLevel = (typeof SPACE_LEVELS)[number];

/** One ACL entry: `group:<name>` or `user:<upn>`. */
export interface SpacePermission {
  principal: string;
  level: SpaceLevel;
}

/** A space-specific interpreter (the retail space uses the shared plan-based one in nl-to-sql.ts). */
export type SpaceInterpreter = (question: string) => Interpretation;

export interface GenieSpaceDefinition {
  spaceId: string;
  /** Who may use the space; a user with no entry neither lists nor opens it. */
  permissions: SpacePermission[];
  /** The space's sample questions (served in `serialized_space`, to CAN EDIT and above only). */
  sampleQuestions: string[];
  interpret?: SpaceInterpreter;
  title: string;
  description: string;
  warehouseId: string;
  tables: string[];
  instructions: string[];
  /** Closed vocabularies the question parser recognises, in their canonical spelling. */
  vocabulary: { regions: string[]; statuses: Record<string, string[]> };
  examples: GenieExample[];
}

const plan = (overrides: Partial<QueryPlan>): QueryPlan => ({ ...EMPTY_PLAN, ...overrides });

export const RETAIL_SPACE: GenieSpaceDefinition = {
  spaceId: DEFAULT_SPACE_ID,
  permissions: [
    // Analysts curate the retail space (CAN EDIT: they read its tables and sample questions); the load
    // users only run it, like most people in a real workspace.
    { principal: 'group:analysts', level: 'CAN_EDIT' },
    { principal: 'group:loadtest', level: 'CAN_RUN' },
    { principal: 'group:admins', level: 'CAN_MANAGE' },
  ],
  sampleQuestions: ['What are total sales by region?', 'How many orders are pending?', 'Who are the top 5 customers by revenue?'],
  title: 'Retail sales',
  description: 'Orders, customers and products of the retail business, by region.',
  warehouseId: 'e0a1b2c3d4e5f607',
  tables: ['main.retail.orders', 'main.retail.customers', 'main.retail.products', 'main.retail.regions', 'main.retail.region_targets'],
  instructions: [
    'Revenue and sales mean SUM(orders.amount).',
    'Use order_date for time filters; months are date_trunc(month, order_date).',
    'Never modify data; answer questions only.',
  ],
  vocabulary: {
    regions: ['West', 'East', 'North', 'South', 'Central'],
    statuses: {
      pending: ['pending', 'open', 'unshipped'],
      shipped: ['shipped', 'in transit'],
      delivered: ['delivered', 'completed', 'fulfilled'],
      cancelled: ['cancelled', 'canceled', 'cancellations'],
      returned: ['returned', 'returns', 'refunded'],
    },
  },
  examples: [
    { question: 'What are total sales by region?', plan: plan({ groupBy: 'region' }) },
    { question: 'How many orders are pending?', plan: plan({ measure: 'orders', statuses: ['pending'] }) },
    { question: 'Who are the top 5 customers by revenue?', plan: plan({ groupBy: 'customer', limit: 5 }) },
    { question: 'Show monthly sales for 2024', plan: plan({ groupBy: 'month', dateFrom: '2024-01-01', dateTo: '2025-01-01' }) },
    { question: 'What is the average order value by product?', plan: plan({ measure: 'avg_order', groupBy: 'product' }) },
    { question: 'How many orders were cancelled in each region?', plan: plan({ measure: 'orders', groupBy: 'region', statuses: ['cancelled'] }) },
  ],
};

/** The highest ACL level `user` holds on `space` (direct or through a group), or undefined. */
export function levelOf(space: GenieSpaceDefinition, user: { upn: string; groups: string[] }): SpaceLevel | undefined {
  const mine = space.permissions.filter(
    (p) => p.principal.toLowerCase() === `user:${user.upn.toLowerCase()}` || user.groups.some((g) => p.principal === `group:${g}`),
  );
  const best = Math.max(-1, ...mine.map((p) => SPACE_LEVELS.indexOf(p.level)));
  return best < 0 ? undefined : SPACE_LEVELS[best];
}

export function atLeast(level: SpaceLevel | undefined, wanted: SpaceLevel): boolean {
  return level !== undefined && SPACE_LEVELS.indexOf(level) >= SPACE_LEVELS.indexOf(wanted);
}
