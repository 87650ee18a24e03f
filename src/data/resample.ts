// Resampling bars to a coarser interval on UTC boundaries; pure over in-memory columns.
import { PlayforgeError } from '../common/errors.ts';
import { allocateCandles, type Candles } from './candles.ts';
import { inferStepMs } from './funding.ts';
import { INTERVALS, floorToInterval, intervalMs, nestsIn, nextBarStart, parseInterval, type Interval } from './interval.ts';

export interface ResampleOptions {
  /** Interval of the input bars; inferred from the smallest step between them when left out. */
  from?: Interval | string;
  /**
   * What to do with partial buckets — a bucket is partial when the input lacks its FIRST sub-bar (its
   * open would be wrong: data starts mid-bucket or a hole) or its LAST sub-bar (its close would be wrong:
   * the bucket is still forming at the end of the data, or a hole). `drop` (default) leaves them out, so a
   * coarser bar never reflects a bucket that is not complete and no look-ahead can leak through it;
   * `keep` keeps them, and resampleDetailed reports which they are.
   */
  partial?: 'drop' | 'keep';
}

export interface ResampleDetail {
  candles: Candles;
  /** 1 where the bucket is complete (has its first and last sub-bar). */
  complete: Uint8Array;
  /** Input bars aggregated into each bucket. */
  barCount: Int32Array;
}

function intervalOfStep(step: number): Interval {
  const iv = INTERVALS.find((i) => i !== 'M' && intervalMs(i) === step);
  if (!iv) throw new PlayforgeError('DATA_BAD_INTERVAL', `input bars are ${step} ms apart, which is no known interval; pass { from }`);
  return iv;
}

/**
 * OHLCV aggregation into `toInterval` buckets aligned to UTC boundaries (weeks from Monday 00:00,
 * months from the 1st): open = first open, high = max high, low = min low, close = last close,
 * volume = sum; `ts` = the bucket's open time. Input must be ascending. Partial buckets are dropped
 * unless `partial: 'keep'` (see ResampleOptions).
 */
export function resampleCandles(candles: Candles, toInterval: Interval | string, opts: ResampleOptions = {}): Candles {
  return resampleDetailed(candles, toInterval, opts).candles;
}

export function resampleDetailed(candles: Candles, toInterval: Interval | string, opts: ResampleOptions = {}): ResampleDetail {
  const to = parseInterval(toInterval);
  const n = candles.length;
  if (n === 0) return { candles: allocateCandles(0), complete: new Uint8Array(0), barCount: new Int32Array(0) };
  const from = opts.from !== undefined ? parseInterval(opts.from) : intervalOfStep(inferStepMs(candles.ts));
  if (!nestsIn(from, to)) {
    throw new PlayforgeError('DATA_BAD_INTERVAL', `cannot resample ${from} bars to ${to}: the target must be coarser and its boundaries must be ${from} boundaries`);
  }
  const fromMs = intervalMs(from);
  const keep = opts.partial === 'keep';
  const { ts, open, high, low, close, volume } = candles;
  // One pass to collect buckets, one to copy the kept ones into a shared buffer.
  const bStart: number[] = [], bOpen: number[] = [], bHigh: number[] = [], bLow: number[] = [], bClose: number[] = [], bVol: number[] = [];
  const bCount: number[] = [], bComplete: number[] = [];
  let i = 0;
  while (i < n) {
    const start = floorToInterval(ts[i], to);
    const end = nextBarStart(start, to);
    const hasFirst = ts[i] === start;
    let h = high[i], l = low[i], v = 0, j = i;
    for (; j < n && ts[j] < end; j++) {
      if (j > 0 && !(ts[j] > ts[j - 1])) throw new PlayforgeError('DATA_OUT_OF_ORDER', `resample needs ascending, unique bar times (index ${j})`);
      if (high[j] > h) h = high[j];
      if (low[j] < l) l = low[j];
      v += volume[j];
    }
    const hasLast = ts[j - 1] === end - fromMs;
    const complete = hasFirst && hasLast;
    if (complete || keep) {
      bStart.push(start);
      bOpen.push(open[i]);
      bHigh.push(h);
      bLow.push(l);
      bClose.push(close[j - 1]);
      bVol.push(v);
      bCount.push(j - i);
      bComplete.push(complete ? 1 : 0);
    }
    i = j;
  }
  const out = allocateCandles(bStart.length);
  out.ts.set(bStart);
  out.open.set(bOpen);
  out.high.set(bHigh);
  out.low.set(bLow);
  out.close.set(bClose);
  out.volume.set(bVol);
  return { candles: out, complete: Uint8Array.from(bComplete), barCount: Int32Array.from(bCount) };
}
