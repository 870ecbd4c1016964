/**
 * Engine results in the Thrift COLUMN_BASED wire format: a TTableSchema, and TRowSets with one
 * typed column per result column and a nulls bitmap (bit i%8 of byte i/8 set = row i is null).
 */
import Int64 from 'node-int64';
import {
  TBoolColumn, TColumn, TColumnDesc, TDoubleColumn, TI32Column, TI64Column, TStringColumn, TPrimitiveTypeEntry, TRowSet, TTableSchema, TTypeDesc, TTypeEntry, TTypeId,
} from '@databricks/sql/thrift/TCLIService_types';
import type { EngineColumn } from '../engine-types';

const TYPE_IDS: Record<string, TTypeId> = {
  BOOLEAN: TTypeId.BOOLEAN_TYPE, SMALLINT: TTypeId.SMALLINT_TYPE, INT: TTypeId.INT_TYPE, BIGINT: TTypeId.BIGINT_TYPE,
  FLOAT: TTypeId.FLOAT_TYPE, DOUBLE: TTypeId.DOUBLE_TYPE, STRING: TTypeId.STRING_TYPE, DECIMAL: TTypeId.DECIMAL_TYPE,
  DATE: TTypeId.DATE_TYPE, TIMESTAMP: TTypeId.TIMESTAMP_TYPE,
};

export function tableSchema(columns: EngineColumn[]): TTableSchema {
  return new TTableSchema({
    columns: columns.map(
      (c, i) =>
        new TColumnDesc({
          columnName: c.name,
          position: i + 1,
          typeDesc: new TTypeDesc({ types: [new TTypeEntry({ primitiveEntry: new TPrimitiveTypeEntry({ type: TYPE_IDS[c.type] ?? TTypeId.STRING_TYPE }) })] }),
        }),
    ),
  });
}

function nullsBitmap(values: (string | null)[]): Buffer {
  const bitmap = Buffer.alloc(Math.ceil(values.length / 8));
  values.forEach((v, i) => {
    if (v === null) bitmap[i >> 3]! |= 1 << (i % 8);
  });
  return bitmap;
}

function column(type: string, values: (string | null)[]): TColumn {
  const nulls = nullsBitmap(values);
  switch (type) {
    case 'BOOLEAN':
      return new TColumn({ boolVal: new TBoolColumn({ values: values.map((v) => v === 'true'), nulls }) });
    case 'SMALLINT':
    case 'INT':
      return new TColumn({ i32Val: new TI32Column({ values: values.map((v) => (v === null ? 0 : Number(v))), nulls }) });
    case 'BIGINT':
      return new TColumn({ i64Val: new TI64Column({ values: values.map((v) => new Int64(v === null ? 0 : Number(v))), nulls }) });
    case 'FLOAT':
    case 'DOUBLE':
      return new TColumn({ doubleVal: new TDoubleColumn({ values: values.map((v) => (v === null ? 0 : Number(v))), nulls }) });
    default:
      return new TColumn({ stringVal: new TStringColumn({ values: values.map((v) => v ?? ''), nulls }) });
  }
}

/** One page of rows, starting at `offset`; an empty page (zero-length columns) ends fetching. */
export function rowSet(columns: EngineColumn[], rows: (string | null)[][], offset: number, limit: number): TRowSet {
  const page = rows.slice(offset, offset + limit);
  return new TRowSet({
    startRowOffset: new Int64(offset),
    rows: [],
    columns: columns.map((c, i) => column(c.type, page.map((row) => row[i] ?? null))),
    columnCount: columns.length,
  });
}
