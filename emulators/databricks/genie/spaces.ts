/**
 * The Genie spaces the emulator serves: each one's tables, instructions, vocabulary and example
 * question → SQL pairs (the SQL is generated from a plan, so follow-ups can refine it).
 */
import { EMPTY_PLAN, type QueryPlan } from './query-plan';

export const DEFAULT_SPACE_ID = '01ef0000000000000000000000000a1e';

export interface GenieExample {
  question: string;
  plan: QueryPlan;
}

export interface GenieSpaceDefinition {
  spaceId: string;
  title: string;
  description: string;
  warehouseId: string;
  tables: string[];
  /** Principals (`group:<name>` or `user:<upn>`) with CAN EDIT: only they may read `serialized_space`. */
  editors?: string[];
  instructions: string[];
  /** Closed vocabularies the question parser recognises, in their canonical spelling. */
  vocabulary: { regions: string[]; statuses: Record<string, string[]> };
  examples: GenieExample[];
}

const plan = (overrides: Partial<QueryPlan>): QueryPlan => ({ ...EMPTY_PLAN, ...overrides });

export const RETAIL_SPACE: GenieSpaceDefinition = {
  spaceId: DEFAULT_SPACE_ID,
  title: 'Retail sales',
  description: 'Orders, customers and products of the retail business, by region.',
  warehouseId: 'e0a1b2c3d4e5f607',
  tables: ['main.retail.orders', 'main.retail.customers', 'main.retail.products', 'main.retail.regions', 'main.retail.region_targets'],
  editors: ['group:analysts', 'group:admins', 'group:loadtest'],
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

export const DEFAULT_SPACES: GenieSpaceDefinition[] = [RETAIL_SPACE];
