import { loadUserCatalog } from '../../../src/catalog';
import { AppError } from '../../../src/errors';
import { recordingSql } from './recording-sql';

const ORDERS = [['retail', 'orders', 'order_id', 'BIGINT'], ['retail', 'orders', 'status', 'STRING']];
const refused = (access: 'below-can-edit' | 'none') => async (): Promise<string[]> => {
  throw new AppError('CATALOG.SPACE_FORBIDDEN', 'refused', { details: { access } });
};

describe('CATALOG_FALLBACK_TABLES stands in for a space definition the user may not read', () => {
  it('when the user may run the space but not read it (403) and tables are configured, then those are described as the user (only the ones Unity Catalog shows them)', async () => {
    const sql = recordingSql(ORDERS);
    const catalog = await loadUserCatalog('s1', { spaceTables: refused('below-can-edit'), sql: () => sql, fallbackTables: ['main.retail.orders', 'main.hr.salaries'] });
    expect(catalog).toEqual({ spaceId: 's1', from: 'fallback', tables: [{ name: 'main.retail.orders', columns: [{ name: 'order_id', type: 'BIGINT' }, { name: 'status', type: 'STRING' }] }] });
    expect(sql.calls[0]!.params).toEqual({ s0: 'retail', s1: 'hr', t0: 'orders', t1: 'salaries' });
  });

  it('when the space is hidden or missing (404), then the refusal stands even with tables configured, and no SQL runs', async () => {
    const sql = recordingSql(ORDERS);
    await expect(loadUserCatalog('s1', { spaceTables: refused('none'), sql: () => sql, fallbackTables: ['main.retail.orders'] })).rejects.toMatchObject({ code: 'CATALOG.SPACE_FORBIDDEN' });
    expect(sql.calls).toEqual([]);
  });

  it('when no tables are configured, then the 403 refusal stands', async () => {
    await expect(loadUserCatalog('s1', { spaceTables: refused('below-can-edit'), sql: () => recordingSql([]), fallbackTables: [] })).rejects.toMatchObject({ code: 'CATALOG.SPACE_FORBIDDEN' });
  });

  it('when the space can be read, then its own tables are used, not the configured ones', async () => {
    const sql = recordingSql(ORDERS);
    const catalog = await loadUserCatalog('s1', { spaceTables: async () => ['main.retail.orders'], sql: () => sql, fallbackTables: ['main.hr.salaries'] });
    expect(catalog.from).toBe('space');
    expect(catalog.tables.map((t) => t.name)).toEqual(['main.retail.orders']);
  });

  it.each([
    ['the space definition is unreadable', new AppError('CATALOG.SPACE_UNREADABLE')],
    ['Databricks is down', new AppError('CATALOG.UNAVAILABLE')],
    ['the sign-in expired', new AppError('AUTH.SIGN_IN_REQUIRED')],
  ])('when %s, then that error stands (no stand-in list)', async (_what, error) => {
    const sql = recordingSql(ORDERS);
    const spaceTables = async (): Promise<string[]> => {
      throw error;
    };
    await expect(loadUserCatalog('s1', { spaceTables, sql: () => sql, fallbackTables: ['main.retail.orders'] })).rejects.toBe(error);
    expect(sql.calls).toEqual([]);
  });
});
