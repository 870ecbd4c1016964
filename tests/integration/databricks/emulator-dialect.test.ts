import { EngineError } from '../../../emulators/databricks/engine-types';
import { translate } from '../../../emulators/databricks/spark-sql';

describe('Spark SQL to Postgres translation in the emulator', () => {
  test('when names are three-part and backticked, then the catalog is dropped and backticks become quotes', () => {
    expect(translate('SELECT `Region`, count(*) FROM `main`.`retail`.`orders` o JOIN main.retail.customers c USING (customer_id)').sql).toBe(
      'SELECT "region", count(*) FROM "retail"."orders" o JOIN retail.customers c USING (customer_id)',
    );
  });

  test('when named parameters are used, then they become typed positional parameters (repeated names share one)', () => {
    const t = translate('SELECT * FROM main.retail.orders WHERE region = :r AND quantity > :q OR region = :r', [
      { name: 'r', type: 'STRING', value: 'West' },
      { name: 'q', type: 'INTEGER', value: '3' },
    ]);
    expect(t.sql).toBe('SELECT * FROM retail.orders WHERE region = $1::text AND quantity > $2::integer OR region = $1::text');
    expect(t.params).toEqual(['West', '3']);
  });

  test('when a parameter is not bound, then UNBOUND_SQL_PARAMETER', () => {
    expect(() => translate('SELECT :missing')).toThrow(EngineError);
  });

  test('when text looks like a parameter inside a string, comment or :: cast, then it is left alone', () => {
    const t = translate("SELECT ':x' AS s, 1::text -- :y\nFROM main.retail.orders");
    expect(t.sql).toBe("SELECT ':x' AS s, 1::text  FROM retail.orders");
    expect(t.params).toEqual([]);
  });

  test('when Spark niladic calls and statement kinds appear, then they are mapped and classified', () => {
    expect(translate('SELECT current_date() AS d').sql).toBe('SELECT current_date AS d');
    expect(translate('MERGE INTO main.retail.orders t USING x ON true WHEN MATCHED THEN DELETE').kind).toBe('dml');
    expect(translate('DESCRIBE TABLE EXTENDED main.retail.orders')).toMatchObject({ kind: 'describe', table: 'orders' });
    expect(translate('SHOW TABLES').kind).toBe('show_tables');
    expect(translate('DROP TABLE main.retail.orders').kind).toBe('ddl');
    expect(translate('RESET ROLE').kind).toBe('unsupported');
  });

  test('when another catalog is named, then it is kept (and fails as not found in Postgres)', () => {
    expect(translate('SELECT * FROM hive_metastore.default.t').sql).toBe('SELECT * FROM hive_metastore.default.t');
  });

  test('when Spark-only literal and operator spellings appear, then Postgres gets the same meaning', () => {
    expect(translate('SELECT 1L, 2S, 3Y, 1.5F, 2D, 1.5BD, 10').sql).toBe(
      'SELECT 1::bigint, 2::smallint, 3::smallint, 1.5::real, 2::double precision, 1.5::numeric, 10',
    );
    expect(translate('SELECT !true, 1 == 1, 1 <=> NULL, 1 !> 2, a!=-1').sql).toBe('SELECT  NOT true, 1 = 1, 1  IS NOT DISTINCT FROM  NULL, 1 <= 2, a!= -1');
    expect(translate('SELECT 7 / 2, 6 ^ 3, 1/-2').sql).toBe('SELECT 7  * 1.0 / 2, 6 # 3, 1 * 1.0 / -2');
  });

  test('when a parameter marker has a comment after the colon or a backquoted name, then it is still bound (COLON identifier)', () => {
    const t = translate('SELECT * FROM main.retail.orders WHERE order_id = : /* c */ id OR order_id = :`id`', [{ name: 'id', type: 'INT', value: '7' }]);
    expect(t.sql).toBe('SELECT * FROM retail.orders WHERE order_id = $1::integer OR order_id = $1::integer');
    expect(t.params).toEqual(['7']);
  });

  test('when USE names main.retail with comments, backticks or semicolons, then the kind is use and the catalog is dropped', () => {
    expect(translate('USE /* c */ main.retail;;')).toMatchObject({ kind: 'use', sql: 'USE   retail' });
    expect(translate('USE `main`.`retail`')).toMatchObject({ kind: 'use', sql: 'USE `retail`' });
    expect(translate('-- c\nSHOW TABLES').kind).toBe('show_tables');
  });
});
