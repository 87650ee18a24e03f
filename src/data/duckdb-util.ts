// Small helpers over @duckdb/node-api: quoting, and reading DOUBLE result columns straight into Float64Arrays.
import { DOUBLE, DuckDBDataChunk, type DuckDBConnection, type DuckDBValue, type DuckDBVector } from '@duckdb/node-api';

/** A SQL string literal (file paths in read_parquet / COPY, which take no bind parameters). */
export function sqlString(s: string): string {
  return `'${s.replace(/'/g, "''")}'`;
}

/** A quoted identifier. */
export function sqlIdent(s: string): string {
  return `"${s.replace(/"/g, '""')}"`;
}

/**
 * The values of a DOUBLE vector. The node-api keeps them in a Float64Array over the chunk's memory; we
 * copy from it in one `set` when it is there, and fall back to per-item reads (nulls become NaN) if the
 * library ever stops exposing it. Queries here coalesce nulls to NaN, so the fast path is exact.
 */
function copyDoubles(vector: DuckDBVector, target: Float64Array, offset: number, n: number): void {
  const items = (vector as unknown as { items?: unknown }).items;
  if (items instanceof Float64Array && items.length === n) {
    target.set(items, offset);
    return;
  }
  for (let i = 0; i < n; i++) {
    const v = vector.getItem(i);
    target[offset + i] = typeof v === 'number' ? v : NaN;
  }
}

/**
 * Streams a query whose columns are all DOUBLE (use `coalesce(x, 'NaN'::DOUBLE)` for nullable ones) into
 * `targets[k]` starting at `offset`; returns the number of rows written. Stops at the targets' length.
 */
export async function streamDoublesInto(
  conn: DuckDBConnection,
  sql: string,
  params: DuckDBValue[] | undefined,
  targets: Float64Array[],
  offset = 0,
): Promise<number> {
  const result = await conn.stream(sql, params);
  const cap = targets[0]?.length ?? 0;
  let at = offset;
  for (;;) {
    const chunk: DuckDBDataChunk | null = await result.fetchChunk();
    if (!chunk || chunk.rowCount === 0) break;
    const n = Math.min(chunk.rowCount, cap - at);
    for (let k = 0; k < targets.length; k++) copyDoubles(chunk.getColumnVector(k), targets[k], at, n);
    at += n;
    if (at >= cap) break;
  }
  return at - offset;
}

/** All rows of an all-DOUBLE query as fresh Float64Arrays (sizes unknown up front). */
export async function readDoubleColumns(conn: DuckDBConnection, sql: string, params?: DuckDBValue[]): Promise<Float64Array[]> {
  const result = await conn.stream(sql, params);
  const width = result.columnCount;
  const parts: Float64Array[][] = Array.from({ length: width }, () => []);
  for (;;) {
    const chunk = await result.fetchChunk();
    if (!chunk || chunk.rowCount === 0) break;
    for (let k = 0; k < width; k++) {
      const part = new Float64Array(chunk.rowCount);
      copyDoubles(chunk.getColumnVector(k), part, 0, chunk.rowCount);
      parts[k].push(part);
    }
  }
  return parts.map((ps) => {
    const out = new Float64Array(ps.reduce((s, p) => s + p.length, 0));
    let at = 0;
    for (const p of ps) {
      out.set(p, at);
      at += p.length;
    }
    return out;
  });
}

/**
 * Appends Float64 columns to a table of as many DOUBLE columns, a chunk of up to 2048 rows at a time.
 * Each chunk column is filled with one typed-array copy and flushed to DuckDB in one call, several
 * times faster than appending value by value (which remains the fallback).
 */
export async function appendDoubleColumns(conn: DuckDBConnection, table: string, schema: string, catalog: string, cols: Float64Array[]): Promise<void> {
  const n = cols[0]?.length ?? 0;
  const appender = await conn.createAppender(table, schema, catalog);
  try {
    const types = cols.map(() => DOUBLE);
    const size = 2048;
    for (let start = 0; start < n; start += size) {
      const m = Math.min(size, n - start);
      const chunk = DuckDBDataChunk.create(types, m);
      for (let k = 0; k < cols.length; k++) {
        const vector = chunk.getColumnVector(k);
        const items = (vector as unknown as { items?: unknown }).items;
        if (items instanceof Float64Array && items.length === m) items.set(cols[k].subarray(start, start + m));
        else for (let i = 0; i < m; i++) vector.setItem(i, cols[k][start + i]);
        vector.flush();
      }
      appender.appendDataChunk(chunk);
    }
  } finally {
    appender.closeSync();
  }
}
