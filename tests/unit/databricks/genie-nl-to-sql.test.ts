import { interpret, type Interpretation } from '../../../emulators/databricks/genie/nl-to-sql';
import { RETAIL_SPACE } from '../../../emulators/databricks/genie/spaces';
import { schemaNamesFrom } from '../../../emulators/databricks/genie/sql-builder';
import type { QueryPlan } from '../../../emulators/databricks/genie/query-plan';

const names = schemaNamesFrom([]);

function ask(question: string, previous?: QueryPlan): Interpretation {
  return interpret(question, previous, RETAIL_SPACE, names);
}

function query(question: string, previous?: QueryPlan): Extract<Interpretation, { kind: 'query' }> {
  const result = ask(question, previous);
  if (result.kind !== 'query') throw new Error(`expected a query for "${question}", got text: ${result.text}`);
  return result;
}

describe('Genie emulator natural language to SQL', () => {
  it('when a space example is asked, then its plan and SQL are used', () => {
    const answer = query('What are total sales by region?');
    expect(answer.plan).toEqual(RETAIL_SPACE.examples[0]!.plan);
    expect(answer.sql).toContain('SUM(o.amount)');
    expect(answer.sql).toContain('GROUP BY o.region');
    expect(answer.sql).toContain('FROM main.retail.orders o');
    expect(answer.title).toBe('Total sales by region');
  });

  it('when asked how many orders with a status and region, then it counts with both filters', () => {
    const answer = query('How many orders are cancelled in the East?');
    expect(answer.sql).toMatch(/SELECT COUNT\(\*\) AS order_count/);
    expect(answer.sql).toContain("lower(o.status) = 'cancelled'");
    expect(answer.sql).toContain("lower(o.region) = 'east'");
  });

  it('when asked for the top N customers, then it joins customers, orders by the measure and limits', () => {
    const answer = query('Show the top 3 customers by revenue in 2024');
    expect(answer.sql).toContain('JOIN main.retail.customers c ON c.customer_id = o.customer_id');
    expect(answer.sql).toContain('ORDER BY total_sales DESC');
    expect(answer.sql).toContain('LIMIT 3');
    expect(answer.sql).toContain("o.order_date >= DATE '2024-01-01'");
    expect(answer.sql).toContain("o.order_date < DATE '2025-01-01'");
  });

  it('when asked for an average by month over a date range, then it groups by month chronologically', () => {
    const answer = query('average order value by month between 2023-03-01 and 2023-06-30');
    expect(answer.sql).toContain("CAST(date_trunc('month', o.order_date) AS DATE) AS month");
    expect(answer.sql).toContain('AVG(o.amount)');
    expect(answer.sql).toMatch(/ORDER BY month$/m);
  });

  it('when a follow-up says "only West", then the previous plan gets a region filter', () => {
    const first = query('What are total sales by product?');
    const second = query('only West', first.plan);
    expect(second.plan).toEqual({ ...first.plan, regions: ['West'] });
  });

  it('when follow-ups say "top 5", "by month instead" and "what about East?", then each refines the previous one', () => {
    const first = query('total sales by customer');
    const top = query('top 5', first.plan);
    expect(top.sql).toContain('LIMIT 5');
    const byMonth = query('by month instead', top.plan);
    expect(byMonth.plan.groupBy).toBe('month');
    const east = query('what about East?', { ...byMonth.plan, regions: ['West'] });
    expect(east.plan.regions).toEqual(['East']);
    expect(east.plan.groupBy).toBe('month');
  });

  it('when a new full question follows, then it starts from scratch', () => {
    const first = query('total sales by region in West');
    const second = query('How many orders are pending?', first.plan);
    expect(second.plan.regions).toEqual([]);
    expect(second.plan.statuses).toEqual(['pending']);
  });

  it('when the question cannot be mapped, then a text reply asks to rephrase (no query)', () => {
    const answer = ask('What is the meaning of life?');
    expect(answer.kind).toBe('text');
    expect(answer.kind === 'text' && answer.text).toMatch(/rephrase/);
    expect(answer.suggestions.length).toBeGreaterThan(0);
  });

  it('when asked to delete data, then it refuses in text and produces no SQL', () => {
    const answer = ask('Delete all orders before 2020');
    expect(answer.kind).toBe('text');
  });

  it('when listing customers, then the email column is selected so masks are visible', () => {
    const answer = query('list customers in West');
    expect(answer.sql).toContain('c.email');
    expect(answer.sql).toContain("lower(c.region) = 'west'");
  });

  it('when a filter value contains a quote, then it is escaped', () => {
    const space = { ...RETAIL_SPACE, vocabulary: { ...RETAIL_SPACE.vocabulary, regions: ["O'Hare"] } };
    const answer = interpret("total sales in o'hare", undefined, space, names);
    expect(answer.kind === 'query' && answer.sql).toContain("'o\\'hare'");
  });
});
