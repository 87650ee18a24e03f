// Test helpers for structures: hand-built candles, a runner, and the real-data fixture.
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import type { SeriesInput, StructureOutput } from '../../src/structures/index.ts';
import { STRUCTURE_IMPLS } from '../../src/structures/index.ts';

/** Candles from [open, high, low, close] rows (volume 1, ts = index hours). */
export function candles(rows: readonly (readonly [number, number, number, number])[]): SeriesInput {
  const n = rows.length;
  const col = (j: number) => Float64Array.from(rows, (r) => r[j]);
  const close = col(3);
  return {
    ts: Float64Array.from({ length: n }, (_, i) => i * 3_600_000),
    open: col(0),
    high: col(1),
    low: col(2),
    close,
    volume: new Float64Array(n).fill(1),
    source: close,
    length: n,
  };
}

/** Candles from highs and lows only (open = close = midpoint). */
export function fromHighLow(highs: readonly number[], lows: readonly number[]): SeriesInput {
  return candles(highs.map((h, i) => [(h + lows[i]) / 2, h, lows[i], (h + lows[i]) / 2] as const));
}

/**
 * A zigzag through `points`, `legBars` bars per leg, linear in between: bar k * legBars closes at points[k].
 * open = close = value, high/low = value +/- spread, so every turning point is a strict pivot.
 */
export function zigzag(points: readonly number[], legBars: number, spread = 0.5): SeriesInput {
  const values: number[] = [points[0]];
  for (let k = 1; k < points.length; k++) {
    for (let s = 1; s <= legBars; s++) values.push(points[k - 1] + ((points[k] - points[k - 1]) * s) / legBars);
  }
  return candles(values.map((v) => [v, v + spread, v - spread, v] as const));
}

export const constant = (n: number, v: number): Float64Array => new Float64Array(n).fill(v);

export function run(
  type: string,
  input: SeriesInput,
  params: Record<string, unknown> = {},
  deps: Record<string, StructureOutput> = {},
  features: Record<string, Float64Array> = {},
): StructureOutput {
  return STRUCTURE_IMPLS[type].compute({ input, params, deps, features });
}

/** A column as a plain array (NaN kept), for toEqual. */
export const col = (out: StructureOutput, field: string): number[] => Array.from(out[field]);

/** Indices where a column is non-zero (event bars). */
export const barsWhere = (out: StructureOutput, field: string): number[] =>
  col(out, field).flatMap((v, i) => (v !== 0 && !Number.isNaN(v) ? [i] : []));

const here = path.dirname(fileURLToPath(import.meta.url));
let real: SeriesInput | undefined;

/** 3,000 real BTCUSDT 1h candles (test/fixtures/candles/README.md), shared with the indicators tests. */
export function realInput(): SeriesInput {
  if (real) return real;
  const file = path.join(here, '..', 'fixtures', 'candles', 'BYBIT_BTCUSDT_1h_3000.csv');
  const rows = readFileSync(file, 'utf8').trim().split('\n').slice(1);
  const cols = [0, 1, 2, 3, 4, 5].map((j) => Float64Array.from(rows, (r) => Number(r.split(',')[j])));
  real = { ts: cols[0], open: cols[1], high: cols[2], low: cols[3], close: cols[4], volume: cols[5], source: cols[4], length: rows.length };
  return real;
}

/** The first n bars as fresh arrays (nothing shared with the full series). */
export function prefix(input: SeriesInput, n: number): SeriesInput {
  const cut = (a: Float64Array) => Float64Array.from(a.subarray(0, n));
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

export function prefixFeatures(features: Record<string, Float64Array>, n: number): Record<string, Float64Array> {
  return Object.fromEntries(Object.entries(features).map(([k, v]) => [k, Float64Array.from(v.subarray(0, n))]));
}
