// Moving averages and price transforms over one series (TRADE's overlap family).
// Every function is causal: out[t] reads src[0..t] only. Leading values are NaN until the first
// defined value (stated per function); the registry's warmup() gives TRADE's longer "stable" count.

import { EmaStep, Lag, RollingExtreme, RollingSum, SmaStep, emaInto, nanArray, smaInto } from './primitives.ts';

/** Simple moving average. First value at index length-1. */
export function sma(src: Float64Array, length: number): Float64Array {
  return smaInto(src, length, new Float64Array(src.length));
}

/**
 * Exponential moving average, alpha = 2/(length+1), seeded with the SMA of the first `length` valid
 * values (pandas_ta presma=True / TA-Lib). First value at index length-1 (TRADE calls it stable at 3x).
 */
export function ema(src: Float64Array, length: number): Float64Array {
  return emaInto(src, length, new Float64Array(src.length));
}

/**
 * Linearly weighted moving average, weights 1..length (newest heaviest). First value at length-1.
 * O(1) per bar: the weighted sum drops the plain window sum each step and adds length*x.
 */
export function wma(src: Float64Array, length: number): Float64Array {
  const n = src.length;
  const out = nanArray(n);
  const buf = new Float64Array(length);
  const denom = (length * (length + 1)) / 2;
  let weighted = 0;
  let plain = 0;
  let pos = 0;
  let nans = 0;
  let dirty = true;
  let sinceSync = 0;
  for (let i = 0; i < n; i++) {
    const x = src[i];
    const old = i >= length ? buf[pos] : NaN;
    if (i >= length && old !== old) nans--;
    buf[pos] = x;
    if (++pos === length) pos = 0;
    if (x !== x) nans++;
    if (i < length - 1) continue;
    if (nans > 0) {
      dirty = true;
      continue;
    }
    if (dirty || ++sinceSync >= length) {
      // exact recompute from the ring (first window, after a NaN left, and periodically against drift)
      weighted = 0;
      plain = 0;
      for (let k = 0; k < length; k++) {
        const v = buf[(pos + k) % length];
        weighted += (k + 1) * v;
        plain += v;
      }
      dirty = false;
      sinceSync = 0;
    } else {
      // slide: every weight drops by one (the oldest, weight 1, leaves), the newest enters at `length`
      weighted += length * x - plain;
      plain += x - old;
    }
    out[i] = weighted / denom;
  }
  return out;
}

/** Double EMA: 2*e1 - e2 with e2 = EMA(e1), each SMA-seeded. First value at 2*(length-1). */
export function dema(src: Float64Array, length: number): Float64Array {
  const n = src.length;
  const out = new Float64Array(n);
  const s1 = EmaStep.ema(length);
  const s2 = EmaStep.ema(length);
  for (let i = 0; i < n; i++) {
    const e1 = s1.step(src[i]);
    const e2 = s2.step(e1);
    out[i] = 2 * e1 - e2;
  }
  return out;
}

/** Triple EMA: 3*e1 - 3*e2 + e3 (chained SMA-seeded EMAs). First value at 3*(length-1). */
export function tema(src: Float64Array, length: number): Float64Array {
  const n = src.length;
  const out = new Float64Array(n);
  const s1 = EmaStep.ema(length);
  const s2 = EmaStep.ema(length);
  const s3 = EmaStep.ema(length);
  for (let i = 0; i < n; i++) {
    const e1 = s1.step(src[i]);
    const e2 = s2.step(e1);
    const e3 = s3.step(e2);
    out[i] = 3 * (e1 - e2) + e3;
  }
  return out;
}

/**
 * Triangular MA = SMA of an SMA. Window split as TA-Lib (pandas_ta's default talib path) so the total
 * span is exactly `length`: odd -> (length+1)/2 twice; even -> length/2 then length/2+1.
 * (pandas_ta's native path uses round(0.5*(length+1)) twice, which spans length+1 for even lengths.)
 * First value at index length-1.
 */
export function trima(src: Float64Array, length: number): Float64Array {
  const a = Math.ceil(length / 2);
  const b = Math.floor(length / 2) + 1;
  const n = src.length;
  const out = new Float64Array(n);
  const s1 = new SmaStep(a);
  const s2 = new SmaStep(length % 2 === 1 ? a : b);
  for (let i = 0; i < n; i++) out[i] = s2.step(s1.step(src[i]));
  return out;
}

/**
 * Zero-lag MA (pandas_ta zlma, mamode ema): EMA(2*x - x[lag], length) with lag = floor((length-1)/2).
 * First value at index lag + length - 1.
 */
export function zlma(src: Float64Array, length: number): Float64Array {
  const n = src.length;
  const out = new Float64Array(n);
  const lag = new Lag(Math.floor((length - 1) / 2));
  const e = EmaStep.ema(length);
  for (let i = 0; i < n; i++) {
    const x = src[i];
    const past = lag.step(x);
    out[i] = e.step(2 * x - past);
  }
  return out;
}

/**
 * Kaufman adaptive MA. ER = |x - x[length]| / sum(|x - x[-1]|, length); sc = (ER*(2/(fast+1) - 2/(slow+1))
 * + 2/(slow+1))^2; kama += sc*(x - kama). Seed: kama[length-1] = x[length-1] (TA-Lib/Kaufman) — not
 * pandas_ta's 0 seed, which takes thousands of bars to wash out. When the window has no movement at
 * all (sum of changes = 0, so the numerator is 0 too) ER is taken as 0 rather than 0/0, so a flat
 * market keeps KAMA alive instead of poisoning it with NaN. First value at index `length`.
 */
