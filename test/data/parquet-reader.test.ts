import path from 'node:path';
import { DuckDBInstance } from '@duckdb/node-api';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { readSourceFile } from '../../src/data/index.ts';
import { cleanup, example, tempDir } from './support/helpers.ts';

const dir = tempDir();
let conn: Awaited<ReturnType<DuckDBInstance['connect']>>;
let inst: DuckDBInstance;
beforeAll(async () => {
  inst = await DuckDBInstance.create(':memory:');
  conn = await inst.connect();
  await conn.run(`CREATE TABLE src AS SELECT * FROM read_csv('${example('BYBIT_BTCUSDT_4h.csv')}') LIMIT 50`);
});
afterAll(() => {
  conn.closeSync();
  inst.closeSync();
  cleanup(dir);
});

async function parquet(name: string, select: string): Promise<string> {
  const file = path.join(dir, name);
  await conn.run(`COPY (${select}) TO '${file}' (FORMAT parquet)`);
  return file;
}

describe('Parquet reader', () => {
  it('reads a native TIMESTAMP column and Bybit-style column names', async () => {
    const file = await parquet('native.parquet', 'SELECT make_timestamp(ts * 1000) AS "startTime", open AS "openPrice", high AS "highPrice", low AS "lowPrice", close AS "closePrice", volume, volume * close AS turnover FROM src');
    const t = await readSourceFile(file);
    expect(t.format).toBe('parquet');
    expect(t.timestampUnit).toBe('native');
    expect(t.ignoredColumns).toEqual(['turnover']);
    expect(t.ts[0]).toBe(1701216000000);
    expect(t.values.close[0]).toBe(37951.0);
    expect(Array.from(t.rows.slice(0, 3))).toEqual([1, 2, 3]);
  });

  it('reads epoch seconds and ISO-8601 text timestamps', async () => {
    const secs = await readSourceFile(await parquet('secs.parquet', 'SELECT ts // 1000 AS timestamp, open, high, low, close, volume FROM src'));
    expect(secs.timestampUnit).toBe('s');
    expect(secs.ts[1]).toBe(1701216000000 + 4 * 3_600_000);
    const iso = await readSourceFile(await parquet('iso.parquet', "SELECT strftime(make_timestamp(ts * 1000), '%Y-%m-%dT%H:%M:%SZ') AS date, open, high, low, close, volume FROM src"));
    expect(iso.timestampUnit).toBe('iso');
    expect(iso.ts[2]).toBe(1701216000000 + 8 * 3_600_000);
  });
});
