/**
 * Turns a QueryPlan into Databricks SQL (Spark's lexical rules: string literals with backslash escapes),
 * which the engine translates like any other statement (spark-sql.ts). Filter values come only from the space's closed vocabulary, never from
 * raw question text, and are still quoted defensively.
 */
import type { TableInfo } from '../engine-types';
import type { Dimension, Measure, QueryPlan } from './query-plan';

export const CATALOG_SCHEMA = 'main.retail';

/** Column names that differ between possible workspace layouts, resolved from the engine's catalog. */
export interface SchemaNames {
  productName: string;
  productCategory: string | undefined;
  customerName: string;
  customerEmail: string | undefined;
}

export function schemaNamesFrom(tables: TableInfo[]): SchemaNames {
  const columnsOf = (table: string): string[] =>
    tables.find((t) => t.fullName.toLowerCase() === `${CATALOG_SCHEMA}.${table}`)?.columns.map((c) => c.name.toLowerCase()) ?? [];
  const pick = (cols: string[], candidates: string[], fallback: string | undefined): string | undefined =>
    candidates.find((c) => cols.includes(c)) ?? fallback;
  const products = columnsOf('products');
  const customers = columnsOf('customers');
  return {
    productName: pick(products, ['name', 'product_name', 'title'], 'name') ?? 'name',
    productCategory: pick(products, ['category', 'product_category'], products.length === 0 ? 'category' : undefined),
    customerName: pick(customers, ['name', 'customer_name', 'full_name'], 'name') ?? 'name',
    customerEmail: pick(customers, ['email', 'email_address'], customers.length === 0 ? 'email' : undefined),
  };
}

const MEASURES: Record<Measure, { expr: string; alias: string; label: string }> = {
  revenue: { expr: 'CAST(SUM(o.amount) AS DECIMAL(18,2))', alias: 'total_sales', label: 'Total sales' },
  orders: { expr: 'COUNT(*)', alias: 'order_count', label: 'Number of orders' },
  avg_order: { expr: 'CAST(AVG(o.amount) AS DECIMAL(18,2))', alias: 'avg_order_value', label: 'Average order value' },
  quantity: { expr: 'SUM(o.quantity)', alias: 'total_quantity', label: 'Units sold' },
  customers: { expr: 'COUNT(DISTINCT o.customer_id)', alias: 'customer_count', label: 'Number of customers' },
};

function dimension(dim: Dimension, names: SchemaNames): { expr: string; alias: string; join?: 'products' | 'customers' } {
  switch (dim) {
    case 'region':
      return { expr: 'o.region', alias: 'region' };
    case 'status':
      return { expr: 'o.status', alias: 'status' };
    case 'month':
      return { expr: "CAST(date_trunc('month', o.order_date) AS DATE)", alias: 'month' };
    case 'product':
      return { expr: `p.${names.productName}`, alias: 'product', join: 'products' };
    case 'category':
      return { expr: `p.${names.productCategory ?? 'category'}`, alias: 'category', join: 'products' };
    case 'customer':
      return { expr: `c.${names.customerName}`, alias: 'customer', join: 'customers' };
  }
}

/**
 * A Spark string literal: backslash escapes, as SqlBaseLexer STRING_LITERAL reads them. (`''` would be
 * two adjacent literals to Spark, concatenated: `'O''Hare'` is `OHare`.)
 */
export function quote(value: string): string {
  return `'${value.replace(/\\/g, '\\\\').replace(/'/g, "\\'")}'`;
}

function inList(column: string, values: string[]): string {
  const lowered = values.map((v) => quote(v.toLowerCase()));
  return lowered.length === 1 ? `lower(${column}) = ${lowered[0]}` : `lower(${column}) IN (${lowered.join(', ')})`;
}

function orderFilters(plan: QueryPlan, alias: string): string[] {
  const where: string[] = [];
  if (plan.regions.length > 0) where.push(inList(`${alias}.region`, plan.regions));
  if (alias === 'o' && plan.statuses.length > 0) where.push(inList('o.status', plan.statuses));
  if (alias === 'o' && plan.dateFrom) where.push(`o.order_date >= DATE ${quote(plan.dateFrom)}`);
  if (alias === 'o' && plan.dateTo) where.push(`o.order_date < DATE ${quote(plan.dateTo)}`);
  return where;
}

function whereClause(conditions: string[]): string {
  return conditions.length === 0 ? '' : `\nWHERE ${conditions.join('\n  AND ')}`;
}

