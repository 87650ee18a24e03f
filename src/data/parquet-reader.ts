// Parquet candle/funding files, read with DuckDB's built-in read_parquet (no extension install).
import { DuckDBInstance } from '@duckdb/node-api';
import { PlayforgeError } from '../common/errors.ts';
import { mapHeader, type SourceKind } from './columns.ts';
import { readDoubleColumns, sqlIdent, sqlString } from './duckdb-util.ts';
import type { SourceTable } from './source.ts';
import { detectNumericUnit, detectTimestampUnit, epochToMs, timestampToMs, type TimestampUnit } from './timestamp.ts';

const NUMERIC = /^(TINYINT|SMALLINT|INTEGER|BIGINT|HUGEINT|UTINYINT|USMALLINT|UINTEGER|UBIGINT|FLOAT|DOUBLE|DECIMAL)/;

/** Rows are numbered 1.. in file order (Parquet has no header line), via read_parquet's file_row_number. */
export async function readParquetFile(file: string, kind: SourceKind | 'auto' = 'auto'): Promise<SourceTable> {
  const instance = await DuckDBInstance.create(':memory:');
  const conn = await instance.connect();
  try {
    const from = `read_parquet(${sqlString(file)}, file_row_number = true)`;
    let described;
    try {
      described = (await conn.runAndReadAll(`DESCRIBE SELECT * FROM read_parquet(${sqlString(file)})`)).getRowsJS();
    } catch (e) {
      const msg = (e as Error).message;
      const code = /magic|footer|too small|truncat|end of file/i.test(msg) ? 'DATA_TRUNCATED' : 'DATA_BAD_FILE';
      throw new PlayforgeError(code, `${file}: not a readable Parquet file (${msg.split('\n')[0]})`, { file }, { cause: e });
    }
    const names = described.map((r) => String(r[0]));
    const types = described.map((r) => String(r[1]));
    const map = mapHeader(names, kind, file);
    const tsName = sqlIdent(names[map.index.ts]);
    const tsType = types[map.index.ts];
    const roles = Object.keys(map.index).filter((r) => r !== 'ts');
    let tsExpr: string;
    let unit: TimestampUnit | 'native' = 'native';
    if (tsType === 'DATE') tsExpr = `epoch_ms(CAST(${tsName} AS TIMESTAMP))`;
    else if (tsType === 'TIMESTAMP WITH TIME ZONE') tsExpr = `epoch_ms(${tsName})`;
    else if (tsType.startsWith('TIMESTAMP')) tsExpr = `epoch_ms(CAST(${tsName} AS TIMESTAMP))`;
    else if (NUMERIC.test(tsType)) tsExpr = `CAST(${tsName} AS DOUBLE)`;
    else tsExpr = `'NaN'::DOUBLE`; // text: parsed in JS below
    const cols = [
      `CAST(file_row_number + 1 AS DOUBLE)`,
      `coalesce(CAST(${tsExpr} AS DOUBLE), 'NaN'::DOUBLE)`,
      ...roles.flatMap((r) => {
        const c = sqlIdent(names[map.index[r]]);
        return [`coalesce(TRY_CAST(${c} AS DOUBLE), 'NaN'::DOUBLE)`, `CAST((${c} IS NULL) AS DOUBLE)`];
      }),
    ];
    const data = await readDoubleColumns(conn, `SELECT ${cols.join(', ')} FROM ${from} ORDER BY file_row_number`);
    const n = data[0].length;
    const rows = Int32Array.from(data[0]);
    let ts = data[1];
    const badTs = new Map<number, string>();
    if (NUMERIC.test(tsType)) {
      const raw = ts;
      const u = detectNumericUnit(raw);
      unit = u ?? 'ms';
      ts = new Float64Array(n);
      for (let i = 0; i < n; i++) {
        ts[i] = u ? epochToMs(raw[i], u) : NaN;
        if (Number.isNaN(ts[i])) badTs.set(rows[i], String(raw[i]));
      }
    } else if (!tsType.startsWith('TIMESTAMP') && tsType !== 'DATE') {
      const text = (await conn.runAndReadAll(`SELECT coalesce(CAST(${tsName} AS VARCHAR), '') FROM ${from} ORDER BY file_row_number`)).getRowsJS().map((r) => String(r[0]));
      const u = detectTimestampUnit(text);
      unit = u ?? 'iso';
      ts = new Float64Array(n);
      for (let i = 0; i < n; i++) {
        ts[i] = u ? timestampToMs(text[i], u) : NaN;
        if (Number.isNaN(ts[i])) badTs.set(rows[i], text[i]);
      }
    } else {
      for (let i = 0; i < n; i++) if (Number.isNaN(ts[i])) badTs.set(rows[i], 'null');
    }
    const values: Record<string, Float64Array> = {};
    const badCells = new Map<string, string>();
    roles.forEach((r, k) => {
      values[r] = data[2 + 2 * k];
      const isNull = data[3 + 2 * k];
      for (let i = 0; i < n; i++) if (isNull[i] === 1) badCells.set(`${rows[i]}:${r}`, '');
    });
    return {
      file,
      format: 'parquet',
      kind: map.kind,
      ts,
      values,
      rows,
      rowLabel: 'row',
      badTs,
      badCells,
      header: true,
      timestampUnit: unit,
      ignoredColumns: map.ignored,
      problems: [],
    };
  } finally {
    conn.closeSync();
    instance.closeSync();
  }
}
