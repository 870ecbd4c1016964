import Int64 from 'node-int64';
import { TColumnDesc, TPrimitiveTypeEntry, TTableSchema, TTypeDesc, TTypeEntry, TTypeId } from '@databricks/sql/thrift/TCLIService_types';
import { affectedRows, columnsOf, toCell, toCells } from '../../../src/databricks/sql-client-rows';

const desc = (name: string, type: TTypeId, position: number): TColumnDesc =>
  new TColumnDesc({ columnName: name, position, typeDesc: new TTypeDesc({ types: [new TTypeEntry({ primitiveEntry: new TPrimitiveTypeEntry({ type }) })] }) });

describe('driver rows to string cells', () => {
  test('when the schema arrives out of order, then columns follow position with Databricks type names', () => {
    const schema = new TTableSchema({ columns: [desc('b', TTypeId.DECIMAL_TYPE, 2), desc('a', TTypeId.BIGINT_TYPE, 1)] });
    expect(columnsOf(schema)).toEqual([{ name: 'a', type: 'BIGINT' }, { name: 'b', type: 'DECIMAL' }]);
    expect(columnsOf(null)).toEqual([]);
  });

  test('when values are numbers, booleans, nulls and objects, then cells are strings or null', () => {
    expect([toCell(1.5), toCell(true), toCell(null), toCell(undefined), toCell({ a: 1 }), toCell('x')]).toEqual(['1.5', 'true', null, null, '{"a":1}', 'x']);
    expect(toCells([{ name: 'a', type: 'INT' }, { name: 'b', type: 'STRING' }], [{ a: 1, b: null }])).toEqual([['1', null]]);
  });

  test('when the status has numModifiedRows, then it wins; otherwise the num_affected_rows row is used', () => {
    expect(affectedRows(new Int64(7), [{ num_affected_rows: 3 }])).toBe(7);
    expect(affectedRows(undefined, [{ num_affected_rows: 3 }])).toBe(3);
    expect(affectedRows(null, [])).toBe(0);
  });
});