export function kama(src: Float64Array, length: number, fast = 2, slow = 30): Float64Array {
  const n = src.length;
  const out = nanArray(n);
  const fr = 2 / (fast + 1);
  const sr = 2 / (slow + 1);
  const lagN = new Lag(length);
  const noise = new RollingSum(length);
  let prev = NaN;
  let k = NaN;
  for (let i = 0; i < n; i++) {
    const x = src[i];
    const old = lagN.step(x);
    const vol = noise.step(i === 0 ? NaN : Math.abs(x - prev));
    prev = x;
    if (i === length - 1) k = x;
    if (i < length) continue;
    if (x !== x || vol !== vol || old !== old || k !== k) {
      // a NaN in the window: no defined value; restart from the next clean bar
      if (x === x && k !== k) k = x;
      continue;
    }
    const er = vol === 0 ? 0 : Math.abs(x - old) / vol;
    const c = er * (fr - sr) + sr;
    const sc = c * c;
    k += sc * (x - k);
    out[i] = k;
  }
  return out;
}

/**
 * Arnaud Legoux MA. Gaussian weights w_j = exp(-(j - m)^2 / (2 s^2)), j = 0 (oldest) .. length-1
 * (newest), m = floor(offset*(length-1)), s = length/sigma, normalised — the documented definition
 * (offset -> 1 = more responsive: weight peak near the newest bar), with the floored centre that TRADE's
 * incremental ALMA and TradingView use. pandas_ta's loop applies the weights newest-first, contradicting
 * its own docstring, so we do not follow that. First value at length-1. O(length) per bar (Gaussian
 * weights cannot be slid).
 */
export function alma(src: Float64Array, length: number, sigma = 6, offset = 0.85): Float64Array {
  const n = src.length;
  const out = nanArray(n);
  const w = new Float64Array(length);
  const m = Math.floor(offset * (length - 1));
  const s = length / sigma;
  let wsum = 0;
  for (let j = 0; j < length; j++) {
    w[j] = Math.exp(-((j - m) * (j - m)) / (2 * s * s));
    wsum += w[j];
  }
  for (let j = 0; j < length; j++) w[j] /= wsum;
  for (let i = length - 1; i < n; i++) {
    let acc = 0;
    const base = i - length + 1;
    for (let j = 0; j < length; j++) acc += w[j] * src[base + j];
    out[i] = acc; // NaN in the window propagates through the sum
  }
  return out;
}

/**
 * Linear regression value: least-squares line through the last `length` points (x = 0..length-1),
 * evaluated at the newest point (pandas_ta linreg default / TA-Lib LINEARREG). length 1 returns x.
 * O(1) per bar via running sums of y and x*y, recomputed exactly every `length` bars.
 */
export function linreg(src: Float64Array, length: number): Float64Array {
  const n = src.length;
  const out = nanArray(n);
  if (length === 1) {
    out.set(src);
    return out;
  }
  const sx = ((length - 1) * length) / 2;
  const sxx = ((length - 1) * length * (2 * length - 1)) / 6;
  const den = length * sxx - sx * sx;
  const buf = new Float64Array(length);
  let pos = 0;
  let nans = 0;
  let sy = 0;
  let sxy = 0;
  let dirty = true;
  let sinceSync = 0;
  for (let i = 0; i < n; i++) {
    const x = src[i];
    const old = i >= length ? buf[pos] : NaN;
    if (i >= length && old !== old) nans--;
    buf[pos] = x;
    if (++pos === length) pos = 0;
    if (x !== x) nans++;
    if (i < length - 1) continue;
    if (nans > 0) {
      dirty = true;
      continue;
    }
    if (dirty || ++sinceSync >= length) {
      sy = 0;
      sxy = 0;
      for (let k = 0; k < length; k++) {
        const v = buf[(pos + k) % length];
        sy += v;
        sxy += k * v;
      }
      dirty = false;
      sinceSync = 0;
    } else {
      // slide: every value's x drops by one, the oldest (x = 0) leaves, the newest enters at length-1
      sy -= old;
      sxy -= sy;
      sy += x;
      sxy += (length - 1) * x;
    }
    const slope = (length * sxy - sx * sy) / den;
    const icept = (sy - slope * sx) / length;
    out[i] = icept + slope * (length - 1);
  }
  return out;
}

/** Midprice: (highest high + lowest low) / 2 over `length` bars. First value at length-1. */
export function midprice(high: Float64Array, low: Float64Array, length: number): Float64Array {
  const n = high.length;
  const out = new Float64Array(n);
  const hi = new RollingExtreme(length, 'max');
  const lo = new RollingExtreme(length, 'min');
  for (let i = 0; i < n; i++) out[i] = (hi.step(high[i]) + lo.step(low[i])) / 2;
  return out;
}

/** (open + high + low + close) / 4, defined from bar 0. */
export function ohlc4(open: Float64Array, high: Float64Array, low: Float64Array, close: Float64Array): Float64Array {
  const n = close.length;
  const out = new Float64Array(n);
  for (let i = 0; i < n; i++) out[i] = (open[i] + high[i] + low[i] + close[i]) / 4;
  return out;
}
