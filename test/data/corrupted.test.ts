// Corrupted files built from a slice of real BTCUSDT 1h bars: each must be rejected with its own code,
// name the offending row, and leave the store exactly as it was.
import { readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { DuckDBInstance } from '@duckdb/node-api';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { PlayforgeError } from '../../src/common/errors.ts';
import { CandleStore, DataRejectedError, importFile } from '../../src/data/index.ts';
import { cleanup, digest, realLines, tempDir, writeLines } from './support/helpers.ts';

const dir = tempDir();
let store: CandleStore;
const all = realLines('BYBIT_BTCUSDT_1h.csv', 96);
const header = all[0];
/** Real rows 49..96: a valid file of them would extend the stored rows 1..48 without a hole. */
const next = all.slice(49);
const opts = { exchange: 'bybit', symbol: 'BTCUSDT', interval: '1h' };

async function snapshot(): Promise<string> {
  const ds = await store.listDatasets();
  const funding = await store.listFunding();
  const bars = await store.loadCandles('bybit:BTCUSDT:1h');
  return JSON.stringify({ ds, funding, bars: digest(bars) });
}

beforeAll(async () => {
  store = await CandleStore.open(dir);
  await importFile(store, writeLines(dir, 'base.csv', all.slice(0, 49)), opts);
  await importFile(store, writeLines(dir, 'BYBIT_BTCUSDT_funding.csv', realLines('BYBIT_BTCUSDT_funding.csv', 10)));
});
afterAll(() => {
  store.close();
  cleanup(dir);
});

const cell = (line: string, col: number, value: string): string => {
  const c = line.split(',');
  c[col] = value;
  return c.join(',');
};
const withRow = (k: number, f: (l: string) => string): string[] => next.map((l, i) => (i === k ? f(l) : l));

interface Case {
  name: string;
  /** File text, or data lines written after the real header. */
  text: () => string;
  code: string;
  /** 1-based line in the file (header = line 1) the error must name. */
  line: number;
}

const body = (rows: string[], finalNewline = true): string => [header, ...rows].join('\n') + (finalNewline ? '\n' : '');

const CASES: Case[] = [
  { name: 'duplicate timestamp, identical row', text: () => body([...next.slice(0, 11), next[10], ...next.slice(11)]), code: 'DATA_DUPLICATE_TS', line: 13 },
  { name: 'duplicate timestamp, different values', text: () => body([...next.slice(0, 11), cell(next[10], 5, '1.5'), ...next.slice(11)]), code: 'DATA_DUPLICATE_TS', line: 13 },
  { name: 'rows out of order', text: () => body([...next.slice(0, 20), next[21], next[20], ...next.slice(22)]), code: 'DATA_OUT_OF_ORDER', line: 23 },
  { name: 'a missing bar (gap)', text: () => body([...next.slice(0, 30), ...next.slice(31)]), code: 'DATA_GAP', line: 32 },
  { name: 'high below open/close', text: () => body(withRow(5, (l) => cell(l, 2, String(Number(l.split(',')[1]) - 500)))), code: 'DATA_OHLC_VIOLATION', line: 7 },
  { name: 'low above open/close', text: () => body(withRow(6, (l) => cell(l, 3, String(Number(l.split(',')[2]) + 1)))), code: 'DATA_OHLC_VIOLATION', line: 8 },
  { name: 'zero open price', text: () => body(withRow(7, (l) => cell(l, 1, '0'))), code: 'DATA_NONPOSITIVE_PRICE', line: 9 },
  { name: 'negative close price', text: () => body(withRow(8, (l) => cell(l, 4, '-37000'))), code: 'DATA_NONPOSITIVE_PRICE', line: 10 },
  { name: 'NaN in a price', text: () => body(withRow(9, (l) => cell(l, 3, 'NaN'))), code: 'DATA_NAN', line: 11 },
  { name: 'empty volume cell', text: () => body(withRow(10, (l) => cell(l, 5, ''))), code: 'DATA_NAN', line: 12 },
  { name: 'text in a price', text: () => body(withRow(11, (l) => cell(l, 4, 'abc'))), code: 'DATA_NAN', line: 13 },
  { name: 'negative volume', text: () => body(withRow(12, (l) => cell(l, 5, '-3.2'))), code: 'DATA_NEGATIVE_VOLUME', line: 14 },
  {
    name: 'truncated file (cut inside the last row)',
    text: () => {
      const t = body(next, false);
      return t.slice(0, t.length - 20);
    },
    code: 'DATA_TRUNCATED',
    line: 49,
  },
  { name: 'a row with an extra field', text: () => body(withRow(18, (l) => `${l},42`)), code: 'DATA_COLUMN_COUNT', line: 20 },
  { name: 'a row with a missing field', text: () => body(withRow(23, (l) => l.split(',').slice(0, 5).join(','))), code: 'DATA_COLUMN_COUNT', line: 25 },
  { name: 'wrong header', text: () => ['time_x,price,size,a,b,c', ...next].join('\n') + '\n', code: 'DATA_BAD_HEADER', line: 1 },
  { name: 'header without volume', text: () => ['ts,open,high,low,close', ...next.map((l) => l.split(',').slice(0, 5).join(','))].join('\n') + '\n', code: 'DATA_BAD_HEADER', line: 1 },
  { name: 'unparseable timestamp', text: () => body(withRow(14, (l) => cell(l, 0, '2023-13-45T00:00:00Z'))), code: 'DATA_BAD_TIMESTAMP', line: 16 },
  { name: 'timestamp off the 1h grid', text: () => body(withRow(15, (l) => cell(l, 0, String(Number(l.split(',')[0]) + 1_800_000)))), code: 'DATA_BAD_TIMESTAMP', line: 17 },
  { name: 'empty file', text: () => '', code: 'DATA_TRUNCATED', line: 1 },
  { name: 'header only', text: () => `${header}\n`, code: 'DATA_TRUNCATED', line: 2 },
  { name: 'valid rows leaving a hole after the stored ones', text: () => body(next.slice(5)), code: 'DATA_GAP', line: 2 },
];

describe('corrupted CSV files are rejected with their own error and the store is unchanged', () => {
  it('has at least 15 corrupted files covering every class', () => {
    expect(CASES.length).toBeGreaterThanOrEqual(15);
    expect(new Set(CASES.map((c) => c.code))).toEqual(
      new Set([
        'DATA_DUPLICATE_TS', 'DATA_OUT_OF_ORDER', 'DATA_GAP', 'DATA_OHLC_VIOLATION', 'DATA_NONPOSITIVE_PRICE', 'DATA_NAN',
        'DATA_NEGATIVE_VOLUME', 'DATA_TRUNCATED', 'DATA_COLUMN_COUNT', 'DATA_BAD_HEADER', 'DATA_BAD_TIMESTAMP',
      ]),
    );
  });

  for (const [k, c] of CASES.entries()) {
    it(`${String(k + 1).padStart(2, '0')} ${c.name} -> ${c.code} at line ${c.line}`, async () => {
      const before = await snapshot();
      const file = path.join(dir, `corrupt_${k + 1}.csv`);
      writeFileSync(file, c.text());
      const err = await importFile(store, file, opts).then(
        () => undefined,
        (e: unknown) => e,
      );
      expect(err).toBeInstanceOf(PlayforgeError);
      const e = err as PlayforgeError;
      expect(e.code).toBe(c.code);
      expect(e.message).toContain(file);
      expect(e.message).toMatch(new RegExp(`line ${c.line}\\b`));
      expect(e.location.line).toBe(c.line);
      if (e instanceof DataRejectedError) {
        expect(e.report.ok).toBe(false);
        expect(e.report.issues[0].code).toBe(c.code);
        expect(e.report.issues[0].rows[0]).toBe(c.line);
      }
      expect(await snapshot()).toBe(before);
    });
  }

  it('a rejected import into a new dataset does not create it', async () => {
    const file = writeLines(dir, 'newcoin.csv', [header, ...withRow(3, (l) => cell(l, 5, '-1'))]);
    await expect(importFile(store, file, { ...opts, symbol: 'NEWCOIN' })).rejects.toThrow(/DATA_NEGATIVE_VOLUME|negative|volume/);
    expect(await store.hasDataset('bybit:NEWCOIN:1h')).toBe(false);
    expect((await store.listDatasets()).map((d) => d.id)).toEqual(['bybit:BTCUSDT:1h']);
  });

  it('the rejection message lists every problem class with its lines', async () => {
    const rows = withRow(3, (l) => cell(l, 5, '-1')).map((l, i) => (i === 7 ? cell(l, 1, '0') : l));
    const file = writeLines(dir, 'multi.csv', [header, ...rows]);
    const e = (await importFile(store, file, opts).catch((x: unknown) => x)) as DataRejectedError;
    expect(e.code).toBe('DATA_NONPOSITIVE_PRICE'); // the first class in report order
    expect(e.message).toMatch(/DATA_NONPOSITIVE_PRICE: 1 at line 9/);
    expect(e.message).toMatch(/DATA_NEGATIVE_VOLUME: 1 at line 5/);
    expect(e.message).toMatch(/nothing was stored/);
  });
});

describe('corrupted Parquet files', () => {
  async function writeParquet(file: string, sql: string): Promise<void> {
    const inst = await DuckDBInstance.create(':memory:');
    const conn = await inst.connect();
    const csv = writeLines(dir, 'pq_src.csv', [header, ...next]);
    await conn.run(`COPY (${sql.replace('SRC', `read_csv('${csv}')`)}) TO '${file}' (FORMAT parquet)`);
    conn.closeSync();
    inst.closeSync();
  }

  it('a null close in Parquet -> DATA_NAN naming the 1-based Parquet row', async () => {
    const before = await snapshot();
    const file = path.join(dir, 'nullclose.parquet');
    const ts5 = Number(next[4].split(',')[0]);
    await writeParquet(file, `SELECT ts, open, high, low, CASE WHEN ts = ${ts5} THEN NULL ELSE close END AS close, volume FROM SRC`);
    const e = (await importFile(store, file, opts).catch((x: unknown) => x)) as DataRejectedError;
    expect(e.code).toBe('DATA_NAN');
    expect(e.report.rowLabel).toBe('row');
    expect(e.report.issues[0].rows).toEqual([5]);
    expect(e.message).toMatch(/row 5: close is empty/);
    expect(await snapshot()).toBe(before);
  });

  it('a Parquet file cut in half -> DATA_TRUNCATED', async () => {
    const before = await snapshot();
    const good = path.join(dir, 'good.parquet');
    await writeParquet(good, 'SELECT * FROM SRC');
    const bytes = readFileSync(good);
    const cut = path.join(dir, 'cut.parquet');
    writeFileSync(cut, bytes.subarray(0, Math.floor(bytes.length / 2)));
    await expect(importFile(store, cut, opts)).rejects.toMatchObject({ code: 'DATA_TRUNCATED' });
    expect(await snapshot()).toBe(before);
    // The intact file imports and extends the dataset.
    const r = await importFile(store, good, opts);
    expect(r.merge.inserted).toBe(48);
    expect(r.stored.gaps).toEqual({ count: 0, missingBars: 0 });
  });
});

describe('drop and fill policies', () => {
  it('drop stores the good rows and reports the rest; fill closes the holes with flat bars', async () => {
    const d2 = tempDir();
    const s2 = await CandleStore.open(d2);
    try {
      const rows = withRow(3, (l) => cell(l, 5, '-1')).filter((_, i) => i !== 10);
      const file = writeLines(d2, 'mixed.csv', [header, ...rows]);
      const dropped = await importFile(s2, file, { ...opts, policy: 'drop' });
      expect(dropped.report.issues.map((i) => i.code)).toEqual(['DATA_NEGATIVE_VOLUME', 'DATA_GAP']);
      expect(dropped.summary.dropped).toBe(1);
      expect(dropped.merge.inserted).toBe(46);
      expect(dropped.stored.gaps).toMatchObject({ count: 2, missingBars: 2 });

      const filled = await importFile(s2, file, { ...opts, symbol: 'FILLED', policy: 'fill' });
      expect(filled.summary.filled).toBe(2);
      expect(filled.stored).toMatchObject({ rows: 48, gaps: { count: 0, missingBars: 0 } });
      const c = await s2.loadCandles('bybit:FILLED:1h');
      const prevClose = Number(next[2].split(',')[4]);
      expect([c.open[3], c.high[3], c.low[3], c.close[3], c.volume[3]]).toEqual([prevClose, prevClose, prevClose, prevClose, 0]);
    } finally {
      s2.close();
      cleanup(d2);
    }
  });
});
