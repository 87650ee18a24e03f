// Measurements for the synthetic-pattern shape tests. Positions are fractions of the span (0..1), so one
// check reads the same at 600 or 48,000 bars.
import type { Candles } from '../../../src/data/index.ts';

/** Bar index at span fraction u (the renderer's "first bar at or after u"). */
export const at = (c: Candles, u: number): number => Math.min(c.length - 1, Math.max(0, Math.ceil(u * (c.length - 1) - 1e-9)));

function range(c: Candles, a: number, b: number): [number, number] {
  return [at(c, a), Math.max(at(c, a) + 1, at(c, b))];
}

export function maxOf(col: Float64Array, c: Candles, a: number, b: number): number {
  const [i0, i1] = range(c, a, b);
  let m = -Infinity;
  for (let i = i0; i < i1; i++) m = Math.max(m, col[i]);
  return m;
}

export function minOf(col: Float64Array, c: Candles, a: number, b: number): number {
  const [i0, i1] = range(c, a, b);
  let m = Infinity;
  for (let i = i0; i < i1; i++) m = Math.min(m, col[i]);
  return m;
}

/** Index of the smallest value in the whole column. */
export function argMin(col: Float64Array): number {
  let k = 0;
  for (let i = 1; i < col.length; i++) if (col[i] < col[k]) k = i;
  return k;
}

export function argMax(col: Float64Array): number {
  let k = 0;
  for (let i = 1; i < col.length; i++) if (col[i] > col[k]) k = i;
  return k;
}

export function median(values: ArrayLike<number>): number {
  const s = Array.from(values).sort((x, y) => x - y);
  const m = s.length >> 1;
  return s.length % 2 ? s[m] : (s[m - 1] + s[m]) / 2;
}

export function medianOf(col: Float64Array, c: Candles, a: number, b: number): number {
  const [i0, i1] = range(c, a, b);
  return median(col.subarray(i0, i1));
}

/** Standard deviation of close-to-close log returns between span fractions a and b. */
export function realizedVol(c: Candles, a: number, b: number): number {
  const [i0, i1] = range(c, a, b);
  const r: number[] = [];
  for (let i = Math.max(1, i0); i < i1; i++) r.push(Math.log(c.close[i] / c.close[i - 1]));
  const mean = r.reduce((s, x) => s + x, 0) / r.length;
  return Math.sqrt(r.reduce((s, x) => s + (x - mean) ** 2, 0) / r.length);
}

/** Close at span fraction u. */
export const closeAt = (c: Candles, u: number): number => c.close[at(c, u)];

/** Net change of closes over consecutive non-overlapping windows of `count` equal parts of the span. */
export function windowChanges(c: Candles, count: number): number[] {
  const out: number[] = [];
  for (let k = 0; k < count; k++) out.push(closeAt(c, (k + 1) / count) / closeAt(c, k / count) - 1);
  return out;
}

export const share = (xs: number[], pred: (x: number) => boolean): number => xs.filter(pred).length / xs.length;

/** Sign changes between consecutive window changes: how often the direction flips. */
export function directionFlips(c: Candles, count: number): number {
  const ch = windowChanges(c, count);
  let flips = 0;
  for (let k = 1; k < ch.length; k++) if (Math.sign(ch[k]) !== Math.sign(ch[k - 1])) flips++;
  return flips;
}

/** Mean true range of the `len` bars before bar i (a simple ATR that never reads bar i). */
export function atrBefore(c: Candles, i: number, len = 14): number {
  let s = 0;
  let n = 0;
  for (let k = Math.max(1, i - len); k < i; k++) {
    s += Math.max(c.high[k], c.close[k - 1]) - Math.min(c.low[k], c.close[k - 1]);
    n++;
  }
  return n ? s / n : NaN;
}

export interface Displacement {
  i: number;
  direction: 1 | -1;
}

/** Impulsive candles: body >= bodyAtr x ATR, wicks <= wickRatio x body, volume >= volumeX x median volume. */
export function displacements(c: Candles, opts: { bodyAtr?: number; wickRatio?: number; volumeX?: number } = {}): Displacement[] {
  const { bodyAtr = 2, wickRatio = 0.25, volumeX = 2.5 } = opts;
  const medVol = median(c.volume);
  const out: Displacement[] = [];
  for (let i = 15; i < c.length; i++) {
    const body = Math.abs(c.close[i] - c.open[i]);
    const wicks = c.high[i] - Math.max(c.open[i], c.close[i]) + (Math.min(c.open[i], c.close[i]) - c.low[i]);
    if (body >= bodyAtr * atrBefore(c, i) && wicks <= wickRatio * body && c.volume[i] >= volumeX * medVol) {
      out.push({ i, direction: c.close[i] > c.open[i] ? 1 : -1 });
    }
  }
  return out;
}

/** Bullish three-candle fair-value gaps: low[i+1] above high[i-1] by at least minFrac of price. */
export function bullishGaps(c: Candles, minFrac: number): number[] {
  const out: number[] = [];
  for (let i = 1; i + 1 < c.length; i++) if (c.low[i + 1] - c.high[i - 1] >= minFrac * c.close[i]) out.push(i);
  return out;
}

/**
 * Swing highs between span fractions a and b: bars whose high is the largest within +-w bars, as
 * [index, high] sorted by high, highest first.
 */
export function swingHighs(c: Candles, a: number, b: number, w: number): Array<[number, number]> {
  const [i0, i1] = range(c, a, b);
  const out: Array<[number, number]> = [];
  for (let i = i0; i < i1; i++) {
    let top = true;
    for (let k = Math.max(0, i - w); k <= Math.min(c.length - 1, i + w) && top; k++) if (k !== i && c.high[k] >= c.high[i]) top = false;
    if (top) out.push([i, c.high[i]]);
  }
  return out.sort((x, y) => y[1] - x[1]);
}

export function swingLows(c: Candles, a: number, b: number, w: number): Array<[number, number]> {
  const [i0, i1] = range(c, a, b);
  const out: Array<[number, number]> = [];
  for (let i = i0; i < i1; i++) {
    let bottom = true;
    for (let k = Math.max(0, i - w); k <= Math.min(c.length - 1, i + w) && bottom; k++) if (k !== i && c.low[k] <= c.low[i]) bottom = false;
    if (bottom) out.push([i, c.low[i]]);
  }
  return out.sort((x, y) => x[1] - y[1]);
}

/** Pearson correlation. */
export function correlation(x: ArrayLike<number>, y: ArrayLike<number>): number {
  const n = x.length;
  let mx = 0;
  let my = 0;
  for (let i = 0; i < n; i++) {
    mx += x[i];
    my += y[i];
  }
  mx /= n;
  my /= n;
  let sxy = 0;
  let sxx = 0;
  let syy = 0;
  for (let i = 0; i < n; i++) {
    sxy += (x[i] - mx) * (y[i] - my);
    sxx += (x[i] - mx) ** 2;
    syy += (y[i] - my) ** 2;
  }
  return sxy / Math.sqrt(sxx * syy);
}

/** Mean volume of up bars over mean volume of down bars. */
export function upDownVolumeRatio(c: Candles): number {
  let up = 0;
  let nu = 0;
  let down = 0;
  let nd = 0;
  for (let i = 1; i < c.length; i++) {
    if (c.close[i] > c.open[i]) {
      up += c.volume[i];
      nu++;
    } else if (c.close[i] < c.open[i]) {
      down += c.volume[i];
      nd++;
    }
  }
  return up / nu / (down / nd);
}
