import { answerFor, routingReply, tablesInPrompt } from '../../../emulators/openai/rules';

/** The two ways the product's prompt has listed tables: value lists with `/`, and typed columns with `one of`. */
const SLASHED = '- main.retail.orders (id order_id, date order_date; status: pending/shipped/delivered/cancelled; region: West/East)';
const TYPED = '- main.retail.orders: order_id BIGINT, status STRING (one of: "pending", "shipped", "delivered", "cancelled"), region STRING (one of: "West", "East"), order_date DATE';
const OTHER = '- sales.crm.customers: customer_id BIGINT, tier STRING (one of: "gold", "silver")';
const prompt = (tables: string): string => `Reply with one JSON object. {"intent":"question"} …\nTables:\n${tables}\nFacts the user asked you to remember:\n- "my region is West"`;

describe('the Azure OpenAI emulator’s rules (answers from the prompt, never from a fixed schema)', () => {
  it.each([['value lists', SLASHED], ['typed columns', TYPED]])('when the prompt lists tables with %s, then it reads the name, id column and values', (_, line) => {
    expect(tablesInPrompt(prompt(line))).toEqual([
      expect.objectContaining({ name: 'main.retail.orders', noun: 'order', idColumn: 'order_id', valueColumns: [{ column: 'status', values: ['pending', 'shipped', 'delivered', 'cancelled'] }, { column: 'region', values: ['West', 'East'] }] }),
    ]);
  });

  it('when a memory line is quoted, then it is not read as a table', () => {
    expect(tablesInPrompt('- "main.retail.orders is mine"\n- "my region is West"')).toEqual([]);
  });

  it('when a change names a listed table, then the SQL uses only that table and the values the prompt lists', () => {
    const tables = tablesInPrompt(prompt(`${TYPED}\n${OTHER}`));
    expect(routingReply('delete the cancelled orders in East', tables)).toEqual({ intent: 'change', sql: "DELETE FROM main.retail.orders WHERE status = 'cancelled' AND region = 'East'" });
    expect(routingReply('mark the customers from 7 to 9 as gold', tables)).toEqual({ intent: 'change', sql: "UPDATE sales.crm.customers SET tier = 'gold' WHERE customer_id BETWEEN 7 AND 9" });
  });

  it('when the change names no listed table, or nothing bounds it, then no SQL is written', () => {
    const tables = tablesInPrompt(prompt(TYPED));
    expect(routingReply('delete the cancelled invoices', tables)).toEqual({ intent: 'change' });
    expect(routingReply('delete the orders', tables)).toEqual({ intent: 'change' });
    expect(routingReply('delete the cancelled orders', [])).toEqual({ intent: 'change' });
  });

  it('when the user insists on DDL or two changes, then the emulated model complies (the product’s guard must refuse)', () => {
    const tables = tablesInPrompt(prompt(SLASHED));
    expect(routingReply('drop the orders table', tables)).toEqual({ intent: 'change', sql: 'DROP TABLE main.retail.orders' });
    expect(routingReply('delete the cancelled orders and then mark order 5 as shipped', tables).sql).toBe("DELETE FROM main.retail.orders WHERE status = 'cancelled'; UPDATE main.retail.orders SET status = 'shipped' WHERE order_id = 5");
  });

  it('when the message is a question, memory or help, then the intent says so', () => {
    expect(routingReply('How many orders are pending?', [])).toEqual({ intent: 'question', question: 'How many orders are pending?' });
    expect(routingReply('remember that my team is Ops', [])).toEqual({ intent: 'remember', text: 'my team is Ops' });
    expect(routingReply('what do you remember about me?', [])).toEqual({ intent: 'recall' });
    expect(routingReply('forget everything', [])).toEqual({ intent: 'forget', text: 'all' });
    expect(routingReply('help', [])).toEqual({ intent: 'help' });
  });

  it('when the system prompt does not ask for routing JSON, then the answer is plain text', () => {
    expect(answerFor([{ role: 'user', content: 'hello' }])).not.toMatch(/^\{/);
    expect(JSON.parse(answerFor([{ role: 'system', content: prompt(SLASHED) }, { role: 'user', content: [{ type: 'text', text: 'help' }] }]))).toEqual({ intent: 'help' });
  });
});

describe('the emulated model without value lists (a catalog gives names and types only)', () => {
  it('when the change says "as <word>" and the table has a STRING status column, then it sets that column as a model would', () => {
    const tables = tablesInPrompt('Tables:\n- main.retail.orders: order_id BIGINT, status STRING, region STRING');
    expect(tables[0]?.stateColumn).toBe('status');
    expect(routingReply('mark order 7 as shipped', tables)).toEqual({ intent: 'change', sql: "UPDATE main.retail.orders SET status = 'shipped' WHERE order_id = 7" });
  });
});
