/**
 * The demo workspace: one catalog/schema (`main.retail`, a Postgres schema `retail`), its tables,
 * Unity-Catalog-style grants per principal, row filters and column masks. `pg-setup.ts` turns this
 * into Postgres roles, privileges, RLS policies and a masking view, so Postgres enforces all of it.
 */
import type { EngineColumn } from '../engine-types';

export const CATALOG = 'main';
export const SCHEMA = 'retail';
/** The Postgres schema holding what users query; `uc_base` holds masked tables' raw data. */
export const PG_SCHEMA = 'retail';
export const PG_BASE_SCHEMA = 'uc_base';
export const PG_SECURITY_SCHEMA = 'uc';
export const OWNER_ROLE = 'uc_owner';

export type Privilege = 'USE' | 'SELECT' | 'MODIFY';

export interface WorkspaceColumn extends EngineColumn {
  pgType: string;
}

export interface WorkspaceTable {
  name: string;
  comment: string;
  columns: WorkspaceColumn[];
  primaryKey: string;
  /** SQL predicate over the table's columns; rows where it is false are invisible (and unmodifiable). */
  rowFilter?: string;
  /** Column → SQL expression that replaces the column's value for readers. */
  masks?: Record<string, string>;
}

const col = (name: string, type: string, pgType: string): WorkspaceColumn => ({ name, type, pgType });

/** Alice sees West, Bob East, admins everything, load users their `customer_id % 50` slice. */
const REGION_OR_SLICE_FILTER =
  "uc.is_member('admins') OR (uc.is_member('region_west') AND region = 'West') " +
  "OR (uc.is_member('region_east') AND region = 'East') " +
  "OR (uc.is_member('loadtest') AND customer_id % 50 = uc.load_slice())";

export const TABLES: WorkspaceTable[] = [
  {
    name: 'orders',
    comment: 'One row per customer order: date, region, customer, product, quantity, amount and status.',
    primaryKey: 'order_id',
    columns: [
      col('order_id', 'BIGINT', 'bigint'),
      col('order_date', 'DATE', 'date'),
      col('region', 'STRING', 'text'),
      col('customer_id', 'INT', 'integer'),
      col('product_id', 'INT', 'integer'),
      col('quantity', 'INT', 'integer'),
      col('amount', 'DECIMAL', 'numeric(12,2)'),
      col('status', 'STRING', 'text'),
    ],
    rowFilter: REGION_OR_SLICE_FILTER,
  },
  {
    name: 'customers',
    comment: 'Customers with their home region. email is PII (masked unless in pii_readers).',
    primaryKey: 'customer_id',
    columns: [col('customer_id', 'INT', 'integer'), col('name', 'STRING', 'text'), col('email', 'STRING', 'text'), col('region', 'STRING', 'text')],
    rowFilter: REGION_OR_SLICE_FILTER,
    masks: { email: "CASE WHEN uc.is_member('pii_readers') THEN email ELSE uc.mask_email(email) END" },
  },
  {
    name: 'products',
    comment: 'Product catalogue with category and unit price.',
    primaryKey: 'product_id',
    columns: [col('product_id', 'INT', 'integer'), col('name', 'STRING', 'text'), col('category', 'STRING', 'text'), col('unit_price', 'DECIMAL', 'numeric(10,2)')],
  },
  {
    name: 'regions',
    comment: 'Sales regions and their managers.',
    primaryKey: 'region',
    columns: [col('region', 'STRING', 'text'), col('manager', 'STRING', 'text')],
  },
  {
    name: 'region_targets',
    comment: 'Yearly sales targets per region. Restricted: only region_east and admins may read it.',
    primaryKey: 'region',
    columns: [col('region', 'STRING', 'text'), col('year', 'INT', 'integer'), col('target_amount', 'DECIMAL', 'numeric(14,2)')],
  },
];

export interface Grant {
  /** `group:<name>` or `user:<upn>`. */
  principal: string;
  privilege: Privilege;
  /** Table name in `main.retail`; absent for USE on the schema. */
  table?: string;
}

/** Tables every reader group gets; `region_targets` is granted separately (alice has no grant on it). */
const RESTRICTED = new Set(['region_targets']);
const ALL = TABLES.filter((t) => !RESTRICTED.has(t.name)).map((t) => t.name);
const select = (principal: string): Grant[] => ALL.map((table) => ({ principal, privilege: 'SELECT', table }));

export const GRANTS: Grant[] = [
  { principal: 'group:analysts', privilege: 'USE' },
  ...select('group:analysts'),
  { principal: 'group:loadtest', privilege: 'USE' },
  ...select('group:loadtest'),
  { principal: 'group:admins', privilege: 'USE' },
  ...select('group:admins'),
  { principal: 'group:admins', privilege: 'SELECT', table: 'region_targets' },
  { principal: 'group:region_east', privilege: 'SELECT', table: 'region_targets' },
  ...['orders', 'customers', 'products'].map((table): Grant => ({ principal: 'group:admins', privilege: 'MODIFY', table })),
  { principal: 'user:alice@contoso.example', privilege: 'MODIFY', table: 'orders' },
];

export function fullName(table: string): string {
  return `${CATALOG}.${SCHEMA}.${table}`;
}
