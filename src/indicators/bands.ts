// Bands and channels: Bollinger, Keltner, Donchian, and the BB-inside-KC squeeze.

import { EmaStep, Lag, RollingExtreme, RollingStd, SmaStep, nanArray, safeDiv, trueRangeAt } from './primitives.ts';

/**
 * Bollinger bands: middle = SMA(length), band = std * population stdev (ddof 0, pandas_ta/TA-Lib);
 * bandwidth = 100*(upper-lower)/middle; percent_b = (x-lower)/(upper-lower), NaN for a flat window.
 * First value at index length-1.
 */
export function bbands(
  src: Float64Array,
  length: number,
  std: number,
): { lower: Float64Array; middle: Float64Array; upper: Float64Array; bandwidth: Float64Array; percent_b: Float64Array } {
  const n = src.length;
  const lower = new Float64Array(n);
  const middle = new Float64Array(n);
  const upper = new Float64Array(n);
  const bandwidth = new Float64Array(n);
  const percentB = new Float64Array(n);
  const rs = new RollingStd(length);
  for (let i = 0; i < n; i++) {
    const sd = rs.step(src[i]);
    const m = rs.mean;
    const u = m + std * sd;
    const l = m - std * sd;
    lower[i] = l;
    middle[i] = m;
    upper[i] = u;
    bandwidth[i] = safeDiv(100 * (u - l), m);
    percentB[i] = safeDiv(src[i] - l, u - l);
  }
  return { lower, middle, upper, bandwidth, percent_b: percentB };
}

/**
 * Keltner channel (pandas_ta defaults mamode 'ema', tr=True; TRADE's incremental KC): basis =
 * EMA(close, length); band = EMA(true range, length) with TR from bar 1; upper/lower = basis ±
 * scalar*band. All three outputs start together at index `length` (the band's first value).
 */
export function kc(
  high: Float64Array,
  low: Float64Array,
  close: Float64Array,
  length: number,
  scalar: number,
): { lower: Float64Array; basis: Float64Array; upper: Float64Array } {
  const n = close.length;
  const lower = nanArray(n);
  const basis = nanArray(n);
  const upper = nanArray(n);
  const eb = EmaStep.ema(length);
  const et = EmaStep.ema(length);
  for (let i = 0; i < n; i++) {
    const b = eb.step(close[i]);
    const band = i === 0 ? NaN : et.step(trueRangeAt(high, low, close, i));
    if (band !== band) continue;
    basis[i] = b;
    upper[i] = b + scalar * band;
    lower[i] = b - scalar * band;
  }
  return { lower, basis, upper };
}

/**
 * Donchian channel: upper = highest high over upper_length, lower = lowest low over lower_length,
 * middle = (upper+lower)/2. All outputs start together at index max(lower_length, upper_length)-1
 * (TRADE's incremental Donchian).
 */
export function donchian(
  high: Float64Array,
  low: Float64Array,
  lowerLength: number,
  upperLength: number,
): { lower: Float64Array; middle: Float64Array; upper: Float64Array } {
  const n = high.length;
  const lower = nanArray(n);
  const middle = nanArray(n);
  const upper = nanArray(n);
  const hi = new RollingExtreme(upperLength, 'max');
  const lo = new RollingExtreme(lowerLength, 'min');
  const first = Math.max(lowerLength, upperLength) - 1;
  for (let i = 0; i < n; i++) {
    const u = hi.step(high[i]);
    const l = lo.step(low[i]);
    if (i < first) continue;
    upper[i] = u;
    lower[i] = l;
    middle[i] = (u + l) / 2;
  }
  return { lower, middle, upper };
}

/**
 * Squeeze (pandas_ta squeeze, lazybear=False, its default mamode 'sma'): Bollinger(bb_length, bb_std)
 * against a Keltner channel with SMA basis and SMA(true range) band (kc_length, kc_scalar).
 * on = BB inside KC (lowerBB > lowerKC and upperBB < upperKC), off = BB outside KC (both beyond),
 * no_sqz = neither; each 0/1, NaN until both channels exist (index max(bb_length-1, kc_length)).
 * sqz = SMA(momentum(close, mom_length), mom_smooth) with pandas_ta's defaults 12 and 6; first value at
 * index mom_length + mom_smooth - 1. (TRADE's incremental squeeze uses its EMA-based KC instead.)
 */
export function squeeze(
  high: Float64Array,
  low: Float64Array,
  close: Float64Array,
  bbLength: number,
  bbStd: number,
  kcLength: number,
  kcScalar: number,
  momLength = 12,
  momSmooth = 6,
): { sqz: Float64Array; on: Float64Array; off: Float64Array; no_sqz: Float64Array } {
  const n = close.length;
  const sqz = new Float64Array(n);
  const on = nanArray(n);
  const off = nanArray(n);
  const none = nanArray(n);
  const bb = new RollingStd(bbLength);
  const kb = new SmaStep(kcLength);
  const kr = new SmaStep(kcLength);
  const lag = new Lag(momLength);
  const ms = new SmaStep(momSmooth);
  for (let i = 0; i < n; i++) {
    const x = close[i];
    const sd = bb.step(x);
    const bm = bb.mean;
    const basis = kb.step(x);
    const range = kr.step(trueRangeAt(high, low, close, i));
    sqz[i] = ms.step(x - lag.step(x));
    const bl = bm - bbStd * sd;
    const bu = bm + bbStd * sd;
    const kl = basis - kcScalar * range;
    const ku = basis + kcScalar * range;
    if (bl !== bl || kl !== kl) continue;
    const isOn = bl > kl && bu < ku;
    const isOff = bl < kl && bu > ku;
    on[i] = isOn ? 1 : 0;
    off[i] = isOff ? 1 : 0;
    none[i] = !isOn && !isOff ? 1 : 0;
  }
  return { sqz, on, off, no_sqz: none };
}
