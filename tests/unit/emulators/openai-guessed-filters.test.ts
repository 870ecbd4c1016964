import { routingReply, tablesInPrompt } from '../../../emulators/openai/rules';

/** The product's catalog prompt (information_schema as the user sees it): column names and types, no value lists. */
const CATALOG = '- main.retail.orders: order_id BIGINT, order_date DATE, region STRING, customer_id INT, quantity INT, amount DECIMAL, status STRING';
const LISTED = '- main.retail.orders: order_id BIGINT, status STRING (one of: "pending", "cancelled"), region STRING (one of: "West", "East")';

describe('the emulated model guesses values a catalog prompt does not list, as a real model would', () => {
  it('when the prompt lists columns without values, then "delete the cancelled orders in West" becomes a bounded DELETE on status and region', () => {
    const tables = tablesInPrompt(CATALOG);
    expect(routingReply('delete the cancelled orders in West', tables)).toEqual({ intent: 'change', sql: "DELETE FROM main.retail.orders WHERE status = 'cancelled' AND region = 'West'" });
    expect(routingReply('mark the pending orders in east as shipped', tables)).toEqual({ intent: 'change', sql: "UPDATE main.retail.orders SET status = 'shipped' WHERE status = 'pending' AND region = 'East'" });
  });

  it('when nothing in the words bounds the change, then still no SQL (no guess from "the", "all" or the verb)', () => {
    const tables = tablesInPrompt(CATALOG);
    expect(routingReply('delete the orders', tables)).toEqual({ intent: 'change' });
    expect(routingReply('delete all orders', tables)).toEqual({ intent: 'change' });
  });

  it('when the prompt lists the values, then only listed values are used (no guess beside them)', () => {
    const tables = tablesInPrompt(LISTED);
    expect(routingReply('delete the archived orders in North', tables)).toEqual({ intent: 'change' });
  });
});
