import { analyzeSql } from '../../../src/sql';
import { sparkLexingCases } from '../../fixtures/spark-lexing-cases';

const T = 'main.retail.orders';
const CASES = sparkLexingCases(T, `DELETE FROM ${T} WHERE`);

describe('the guard reads SQL as Spark does and runs only its canonical text', () => {
  it('has at least 40 statements where the readings differ', () => {
    expect(CASES.length).toBeGreaterThanOrEqual(40);
  });

  it.each(CASES)('%s', (_name, sql, expected) => {
    const analysis = analyzeSql(sql);
    if ('refused' in expected) {
      expect(analysis.classification.kind).toBe('refused');
      if (analysis.classification.kind === 'refused') expect(analysis.classification.reason).toMatch(expected.refused);
      expect(analysis.canonical).toBeUndefined();
      return;
    }
    expect(analysis.classification.kind).toBe('write');
    expect(analysis.canonical).toBe(expected.canonical);
    // The canonical text is a fixed point: reading it again gives itself.
    expect(analyzeSql(analysis.canonical as string).canonical).toBe(expected.canonical);
  });
});

describe('targets the warehouse resolves itself are refused', () => {
  it.each([
    ["DELETE FROM IDENTIFIER('main.retail.orders') WHERE id = 1", /IDENTIFIER/],
    ["INSERT INTO IDENTIFIER('main.retail.orders') VALUES (1)", /IDENTIFIER/],
    ["UPDATE IDENTIFIER(:t) SET status = 'x' WHERE id = 1", /IDENTIFIER/],
    ["MERGE INTO IDENTIFIER('t') USING s ON t.id = s.id WHEN MATCHED THEN DELETE", /IDENTIFIER/],
    ['DELETE FROM delta.`/mnt/data/orders` WHERE id = 1', /path-based/],
    ['UPDATE parquet.`abfss://c@a.dfs.core.windows.net/t` SET a = 1 WHERE id = 1', /path-based/],
    ['INSERT INTO `main`.`/tmp/x` VALUES (1)', /path-based/],
  ])('%s', (sql, reason) => {
    const c = analyzeSql(sql).classification;
    expect(c.kind).toBe('refused');
    if (c.kind === 'refused') expect(c.reason).toMatch(reason);
  });
});
