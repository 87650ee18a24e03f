import { beforeAll, describe, expect, it } from 'vitest';
import { DuckDBInstance } from '@duckdb/node-api';
import { createRng } from '../../src/common/rng.ts';
import { candlesFromArrays, readSourceFile, resampleCandles, resampleDetailed, validateTable, type Candles } from '../../src/data/index.ts';
import { cleanBars } from '../../src/data/policy.ts';
import { example } from './support/helpers.ts';

const H = 3_600_000;
const FILES: Record<string, string> = { '5m': 'BYBIT_BTCUSDT_5m.csv', '15m': 'BYBIT_BTCUSDT_15m.csv', '1h': 'BYBIT_BTCUSDT_1h.csv', '4h': 'BYBIT_BTCUSDT_4h.csv', D: 'BYBIT_BTCUSDT_1d.csv' };
const real: Record<string, Candles> = {};

/** The shipped BTCUSDT bars of an interval, read and validated in memory (the store has its own tests). */
const load = (iv: string): Candles => real[iv];

beforeAll(async () => {
  for (const [iv, file] of Object.entries(FILES)) {
    const t = await readSourceFile(example(file));
    real[iv] = cleanBars(t, validateTable(t, iv as '5m'), iv as '5m', 'reject').candles;
  }
});

/** Compares two bar series on their common timestamps; returns how many bars were compared. */
function compareOnCommon(a: Candles, b: Candles): number {
  const at = new Map<number, number>();
  for (let i = 0; i < b.length; i++) at.set(b.ts[i], i);
  let n = 0;
  for (let i = 0; i < a.length; i++) {
    const j = at.get(a.ts[i]);
    if (j === undefined) continue;
    for (const k of ['open', 'high', 'low', 'close'] as const) {
      if (a[k][i] !== b[k][j]) throw new Error(`${k} differs at ${new Date(a.ts[i]).toISOString()}: ${a[k][i]} vs ${b[k][j]}`);
    }
    // Volumes are sums of decimals: equal up to floating-point rounding.
    if (Math.abs(a.volume[i] - b.volume[j]) > 1e-9 * Math.max(1, Math.abs(b.volume[j]))) {
      throw new Error(`volume differs at ${new Date(a.ts[i]).toISOString()}: ${a.volume[i]} vs ${b.volume[j]}`);
    }
    n++;
  }
  return n;
}

describe('resampling real Bybit bars matches Bybit’s own coarser bars', () => {
  it('5m -> 15m equals the 15m file', async () => {
    const r = resampleCandles(load('5m'), '15m');
    expect(r.length).toBe(5778);
    expect(compareOnCommon(r, load('15m'))).toBe(5778);
  });

  it('15m -> 1h equals the 1h file', async () => {
    const r = resampleCandles(load('15m'), '1h');
    expect(compareOnCommon(r, load('1h'))).toBe(18444);
  });

  it('1h -> 4h and 1h -> 1d equal the 4h and daily files', async () => {
    const h1 = load('1h');
    expect(compareOnCommon(resampleCandles(h1, '4h'), load('4h'))).toBe(4611);
    expect(compareOnCommon(resampleCandles(h1, '1d'), load('D'))).toBe(749);
  });

  it('15m -> 4h / D / W equal an independent DuckDB SQL aggregation of full buckets', async () => {
    const m15 = load('15m');
    const inst = await DuckDBInstance.create(':memory:');
    const conn = await inst.connect();
    try {
      await conn.run('CREATE TABLE b (ts BIGINT, open DOUBLE, high DOUBLE, low DOUBLE, close DOUBLE, volume DOUBLE)');
      await conn.run(`INSERT INTO b SELECT * FROM read_csv('${example('BYBIT_BTCUSDT_15m.csv')}')`);
      for (const [iv, width, perBucket] of [['4h', "INTERVAL '4 hours'", 16], ['D', "INTERVAL '1 day'", 96], ['W', "INTERVAL '7 days'", 672]] as const) {
        // time_bucket's default origin for day/week widths is Monday 2000-01-03, so weeks start on Monday.
        const rows = (
          await conn.runAndReadAll(`
            SELECT epoch_ms(time_bucket(${width}, make_timestamp(ts * 1000))) AS t, arg_min(open, ts), max(high), min(low), arg_max(close, ts), sum(volume), count(*)
            FROM b GROUP BY t HAVING count(*) = ${perBucket} ORDER BY t`)
        ).getRowsJS();
        const sql = candlesFromArrays({
          ts: rows.map((r) => Number(r[0])),
          open: rows.map((r) => Number(r[1])),
          high: rows.map((r) => Number(r[2])),
          low: rows.map((r) => Number(r[3])),
          close: rows.map((r) => Number(r[4])),
          volume: rows.map((r) => Number(r[5])),
        });
        const ours = resampleCandles(m15, iv);
        expect(ours.length, iv).toBe(sql.length); // no gaps in the file: complete buckets = full buckets
        expect(compareOnCommon(ours, sql), iv).toBe(sql.length);
        if (iv === 'W') for (let i = 0; i < ours.length; i++) expect(new Date(ours.ts[i]).getUTCDay()).toBe(1);
      }
    } finally {
      conn.closeSync();
      inst.closeSync();
    }
  });
});

