import { readFileSync } from 'node:fs';
import path from 'node:path';
import { Worker } from 'node:worker_threads';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CandleStore, importFile, loadCandles, loadFunding, type Candles } from '../../src/data/index.ts';
import { cleanup, example, realLines, tempDir, writeLines } from './support/helpers.ts';

const dir = tempDir();
let store: CandleStore;
const FILE_1H = example('BYBIT_BTCUSDT_1h.csv');
const csvRows = readFileSync(FILE_1H, 'utf8').trim().split('\n').slice(1);

beforeAll(async () => {
  store = await CandleStore.open(dir);
});
afterAll(() => {
  store.close();
  cleanup(dir);
});

function expectEqualToCsv(c: Candles, rows: string[]): void {
  expect(c.length).toBe(rows.length);
  for (let i = 0; i < rows.length; i++) {
    const [ts, o, h, l, cl, v] = rows[i].split(',').map(Number);
    if (c.ts[i] !== ts || c.open[i] !== o || c.high[i] !== h || c.low[i] !== l || c.close[i] !== cl || c.volume[i] !== v) {
      throw new Error(`row ${i} differs: ${rows[i]} vs ${[c.ts[i], c.open[i], c.high[i], c.low[i], c.close[i], c.volume[i]]}`);
    }
  }
}

