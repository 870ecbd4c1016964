/**
 * Deterministic seed data for `main.retail`: the same rows on every start (seeded PRNG), so tests
 * and demos can rely on counts and values.
 */

export const REGIONS = [
  { region: 'West', manager: 'Maria Lopez' },
  { region: 'East', manager: 'James Chen' },
  { region: 'North', manager: 'Priya Shah' },
  { region: 'South', manager: 'Tom Becker' },
  { region: 'Central', manager: 'Ana Costa' },
] as const;

/** `main.retail.region_targets`: readable by region_east and admins only (a table alice has no grant on). */
export const REGION_TARGETS = [
  { region: 'East', year: 2025, target_amount: '1250000.00' },
  { region: 'West', year: 2025, target_amount: '1400000.00' },
] as const;

export const ORDER_STATUSES = ['pending', 'shipped', 'delivered', 'cancelled', 'returned'] as const;

const CATEGORIES = ['Hardware', 'Software', 'Accessories', 'Services'] as const;
const FIRST = ['Olivia', 'Liam', 'Emma', 'Noah', 'Ava', 'Lucas', 'Mia', 'Ethan', 'Sofia', 'Mateo', 'Aria', 'Leo', 'Zoe', 'Kai', 'Nora', 'Ivan'];
const LAST = ['Smith', 'Garcia', 'Müller', 'Nguyen', 'Okafor', 'Rossi', 'Kowalski', 'Tanaka', 'Silva', 'Dubois', 'Haddad', 'Larsen'];
const PRODUCT_WORDS = ['Laptop', 'Monitor', 'Dock', 'Keyboard', 'Mouse', 'Headset', 'Licence', 'Support Plan', 'Cable', 'Webcam'];

export const CUSTOMER_COUNT = 500;
export const PRODUCT_COUNT = 40;
export const ORDER_COUNT = 5000;

export interface CustomerRow { customer_id: number; name: string; email: string; region: string }
export interface ProductRow { product_id: number; name: string; category: string; unit_price: string }
export interface OrderRow {
  order_id: number; order_date: string; region: string; customer_id: number; product_id: number;
  quantity: number; amount: string; status: string;
}
export interface SeedData { customers: CustomerRow[]; products: ProductRow[]; orders: OrderRow[] }

/** mulberry32: small, fast, deterministic. */
export function prng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

export function generateSeed(seed = 20240601): SeedData {
  const rand = prng(seed);
  const pick = <T>(items: readonly T[]): T => items[Math.floor(rand() * items.length)]!;

  const customers: CustomerRow[] = Array.from({ length: CUSTOMER_COUNT }, (_, i) => {
    const first = pick(FIRST);
    const last = pick(LAST);
    const id = i + 1;
    return {
      customer_id: id,
      name: `${first} ${last}`,
      email: `${first}.${last}.${id}@example.com`.toLowerCase().replace('ü', 'ue'),
      region: REGIONS[i % REGIONS.length]!.region,
    };
  });

  const products: ProductRow[] = Array.from({ length: PRODUCT_COUNT }, (_, i) => ({
    product_id: i + 1,
    name: `${PRODUCT_WORDS[i % PRODUCT_WORDS.length]} ${String.fromCharCode(65 + Math.floor(i / PRODUCT_WORDS.length))}`,
    category: CATEGORIES[i % CATEGORIES.length]!,
    unit_price: (5 + Math.floor(rand() * 200000) / 100).toFixed(2),
  }));

  const start = Date.UTC(2024, 0, 1);
  const days = 730;
  const orders: OrderRow[] = Array.from({ length: ORDER_COUNT }, (_, i) => {
    const customer = customers[Math.floor(rand() * customers.length)]!;
    const product = products[Math.floor(rand() * products.length)]!;
    const quantity = 1 + Math.floor(rand() * 10);
    const date = new Date(start + Math.floor(rand() * days) * 86_400_000).toISOString().slice(0, 10);
    const roll = rand();
    const status = roll < 0.12 ? 'pending' : roll < 0.45 ? 'shipped' : roll < 0.85 ? 'delivered' : roll < 0.95 ? 'cancelled' : 'returned';
    return {
      order_id: 100_001 + i,
      order_date: date,
      region: customer.region,
      customer_id: customer.customer_id,
      product_id: product.product_id,
      quantity,
      amount: (quantity * Number(product.unit_price)).toFixed(2),
      status,
    };
  });
  return { customers, products, orders };
}