/** Synthetic 1m bars (seeded random walk) from `start`, `n` bars. */
function synthetic1m(start: number, n: number, seed = 7): Candles {
  const rng = createRng(seed);
  const ts: number[] = [], open: number[] = [], high: number[] = [], low: number[] = [], close: number[] = [], volume: number[] = [];
  let p = 100;
  for (let i = 0; i < n; i++) {
    const o = p;
    const c = o * Math.exp(rng.normal() * 0.001);
    ts.push(start + i * 60_000);
    open.push(o);
    close.push(c);
    high.push(Math.max(o, c) * (1 + rng.next() * 0.001));
    low.push(Math.min(o, c) * (1 - rng.next() * 0.001));
    volume.push(rng.next() * 10);
    p = c;
  }
  return candlesFromArrays({ ts, open, high, low, close, volume });
}

/** A deliberately naive second implementation: group by floor(ts / width), keep full groups. */
function naive(c: Candles, widthMs: number, perBucket: number): Candles {
  const groups = new Map<number, number[]>();
  for (let i = 0; i < c.length; i++) {
    const k = Math.floor(c.ts[i] / widthMs) * widthMs;
    if (!groups.has(k)) groups.set(k, []);
    groups.get(k)!.push(i);
  }
  const full = [...groups.entries()].filter(([, idx]) => idx.length === perBucket);
  return candlesFromArrays({
    ts: full.map(([k]) => k),
    open: full.map(([, idx]) => c.open[idx[0]]),
    high: full.map(([, idx]) => Math.max(...idx.map((i) => c.high[i]))),
    low: full.map(([, idx]) => Math.min(...idx.map((i) => c.low[i]))),
    close: full.map(([, idx]) => c.close[idx[idx.length - 1]]),
    volume: full.map(([, idx]) => idx.reduce((s, i) => s + c.volume[i], 0)),
  });
}

