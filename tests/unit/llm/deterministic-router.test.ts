import { createDeterministicRouter, nlToDml } from '../../../src/llm';

const router = createDeterministicRouter();
const route = (text: string, memories: string[] = []) => router.route(text, { memories });

describe('deterministic router', () => {
  it.each([
    ['how many orders were cancelled in 2024?'],
    ['What is the revenue by region?'],
    ['which orders should I delete?'],
    ['show the top 5 customers'],
  ])('when asked %j, then it is a Genie question', async (text) => {
    expect(await route(text)).toEqual({ kind: 'question', question: text });
  });

  it.each([
    ['delete the cancelled orders in East', "DELETE FROM main.retail.orders WHERE status = 'cancelled' AND region = 'East'"],
    ['Please remove returned orders before 2020', "DELETE FROM main.retail.orders WHERE status = 'returned' AND order_date < '2020-01-01'"],
    ['can you mark order 100123 as shipped', "UPDATE main.retail.orders SET status = 'shipped' WHERE order_id = 100123"],
    ['change the pending orders in West to delivered', "UPDATE main.retail.orders SET status = 'delivered' WHERE status = 'pending' AND region = 'West'"],
    ['delete orders 100001, 100002 and 100003', 'DELETE FROM main.retail.orders WHERE order_id IN (100001, 100002, 100003)'],
    ['delete all orders', 'DELETE FROM main.retail.orders'],
  ])('when asked %j, then it is a change with derived SQL', async (text, sql) => {
    expect(await route(text)).toEqual({ kind: 'change', sql, source: 'derived' });
  });

  it.each([['delete the orders'], ['update the customers somehow'], ['add a new product called Widget'], ['drop the orders table']])(
    'when a change %j cannot be derived, then the reply explains how to give SQL and it never becomes a question',
    async (text) => {
      const intent = await route(text);
      expect(intent.kind).toBe('change-without-sql');
      if (intent.kind === 'change-without-sql') expect(intent.hint).toMatch(/run: /);
    },
  );

  it('when the message is "run: <SQL>", then the SQL is taken verbatim', async () => {
    expect(await route('run: DELETE FROM t WHERE id = 1')).toEqual({ kind: 'change', sql: 'DELETE FROM t WHERE id = 1', source: 'user' });
  });

  it('when the message holds a fenced sql block, then that SQL is taken verbatim', async () => {
    const text = 'please run this\n```sql\nUPDATE t SET a = 1\nWHERE id = 2\n```';
    expect(await route(text)).toEqual({ kind: 'change', sql: 'UPDATE t SET a = 1\nWHERE id = 2', source: 'user' });
  });

  it.each([
    ['remember that my region is West', { kind: 'remember', text: 'my region is West' }],
    ['what do you remember', { kind: 'recall' }],
    ['forget everything', { kind: 'forget', what: 'all' }],
    ['forget my region', { kind: 'forget', what: 'my region' }],
    ['help', { kind: 'help' }],
    ['', { kind: 'help' }],
  ])('when the message is %j, then the intent is %j', async (text, expected) => {
    expect(await route(text)).toEqual(expected);
  });

  it('when the user remembered their region, then "my region" is resolved in questions and changes', async () => {
    const memories = ['my region is West'];
    expect(await route('how many orders in my region?', memories)).toEqual({ kind: 'question', question: 'how many orders in West?' });
    expect(await route('delete the cancelled orders in my region', memories)).toEqual({
      kind: 'change',
      sql: "DELETE FROM main.retail.orders WHERE status = 'cancelled' AND region = 'West'",
      source: 'derived',
    });
  });
});

describe('nlToDml', () => {
  it('when a request names no filter and not "all", then no SQL is derived', () => {
    expect(nlToDml('delete orders').ok).toBe(false);
  });

  it('when a request quotes free text, then it never reaches the SQL', () => {
    const result = nlToDml("delete the cancelled orders in East'; DROP TABLE x; --");
    expect(result).toEqual({ ok: true, sql: "DELETE FROM main.retail.orders WHERE status = 'cancelled' AND region = 'East'" });
  });
});