describe('DuckDB cold store', () => {
  it('creates <dataDir>/playforge.duckdb', () => {
    expect(store.file).toBe(path.join(dir, 'playforge.duckdb'));
  });

  it('imports a real file exactly, and re-importing it changes nothing', async () => {
    const first = await importFile(store, FILE_1H);
    expect(first.target).toBe('bybit:BTCUSDT:1h');
    expect(first.report.ok).toBe(true);
    expect(first.merge).toMatchObject({ inserted: csvRows.length, updated: 0, unchanged: 0 });
    const again = await importFile(store, FILE_1H);
    expect(again.merge).toMatchObject({ inserted: 0, updated: 0, unchanged: csvRows.length });
    expect(again.stored.rows).toBe(csvRows.length);
    expectEqualToCsv(await store.loadCandles('bybit:BTCUSDT:1h'), csvRows);
  });

  it('lists datasets with range, rows and gaps', async () => {
    const [d] = await store.listDatasets();
    expect(d).toMatchObject({ id: 'bybit:BTCUSDT:1h', rows: 19261, first: 1701216000000, last: 1770552000000, gaps: { count: 0, missingBars: 0 } });
  });

  it('loads a date range into columns over ONE SharedArrayBuffer', async () => {
    const from = Date.UTC(2024, 0, 1);
    const to = Date.UTC(2024, 0, 2);
    const c = await loadCandles(store, 'bybit:BTCUSDT:1h', { from, to });
    expect(c.length).toBe(24);
    expect(c.ts[0]).toBe(from);
    expect(c.ts[23]).toBe(to - 3_600_000);
    const buffers = new Set([c.ts, c.open, c.high, c.low, c.close, c.volume].map((a) => a.buffer));
    expect(buffers.size).toBe(1);
    expect(c.ts.buffer).toBeInstanceOf(SharedArrayBuffer);
    const i = csvRows.findIndex((r) => r.startsWith(String(from)));
    expectEqualToCsv(c, csvRows.slice(i, i + 24));
  });

  it('hands the bars to a worker thread without a copy', async () => {
    const c = await store.loadCandles('bybit:BTCUSDT:1h', { to: Date.UTC(2024, 0, 1) });
    const code = `
      const { parentPort, workerData } = require('node:worker_threads');
      const n = workerData.length;
      const close = new Float64Array(workerData.sab, 4 * n * 8, n);
      let sum = 0; for (let i = 0; i < n; i++) sum += close[i];
      close[0] = -1; // written through the shared memory
      parentPort.postMessage(sum);`;
    const w = new Worker(code, { eval: true, workerData: { sab: c.ts.buffer, length: c.length } });
    const sum = await new Promise<number>((resolve, reject) => w.once('message', resolve).once('error', reject));
    await w.terminate();
    let expected = 0;
    for (const r of csvRows.slice(0, c.length)) expected += Number(r.split(',')[4]);
    expect(sum).toBeCloseTo(expected, 6);
    expect(c.close[0]).toBe(-1);
  });

  it('updates rows whose values changed and counts them', async () => {
    const lines = realLines('BYBIT_BTCUSDT_1h.csv', 3);
    const changed = lines.map((l, i) => (i === 2 ? l.replace(/,[^,]+$/, ',1234.5') : l));
    const r = await importFile(store, writeLines(dir, 'changed.csv', changed), { exchange: 'bybit', symbol: 'BTCUSDT', interval: '1h' });
    expect(r.merge).toMatchObject({ inserted: 0, updated: 1, unchanged: 2 });
    const c = await store.loadCandles('bybit:BTCUSDT:1h', { to: 1701216000000 + 3 * 3_600_000 });
    expect(c.volume[1]).toBe(1234.5);
    await importFile(store, writeLines(dir, 'orig.csv', lines), { exchange: 'bybit', symbol: 'BTCUSDT', interval: '1h' });
  });

  it('merges a later half before an earlier half and still loads in time order', async () => {
    const lines = realLines('BYBIT_BTCUSDT_4h.csv', 400);
    const opts = { exchange: 'bybit', symbol: 'BTCUSDT', interval: '4h' };
    await importFile(store, writeLines(dir, 'late.csv', [lines[0], ...lines.slice(201)]), opts);
    const early = await importFile(store, writeLines(dir, 'early.csv', lines.slice(0, 201)), opts);
    expect(early.merge.inserted).toBe(200);
    expect(early.stored).toMatchObject({ rows: 400, gaps: { count: 0 } });
    expectEqualToCsv(await store.loadCandles('bybit:BTCUSDT:4h'), lines.slice(1));
  });

  it('stores funding beside the bars', async () => {
    const r = await importFile(store, example('BYBIT_BTCUSDT_funding.csv'));
    expect(r).toMatchObject({ kind: 'funding', target: 'bybit:BTCUSDT:funding', stored: { rows: 2406 } });
    const f = await loadFunding(store, 'bybit', 'BTCUSDT', { from: Date.UTC(2024, 0, 1), to: Date.UTC(2024, 0, 2) });
    expect(Array.from(f.ts)).toEqual([0, 8, 16].map((h) => Date.UTC(2024, 0, 1, h)));
    expect((await store.listFunding())[0]).toMatchObject({ id: 'bybit:BTCUSDT:funding', rows: 2406 });
    const again = await importFile(store, example('BYBIT_BTCUSDT_funding.csv'));
    expect(again.merge).toMatchObject({ inserted: 0, unchanged: 2406 });
  });

  it('exports CSV and Parquet that import back to identical bars', async () => {
    const range = { from: Date.UTC(2025, 0, 1), to: Date.UTC(2025, 1, 1) };
    const csv = path.join(dir, 'out', 'btc.csv');
    const pq = path.join(dir, 'out', 'btc.parquet');
    expect(await store.exportTo({ dataset: { exchange: 'bybit', symbol: 'BTCUSDT', interval: '1h' } }, csv, { ...range, format: 'csv' })).toBe(744);
    expect(await store.exportTo({ dataset: { exchange: 'bybit', symbol: 'BTCUSDT', interval: '1h' } }, pq, { ...range, format: 'parquet' })).toBe(744);
    expect(readFileSync(csv, 'utf8').split('\n')[0]).toBe('ts,open,high,low,close,volume');
    const original = await store.loadCandles('bybit:BTCUSDT:1h', range);
    for (const [file, sym] of [[csv, 'FROMCSV'], [pq, 'FROMPQ']] as const) {
      const r = await importFile(store, file, { exchange: 'bybit', symbol: sym, interval: '1h' });
      expect(r.report.ok).toBe(true);
      const back = await store.loadCandles(`bybit:${sym}:1h`);
      expect(Array.from(back.close)).toEqual(Array.from(original.close));
      expect(Array.from(back.ts)).toEqual(Array.from(original.ts));
      expect(Array.from(back.volume)).toEqual(Array.from(original.volume));
    }
  });

  it('fills or reports a hole between stored bars and new ones (fill / drop), in both directions', async () => {
    const lines = realLines('BYBIT_ETHUSDT_1h.csv', 40);
    const ethOpts = (symbol: string, policy: 'fill' | 'drop') => ({ exchange: 'bybit', symbol, interval: '1h', policy });
    for (const policy of ['fill', 'drop'] as const) {
      const sym = `SEAM${policy.toUpperCase()}`;
      await importFile(store, writeLines(dir, `mid_${policy}.csv`, [lines[0], ...lines.slice(16, 26)]), ethOpts(sym, policy));
      const later = await importFile(store, writeLines(dir, `late_${policy}.csv`, [lines[0], ...lines.slice(31, 41)]), ethOpts(sym, policy));
      const earlier = await importFile(store, writeLines(dir, `early_${policy}.csv`, [lines[0], ...lines.slice(1, 11)]), ethOpts(sym, policy));
      const c = await store.loadCandles(`bybit:${sym}:1h`);
      if (policy === 'fill') {
        expect(later.merge.seamFilled).toBe(5);
        expect(earlier.merge.seamFilled).toBe(5);
        expect(c.length).toBe(40);
        const closeOf = (k: number) => Number(lines[k].split(',')[4]);
        // Bars 26..30 repeat the stored close of bar 25; bars 11..15 repeat the close of the new bar 10.
        expect([c.open[27], c.close[27], c.volume[27]]).toEqual([closeOf(25), closeOf(25), 0]);
        expect([c.open[12], c.high[12], c.volume[12]]).toEqual([closeOf(10), closeOf(10), 0]);
      } else {
        expect(later.merge.seamGaps).toEqual([{ after: c.ts[19], before: c.ts[20], missingBars: 5 }]);
        expect(earlier.merge.seamGaps).toHaveLength(1);
        expect(later.stored.gaps?.count).toBe(1);
        expect(earlier.stored.gaps).toMatchObject({ count: 2, missingBars: 10 });
      }
    }
  });

  it('infers the interval from the bar spacing when neither flag nor file name gives it', async () => {
    const r = await importFile(store, writeLines(dir, 'candles.csv', realLines('BYBIT_SOLUSDT_4h.csv', 30)), { exchange: 'bybit', symbol: 'SOLUSDT' });
    expect(r).toMatchObject({ target: 'bybit:SOLUSDT:4h', intervalInferred: true, stored: { rows: 30 } });
  });

  it('names the stored datasets when asked for a missing one', async () => {
    await expect(store.loadCandles('bybit:DOGEUSDT:1h')).rejects.toMatchObject({ code: 'DATA_UNKNOWN_DATASET', message: expect.stringMatching(/stored: .*bybit:BTCUSDT:1h/) });
  });

  it('loadCandles(dataDir) opens the store for the call and closes it', async () => {
    const c = await loadCandles(dir, 'bybit:BTCUSDT:4h');
    expect(c.length).toBe(400);
  });
});