describe('resampling 1m bars', () => {
  // Starts at 22:37 so the first 5m..1d buckets are partial, and ends mid-day so the last ones are too.
  const m1 = synthetic1m(Date.UTC(2024, 2, 9, 22, 37), 3 * 1440 + 500);

  for (const [iv, width] of [['5m', 5], ['15m', 15], ['1h', 60], ['4h', 240], ['1d', 1440]] as const) {
    it(`1m -> ${iv} matches a naive group-by and drops the partial first and last buckets`, () => {
      const ours = resampleCandles(m1, iv);
      const ref = naive(m1, width * 60_000, width);
      expect(ours.length).toBe(ref.length);
      expect(compareOnCommon(ours, ref)).toBe(ref.length);
      expect(ours.ts[0]).toBeGreaterThan(m1.ts[0]);
      expect(ours.ts[ours.length - 1] + width * 60_000).toBeLessThanOrEqual(m1.ts[m1.length - 1] + 60_000);
    });
  }

  it('keep mode keeps partial buckets and flags them', () => {
    const d = resampleDetailed(m1, '1h', { partial: 'keep' });
    expect(d.complete[0]).toBe(0);
    expect(d.barCount[0]).toBe(23); // 22:37 .. 22:59
    expect(d.candles.ts[0]).toBe(Date.UTC(2024, 2, 9, 22));
    expect(d.candles.open[0]).toBe(m1.open[0]);
    expect(d.complete[1]).toBe(1);
    expect(d.barCount[1]).toBe(60);
    expect(d.complete[d.complete.length - 1]).toBe(0);
  });

  it('a bucket missing its first or last sub-bar is partial; one missing a middle bar is not', () => {
    const base = synthetic1m(Date.UTC(2024, 0, 1), 180);
    const keep = (i: number) => i !== 60 && i !== 150; // 01:00 (first of hour 1) and 02:30 (middle of hour 2)
    const idx = Array.from({ length: 180 }, (_, i) => i).filter(keep);
    const holed = candlesFromArrays({
      ts: idx.map((i) => base.ts[i]),
      open: idx.map((i) => base.open[i]),
      high: idx.map((i) => base.high[i]),
      low: idx.map((i) => base.low[i]),
      close: idx.map((i) => base.close[i]),
      volume: idx.map((i) => base.volume[i]),
    });
    const r = resampleCandles(holed, '1h', { from: '1m' });
    expect(Array.from(r.ts)).toEqual([Date.UTC(2024, 0, 1, 0), Date.UTC(2024, 0, 1, 2)]);
  });

  it('completed buckets never change as more bars arrive (no look-ahead)', () => {
    const full = resampleCandles(m1, '4h');
    for (const cut of [100, 777, 1440, 2000, 3000, m1.length]) {
      const prefix = candlesFromArrays({ ts: m1.ts.subarray(0, cut), open: m1.open.subarray(0, cut), high: m1.high.subarray(0, cut), low: m1.low.subarray(0, cut), close: m1.close.subarray(0, cut), volume: m1.volume.subarray(0, cut) });
      const part = resampleCandles(prefix, '4h', { from: '1m' });
      for (let i = 0; i < part.length; i++) {
        expect(part.ts[i]).toBe(full.ts[i]);
        expect(part.close[i]).toBe(full.close[i]);
        expect(part.volume[i]).toBe(full.volume[i]);
      }
      // Every bar it returns closed at or before the last input bar's close.
      if (part.length) expect(part.ts[part.length - 1] + 4 * H).toBeLessThanOrEqual(prefix.ts[cut - 1] + 60_000);
    }
  });

  it('resamples daily bars into calendar months', () => {
    const ts: number[] = [];
    for (let t = Date.UTC(2024, 0, 1); t < Date.UTC(2024, 4, 1); t += 86_400_000) ts.push(t);
    const d = candlesFromArrays({ ts, open: ts.map((_, i) => i + 1), high: ts.map((_, i) => i + 2), low: ts.map((_, i) => i + 0.5), close: ts.map((_, i) => i + 1.5), volume: ts.map(() => 1) });
    const m = resampleCandles(d, 'M');
    expect(Array.from(m.ts)).toEqual([0, 1, 2, 3].map((k) => Date.UTC(2024, k, 1)));
    expect(Array.from(m.volume)).toEqual([31, 29, 31, 30]);
    expect(m.open[1]).toBe(32);
    expect(m.close[1]).toBe(31 + 29 + 0.5);
  });

  it('refuses targets that are finer or do not nest', () => {
    const h = resampleCandles(m1, '1h', { partial: 'keep' });
    expect(() => resampleCandles(h, '15m')).toThrow(/cannot resample 1h bars to 15m/);
    expect(() => resampleCandles(resampleCandles(m1, '4h'), '6h', { from: '4h' })).toThrow(/DATA_BAD_INTERVAL|cannot resample/);
    expect(() => resampleCandles(h, 'M', { from: 'W' })).toThrow(/cannot resample W bars to M/);
  });
});
