import { loadConfig } from '../../../src/config/load';
import { buildAzureEnv, configProblems } from '../../fixtures/azure-env';

function problems(value: string): string[] {
  return configProblems(buildAzureEnv({ CATALOG_FALLBACK_TABLES: value }));
}

describe('CATALOG_FALLBACK_TABLES (tables for people who may run the space but not read it)', () => {
  it('when unset or blank, then there is no stand-in list', () => {
    expect(loadConfig({ env: buildAzureEnv() }).catalog.fallbackTables).toEqual([]);
    expect(loadConfig({ env: buildAzureEnv({ CATALOG_FALLBACK_TABLES: '  ' }) }).catalog.fallbackTables).toEqual([]);
  });

  it('when it lists three-part names (back quotes, spaces, upper case), then they are read as lower-case names', () => {
    const env = buildAzureEnv({ CATALOG_FALLBACK_TABLES: ' Main.Retail.Orders , `main`.`hr`.`employees` ' });
    expect(loadConfig({ env }).catalog.fallbackTables).toEqual(['main.retail.orders', 'main.hr.employees']);
  });

  it.each([
    ['a two-part name', 'retail.orders', /"retail\.orders"/],
    ['a four-part name', 'a.b.c.d', /"a\.b\.c\.d"/],
    ['SQL instead of a name', 'main.retail.orders; DROP TABLE x', /"main\.retail\.orders; DROP TABLE x"/],
    ['an empty entry (double comma)', 'main.retail.orders,,main.hr.employees', /""/],
    ['a trailing comma', 'main.retail.orders,', /""/],
    ['a duplicate (different case)', 'main.retail.orders,MAIN.retail.ORDERS', /"main\.retail\.orders" is listed twice/],
    ['31 tables', Array.from({ length: 31 }, (_, i) => `main.s.t${i}`).join(','), /at most 30 tables .* got 31/],
  ])('when it holds %s, then start-up fails naming the bad value', (_what, value, expected) => {
    const found = problems(value).filter((p) => p.startsWith('CATALOG_FALLBACK_TABLES:'));
    expect(found).toHaveLength(1);
    expect(found[0]).toMatch(expected);
  });
});
