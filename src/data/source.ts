// What a file reader hands to validation: parsed columns plus the source row of every value.
import type { SourceKind } from './columns.ts';
import type { TimestampUnit } from './timestamp.ts';

/** A problem with one source row found while reading (before any value checks). */
export interface RowProblem {
  code: 'DATA_COLUMN_COUNT' | 'DATA_TRUNCATED';
  /** 1-based source row (see SourceTable.rowLabel). */
  row: number;
  detail: string;
}

export interface SourceTable {
  file: string;
  format: 'csv' | 'parquet';
  kind: SourceKind;
  /** Epoch ms UTC per row; NaN where the cell did not parse as a timestamp (see tsText). */
  ts: Float64Array;
  /** Value columns by role: open/high/low/close/volume for bars, rate for funding. NaN = empty or not a number. */
  values: Record<string, Float64Array>;
  /**
   * Source row of each parsed row. CSV: the 1-based physical LINE number in the file, header included
   * (the first data row is line 2). Parquet: the 1-based row number (no header).
   */
  rows: Int32Array;
  rowLabel: 'line' | 'row';
  /** Original timestamp text of rows whose timestamp did not parse, for the report. */
  badTs: Map<number, string>;
  /** Original text of value cells that are not numbers (keyed `row:column`), for the report. */
  badCells: Map<string, string>;
  header: boolean;
  timestampUnit: TimestampUnit | 'native';
  ignoredColumns: string[];
  /** Rows dropped while reading because of their shape (wrong field count, cut off at the end). */
  problems: RowProblem[];
}

export function rowName(t: Pick<SourceTable, 'rowLabel'>, row: number): string {
  return `${t.rowLabel} ${row}`;
}
