import { interpretRich } from '../../../emulators/databricks/genie/answer-rules';
import { HR_SPACE } from '../../../emulators/databricks/genie/demo-spaces';
import { RETAIL_SPACE } from '../../../emulators/databricks/genie/spaces';
import { GENERIC_STARTERS } from '../../../src/commands/welcome-text';

const names = { productName: 'product_name', productCategory: 'category', customerName: 'customer_name', customerEmail: 'email' };

describe('the Genie emulator answers questions about the space itself', () => {
  it.each([RETAIL_SPACE, HR_SPACE].flatMap((space) => GENERIC_STARTERS.map((q) => [space.title, q, space] as const)))(
    'when a user asks %s "%s" (a starter the bot offers), then Genie answers in words naming the space\'s tables, with no query',
    (_title, question, space) => {
      const answer = interpretRich(question, undefined, space, names);
      expect(answer.queries).toEqual([]);
      expect(answer.text?.content).not.toMatch(/could not match/);
      for (const table of space.tables) expect(answer.text?.content).toContain(table);
    },
  );

  it('when a data question is asked, then it is still turned into a query (the space rules do not swallow it)', () => {
    const answer = interpretRich('What are total sales by region?', undefined, RETAIL_SPACE, names);
    expect(answer.queries).toHaveLength(1);
  });

  it('when a question only looks similar, then it is not taken for a question about the space', () => {
    const answer = interpretRich('what data can I delete', undefined, RETAIL_SPACE, names);
    expect(answer.text?.content ?? '').not.toContain('This space');
  });
});
