// The columnar candle type every stage shares: six Float64Arrays over ONE SharedArrayBuffer.

/** Bars in columns; `ts` is the bar OPEN time in epoch ms UTC. All columns share one SharedArrayBuffer. */
export interface Candles {
  ts: Float64Array;
  open: Float64Array;
  high: Float64Array;
  low: Float64Array;
  close: Float64Array;
  volume: Float64Array;
  length: number;
}

export const CANDLE_COLUMNS = ['ts', 'open', 'high', 'low', 'close', 'volume'] as const;
export type CandleColumn = (typeof CANDLE_COLUMNS)[number];

/**
 * Zero-filled candles of `length` bars in one SharedArrayBuffer laid out column after column, so a
 * worker given the buffer (or the arrays, which structured-clone as views of it) reads them without a copy.
 */
export function allocateCandles(length: number): Candles {
  const sab = new SharedArrayBuffer(length * 8 * CANDLE_COLUMNS.length);
  const col = (i: number): Float64Array => new Float64Array(sab, i * length * 8, length);
  return { ts: col(0), open: col(1), high: col(2), low: col(3), close: col(4), volume: col(5), length };
}

/** Rebuilds the column views over a buffer made by allocateCandles (e.g. inside a worker thread). */
export function candlesFromBuffer(sab: SharedArrayBuffer): Candles {
  const length = sab.byteLength / (8 * CANDLE_COLUMNS.length);
  if (!Number.isInteger(length)) throw new RangeError(`buffer of ${sab.byteLength} bytes is not six Float64 columns`);
  const col = (i: number): Float64Array => new Float64Array(sab, i * length * 8, length);
  return { ts: col(0), open: col(1), high: col(2), low: col(3), close: col(4), volume: col(5), length };
}

/** Candles from plain arrays (tests, small in-memory series); copies into a fresh shared buffer. */
export function candlesFromArrays(cols: Record<CandleColumn, ArrayLike<number>>): Candles {
  const n = cols.ts.length;
  for (const c of CANDLE_COLUMNS) {
    if (cols[c].length !== n) throw new RangeError(`column ${c} has ${cols[c].length} values, ts has ${n}`);
  }
  const out = allocateCandles(n);
  for (const c of CANDLE_COLUMNS) out[c].set(cols[c]);
  return out;
}

/** Bars [start, end) copied into a fresh shared buffer. */
/** First index with ts[i] >= t (ts ascending); ts.length when there is none. */
export function lowerBound(ts: ArrayLike<number>, t: number): number {
  let lo = 0, hi = ts.length;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (ts[mid] < t) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

/** The bars with open time in [from, to), copied into fresh shared columns. */
export function sliceCandlesByTime(c: Candles, from: number, to: number): Candles {
  return sliceCandles(c, lowerBound(c.ts, from), lowerBound(c.ts, to));
}

export function sliceCandles(c: Candles, start: number, end: number = c.length): Candles {
  const s = Math.max(0, start);
  const e = Math.min(c.length, end);
  const out = allocateCandles(Math.max(0, e - s));
  for (const k of CANDLE_COLUMNS) out[k].set(c[k].subarray(s, e));
  return out;
}
