/** Converts what `@databricks/sql` returns (row objects, a TTableSchema) into our string cells. */
import { TTypeId, type TTableSchema } from '@databricks/sql/thrift/TCLIService_types';
import type { Cell, ColumnInfo } from './types';

const TYPE_NAMES: Partial<Record<TTypeId, string>> = {
  [TTypeId.BOOLEAN_TYPE]: 'BOOLEAN', [TTypeId.TINYINT_TYPE]: 'TINYINT', [TTypeId.SMALLINT_TYPE]: 'SMALLINT',
  [TTypeId.INT_TYPE]: 'INT', [TTypeId.BIGINT_TYPE]: 'BIGINT', [TTypeId.FLOAT_TYPE]: 'FLOAT', [TTypeId.DOUBLE_TYPE]: 'DOUBLE',
  [TTypeId.STRING_TYPE]: 'STRING', [TTypeId.TIMESTAMP_TYPE]: 'TIMESTAMP', [TTypeId.BINARY_TYPE]: 'BINARY',
  [TTypeId.ARRAY_TYPE]: 'ARRAY', [TTypeId.MAP_TYPE]: 'MAP', [TTypeId.STRUCT_TYPE]: 'STRUCT', [TTypeId.DECIMAL_TYPE]: 'DECIMAL',
  [TTypeId.NULL_TYPE]: 'VOID', [TTypeId.DATE_TYPE]: 'DATE', [TTypeId.VARCHAR_TYPE]: 'STRING', [TTypeId.CHAR_TYPE]: 'STRING',
};

export function columnsOf(schema: TTableSchema | null): ColumnInfo[] {
  return (schema?.columns ?? [])
    .slice()
    .sort((a, b) => a.position - b.position)
    .map((c) => {
      const typeId = c.typeDesc.types[0]?.primitiveEntry?.type;
      return { name: c.columnName, type: (typeId !== undefined ? TYPE_NAMES[typeId] : undefined) ?? 'STRING' };
    });
}

export function toCell(value: unknown): Cell {
  if (value === null || value === undefined) return null;
  if (typeof value === 'string') return value;
  if (typeof value === 'number' || typeof value === 'bigint' || typeof value === 'boolean') return String(value);
  if (value instanceof Date) return value.toISOString();
  if (Buffer.isBuffer(value)) return value.toString('base64');
  return JSON.stringify(value);
}

export function toCells(columns: ColumnInfo[], rows: object[]): Cell[][] {
  return rows.map((row) => {
    const record = row as Record<string, unknown>;
    return columns.map((c) => toCell(record[c.name]));
  });
}

/** DML affected rows: the status' `numModifiedRows`, else the `num_affected_rows` result row. */
export function affectedRows(numModifiedRows: { toNumber(): number } | number | null | undefined, rows: object[]): number {
  if (typeof numModifiedRows === 'number') return numModifiedRows;
  if (numModifiedRows && typeof numModifiedRows.toNumber === 'function') return numModifiedRows.toNumber();
  const value = (rows[0] as Record<string, unknown> | undefined)?.num_affected_rows;
  const n = typeof value === 'bigint' ? Number(value) : Number(value);
  return Number.isFinite(n) ? n : 0;
}
