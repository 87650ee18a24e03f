// Test helpers: real candles from the fixture, series comparison with a stated tolerance.
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import path from 'node:path';
import { expect } from 'vitest';
import { seriesInput, type CandleColumns, type SeriesInput } from '../../src/indicators/index.ts';

const here = path.dirname(fileURLToPath(import.meta.url));
const fixture = path.join(here, '..', 'fixtures', 'candles', 'BYBIT_BTCUSDT_1h_3000.csv');

let cached: CandleColumns | undefined;

/** The 3,000 real BTCUSDT 1h candles (see test/fixtures/candles/README.md). */
export function realCandles(): CandleColumns {
  if (cached) return cached;
  const rows = readFileSync(fixture, 'utf8').trim().split('\n').slice(1);
  const cols = [0, 1, 2, 3, 4, 5].map((j) => Float64Array.from(rows, (r) => Number(r.split(',')[j])));
  cached = { ts: cols[0], open: cols[1], high: cols[2], low: cols[3], close: cols[4], volume: cols[5] };
  return cached;
}

export function realInput(source = 'close'): SeriesInput {
  return seriesInput(realCandles(), source);
}

/** First `n` bars of candles as a new SeriesInput (copies, so nothing is shared with the full run). */
export function prefixInput(input: SeriesInput, n: number): SeriesInput {
  const cut = (a: Float64Array): Float64Array => Float64Array.from(a.subarray(0, n));
  return {
    ts: cut(input.ts),
    open: cut(input.open),
    high: cut(input.high),
    low: cut(input.low),
    close: cut(input.close),
    volume: cut(input.volume),
    source: cut(input.source),
    length: n,
  };
}

/** Library outputs that are shorter than the input (Tulip style: aligned to the last bar) padded with NaN. */
export function alignTail(values: ArrayLike<number>, n: number): Float64Array {
  const out = new Float64Array(n).fill(NaN);
  const off = n - values.length;
  for (let i = 0; i < values.length; i++) out[off + i] = values[i];
  return out;
}

/** trading-signals style: feed bar by bar, null -> NaN. */
export function streamed<T>(n: number, step: (i: number) => T | null, pick: (r: T) => number): Float64Array {
  const out = new Float64Array(n).fill(NaN);
  for (let i = 0; i < n; i++) {
    const r = step(i);
    if (r !== null && r !== undefined) out[i] = pick(r);
  }
  return out;
}

export interface CloseOptions {
  /** Compare from this index on (e.g. after a seed difference has decayed). Default 0. */
  from?: number;
  /** Relative tolerance; default 1e-9. */
  rel?: number;
  label?: string;
}

/**
 * Element-wise comparison: NaN positions must coincide, and |a - e| <= rel * max(|e|, 1e-3 * max|e|).
 * Values are relative-exact except near zero: a value below a thousandth of the series' largest
 * magnitude is a difference of much larger inputs (MACD at a crossing, CCI when price sits on its
 * mean, %B on the band) whose rounding is absolute (~1e-16 of a 1e5 price), so it is held to
 * rel x (series scale / 1000) instead of to its own tiny size.
 */
export function expectClose(actual: ArrayLike<number>, expected: ArrayLike<number>, opts: CloseOptions = {}): void {
  const { from = 0, rel = 1e-9, label = '' } = opts;
  expect(actual.length, `${label} length`).toBe(expected.length);
  let scale = 0;
  for (let i = from; i < expected.length; i++) if (Number.isFinite(expected[i])) scale = Math.max(scale, Math.abs(expected[i]));
  const floor = 1e-3 * scale;
  let compared = 0;
  for (let i = from; i < expected.length; i++) {
    const a = actual[i];
    const e = expected[i];
    if (Number.isNaN(e) || Number.isNaN(a)) {
      if (Number.isNaN(e) !== Number.isNaN(a)) {
        throw new Error(`${label} NaN mismatch at ${i}: actual ${a}, expected ${e}`);
      }
      continue;
    }
    const tol = rel * Math.max(Math.abs(e), floor);
    if (!(Math.abs(a - e) <= tol)) {
      throw new Error(`${label} differs at ${i}: actual ${a}, expected ${e} (|diff| ${Math.abs(a - e)} > ${tol})`);
    }
    compared++;
  }
  // a comparison over nothing proves nothing
  expect(compared, `${label} compared values`).toBeGreaterThan(0);
}

/** Index of the first non-NaN value, or -1. */
export function firstValid(a: ArrayLike<number>): number {
  for (let i = 0; i < a.length; i++) if (!Number.isNaN(a[i])) return i;
  return -1;
}
