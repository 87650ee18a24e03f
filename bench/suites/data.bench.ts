// Data stage: how fast 1,000,000 bars come out of the DuckDB cold store into SharedArrayBuffer columns,
// against reading the same six Float64 columns from a flat binary file in the same run.
import { closeSync, mkdtempSync, openSync, readSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { allocateCandles, CandleStore, candlesFromBuffer, type Candles } from '../../src/data/index.ts';
import { timeMedian, type BenchSuite, type Figure } from '../harness.ts';
import { randomWalkCandles } from '../support/random-walk.ts';

const N = 1_000_000;
const DATASET = 'bench:SYNTH:1m';

/** Reads bytes [offset, offset + length) of a file straight into a new SharedArrayBuffer. */
function readShared(file: string, offset: number, length: number): SharedArrayBuffer {
  const sab = new SharedArrayBuffer(length);
  const fd = openSync(file, 'r');
  try {
    let done = 0;
    while (done < length) done += readSync(fd, new Uint8Array(sab, done), 0, length - done, offset + done);
  } finally {
    closeSync(fd);
  }
  return sab;
}

/** The flat file is the six columns back to back (the layout of allocateCandles), so a range is six preads. */
function readFlatRange(file: string, n: number, start: number, count: number): Candles {
  const out = allocateCandles(count);
  const fd = openSync(file, 'r');
  try {
    (['ts', 'open', 'high', 'low', 'close', 'volume'] as const).forEach((k, col) => {
      const dst = new Uint8Array(out[k].buffer, out[k].byteOffset, count * 8);
      let done = 0;
      while (done < dst.length) done += readSync(fd, dst, done, dst.length - done, (col * n + start) * 8 + done);
    });
  } finally {
    closeSync(fd);
  }
  return out;
}

function checkSame(a: Candles, b: Candles, what: string): void {
  if (a.length !== b.length) throw new Error(`${what}: ${a.length} bars, expected ${b.length}`);
  for (const k of ['ts', 'open', 'high', 'low', 'close', 'volume'] as const) {
    for (let i = 0; i < a.length; i += 997) if (a[k][i] !== b[k][i]) throw new Error(`${what}: ${k}[${i}] differs`);
    if (a[k][a.length - 1] !== b[k][b.length - 1]) throw new Error(`${what}: last ${k} differs`);
  }
}

export const suite: BenchSuite = {
  name: 'data',
  async run(): Promise<Figure[]> {
    const dir = mkdtempSync(path.join(os.tmpdir(), 'pf-bench-data-'));
    try {
      const bars = randomWalkCandles(N);
      const flat = path.join(dir, 'bars.f64');

      const writeFlatMs = await timeMedian(() => writeFileSync(flat, new Uint8Array(bars.ts.buffer)), 1, 0);
      let store = await CandleStore.open(dir);
      const t0 = performance.now();
      await store.writeBars(DATASET, bars);
      const importMs = performance.now() - t0;
      store.close();
      store = await CandleStore.open(dir); // load from the file, as a fresh process would

      let loaded: Candles = allocateCandles(0);
      const duckMs = await timeMedian(async () => {
        loaded = await store.loadCandles(DATASET);
      }, 5, 1);
      checkSame(loaded, bars, 'DuckDB load');
      let fromFlat: Candles = allocateCandles(0);
      const flatMs = await timeMedian(() => {
        fromFlat = candlesFromBuffer(readShared(flat, 0, N * 48));
      }, 5, 1);
      checkSame(fromFlat, bars, 'flat read');

      // A month of 1m bars out of the middle: the range query a backtest of one period makes.
      const from = bars.ts[500_000];
      const count = 30 * 1440;
      let month: Candles = allocateCandles(0);
      const duckRangeMs = await timeMedian(async () => {
        month = await store.loadCandles(DATASET, { from, to: from + count * 60_000 });
      }, 9, 2);
      let flatMonth: Candles = allocateCandles(0);
      const flatRangeMs = await timeMedian(() => {
        flatMonth = readFlatRange(flat, N, 500_000, count);
      }, 9, 2);
      checkSame(month, flatMonth, 'range load');
      store.close();

      const rate = (n: number, ms: number): number => n / (ms / 1000);
      const fig = (name: string, n: number, ms: number, baseline: string, baseMs: number, note: string): Figure => ({
        name,
        value: rate(n, ms),
        unit: 'bars/s',
        baseline,
        baselineValue: rate(n, baseMs),
        ratio: rate(n, ms) / rate(n, baseMs),
        note,
      });
      return [
        fig('load 1,000,000 bars: DuckDB -> SharedArrayBuffer columns', N, duckMs, 'flat binary file read into a SharedArrayBuffer', flatMs, `median of 5: ${duckMs.toFixed(0)} ms vs ${flatMs.toFixed(0)} ms; ratio = rate / baseline rate, higher is better`),
        fig('load a 30-day range (43,200 1m bars) of 1,000,000', count, duckRangeMs, 'six preads of the same range from the flat file', flatRangeMs, `median of 9: ${duckRangeMs.toFixed(1)} ms vs ${flatRangeMs.toFixed(1)} ms`),
        fig('store 1,000,000 validated bars (one transaction)', N, importMs, 'writing the flat binary file', writeFlatMs, `one run: ${importMs.toFixed(0)} ms vs ${writeFlatMs.toFixed(0)} ms`),
      ];
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  },
};