export function buildSql(plan: QueryPlan, names: SchemaNames): string {
  if (plan.kind === 'order_list') {
    return (
      `SELECT o.order_id, o.order_date, o.region, o.customer_id, o.product_id, o.quantity, o.amount, o.status\n` +
      `FROM ${CATALOG_SCHEMA}.orders o${whereClause(orderFilters(plan, 'o'))}\n` +
      `ORDER BY o.order_date DESC, o.order_id DESC\nLIMIT ${plan.limit ?? 20}`
    );
  }
  if (plan.kind === 'customer_list') {
    const email = names.customerEmail ? `, c.${names.customerEmail}` : '';
    return (
      `SELECT c.customer_id, c.${names.customerName}${email}, c.region\n` +
      `FROM ${CATALOG_SCHEMA}.customers c${whereClause(orderFilters(plan, 'c'))}\n` +
      `ORDER BY c.customer_id\nLIMIT ${plan.limit ?? 20}`
    );
  }
  const measure = MEASURES[plan.measure];
  const dim = plan.groupBy ? dimension(plan.groupBy, names) : undefined;
  const joins =
    dim?.join === 'products'
      ? `\nJOIN ${CATALOG_SCHEMA}.products p ON p.product_id = o.product_id`
      : dim?.join === 'customers'
        ? `\nJOIN ${CATALOG_SCHEMA}.customers c ON c.customer_id = o.customer_id`
        : '';
  const select = dim ? `SELECT ${dim.expr} AS ${dim.alias}, ${measure.expr} AS ${measure.alias}` : `SELECT ${measure.expr} AS ${measure.alias}`;
  let sql = `${select}\nFROM ${CATALOG_SCHEMA}.orders o${joins}${whereClause(orderFilters(plan, 'o'))}`;
  if (dim) {
    sql += `\nGROUP BY ${dim.expr}`;
    const chronological = plan.groupBy === 'month' && plan.limit === undefined;
    sql += chronological ? `\nORDER BY ${dim.alias}` : `\nORDER BY ${measure.alias} ${plan.sort.toUpperCase()}, ${dim.alias}`;
  }
  if (plan.limit !== undefined) sql += `\nLIMIT ${plan.limit}`;
  return sql;
}

const DIMENSION_LABELS: Record<Dimension, string> = {
  region: 'region',
  product: 'product',
  category: 'product category',
  customer: 'customer',
  month: 'month',
  status: 'status',
};

function filterPhrase(plan: QueryPlan): string {
  const parts: string[] = [];
  if (plan.regions.length > 0) parts.push(`region ${plan.regions.join(' or ')}`);
  if (plan.statuses.length > 0) parts.push(`status ${plan.statuses.join(' or ')}`);
  if (plan.dateFrom && plan.dateTo) parts.push(`orders from ${plan.dateFrom} up to ${plan.dateTo}`);
  else if (plan.dateFrom) parts.push(`orders since ${plan.dateFrom}`);
  else if (plan.dateTo) parts.push(`orders before ${plan.dateTo}`);
  return parts.join(', ');
}

export function describePlan(plan: QueryPlan): { title: string; description: string } {
  const filters = filterPhrase(plan);
  const suffix = filters ? ` (${filters})` : '';
  if (plan.kind === 'order_list') {
    return { title: `Latest orders${suffix}`, description: `Lists the most recent orders${filters ? `, filtered to ${filters}` : ''}.` };
  }
  if (plan.kind === 'customer_list') {
    return { title: `Customers${suffix}`, description: `Lists customers${filters ? `, filtered to ${filters}` : ''}.` };
  }
  const measure = MEASURES[plan.measure];
  const top = plan.limit !== undefined && plan.groupBy ? `${plan.sort === 'desc' ? 'Top' : 'Bottom'} ${plan.limit} ` : '';
  const by = plan.groupBy ? ` by ${DIMENSION_LABELS[plan.groupBy]}` : '';
  const title = top ? `${top}${DIMENSION_LABELS[plan.groupBy ?? 'region']}s by ${measure.label.toLowerCase()}${suffix}` : `${measure.label}${by}${suffix}`;
  const description =
    `Computes ${measure.label.toLowerCase()} over main.retail.orders${by ? `, grouped${by}` : ''}` +
    `${filters ? `, filtered to ${filters}` : ''}${top ? `, keeping the ${plan.sort === 'desc' ? 'highest' : 'lowest'} ${plan.limit}` : ''}.`;
  return { title, description };
}
