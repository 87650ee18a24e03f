// Funding-rate history of a perpetual and its alignment to bars for the engine.
import { PlayforgeError } from '../common/errors.ts';
import type { Candles } from './candles.ts';
import { nextBarStart, type Interval } from './interval.ts';

/** Funding settlements: `ts` = settlement time (epoch ms UTC), `rate` = rate for that interval (0.0001 = 0.01 %). */
export interface FundingSeries {
  ts: Float64Array;
  rate: Float64Array;
  length: number;
}

export type FundingRows = FundingSeries | ReadonlyArray<{ ts: number; rate: number }>;

export function toFundingSeries(rows: FundingRows): FundingSeries {
  if (!Array.isArray(rows)) return rows as FundingSeries;
  const list = rows as ReadonlyArray<{ ts: number; rate: number }>;
  const ts = new Float64Array(list.length);
  const rate = new Float64Array(list.length);
  list.forEach((r, i) => ((ts[i] = r.ts), (rate[i] = r.rate)));
  return { ts, rate, length: list.length };
}

/** Smallest positive step between consecutive bars: the bar length when the caller does not say. */
export function inferStepMs(ts: Float64Array): number {
  let step = Infinity;
  for (let i = 1; i < ts.length; i++) {
    const d = ts[i] - ts[i - 1];
    if (d > 0 && d < step) step = d;
  }
  if (!Number.isFinite(step)) {
    throw new PlayforgeError('DATA_BAD_INTERVAL', 'cannot infer the bar interval from fewer than two bars; pass { interval }');
  }
  return step;
}

/**
 * Per-bar funding for the engine: out[i] = the sum of the rates of all settlements whose time falls in
 * bar i's span [open, next open) — i.e. a position held at that settlement instant pays/receives it —
 * and NaN where no settlement falls in the bar. An 8-hourly rate thus lands on the 1h bars opening at
 * 00:00/08:00/16:00 UTC, and a daily bar carries the sum of its three settlements. Settlements outside
 * every bar (before the first, after the last, or inside a gap) are not attributed. Bars must be ascending.
 */
export function alignFunding(candles: Candles, fundingRows: FundingRows, opts: { interval?: Interval } = {}): Float64Array {
  const f = toFundingSeries(fundingRows);
  const n = candles.length;
  const out = new Float64Array(n).fill(NaN);
  if (n === 0 || f.length === 0) return out;
  const step = opts.interval ? undefined : inferStepMs(candles.ts);
  const barEnd = (i: number): number => (opts.interval ? nextBarStart(candles.ts[i], opts.interval) : candles.ts[i] + step!);
  let j = 0;
  for (let i = 0; i < n; i++) {
    const start = candles.ts[i];
    const end = barEnd(i);
    while (j < f.length && f.ts[j] < start) j++;
    while (j < f.length && f.ts[j] < end) {
      out[i] = Number.isNaN(out[i]) ? f.rate[j] : out[i] + f.rate[j];
      j++;
    }
  }
  return out;
}
