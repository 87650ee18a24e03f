// Trend/direction indicators: ADX family, Aroon, Vortex, SuperTrend, Parabolic SAR.

import { Lag, RollingExtreme, RollingSum, WilderSumStep, EmaStep, nanArray, safeDiv, trueRangeAt } from './primitives.ts';
import { atr } from './volatility.ts';

/** +DM / -DM of bar i vs bar i-1 (Wilder): the larger positive move wins, the other is 0. */
function dmAt(high: Float64Array, low: Float64Array, i: number, plus: boolean): number {
  const up = high[i] - high[i - 1];
  const dn = low[i - 1] - low[i];
  if (up !== up || dn !== dn) return NaN;
  if (plus) return up > dn && up > 0 ? up : 0;
  return dn > up && dn > 0 ? dn : 0;
}

/**
 * Directional movement, smoothed as TA-Lib PLUS_DM/MINUS_DM (pandas_ta's default talib path and TRADE's
 * incremental DM): Wilder's running sum seeded with the sum of the first length-1 raw DMs, so values are
 * on the sum scale. First value at index length-1.
 */
export function dm(high: Float64Array, low: Float64Array, length: number): { dmp: Float64Array; dmn: Float64Array } {
  const n = high.length;
  const p = nanArray(n);
  const m = nanArray(n);
  const sp = new WilderSumStep(length);
  const sm = new WilderSumStep(length);
  for (let i = 1; i < n; i++) {
    p[i] = sp.step(dmAt(high, low, i, true));
    m[i] = sm.step(dmAt(high, low, i, false));
  }
  return { dmp: p, dmn: m };
}

/**
 * ADX as TA-Lib (pandas_ta's default talib path): TR, +DM, -DM from bar 1, each smoothed by Wilder's
 * running sum seeded with the first length-1 values; DI± = 100*sDM/sTR (first at index `length`);
 * DX = 100*|DI+ - DI-|/(DI+ + DI-); ADX = Wilder RMA of DX seeded with the mean of the first `length` DX
 * (first at 2*length-1); ADXR = (ADX + ADX[length-1 bars ago])/2 (first at 3*length-2).
 * dmp/dmn here are the DI lines (pandas_ta's adx DMP/DMN columns).
 */
export function adx(
  high: Float64Array,
  low: Float64Array,
  close: Float64Array,
  length: number,
): { adx: Float64Array; dmp: Float64Array; dmn: Float64Array; adxr: Float64Array } {
  const n = close.length;
  const a = nanArray(n);
  const p = nanArray(n);
  const m = nanArray(n);
  const r = nanArray(n);
  const str = new WilderSumStep(length);
  const sp = new WilderSumStep(length);
  const sm = new WilderSumStep(length);
  const sdx = EmaStep.wilder(length);
  const lag = new Lag(length - 1);
  for (let i = 1; i < n; i++) {
    const t = str.step(trueRangeAt(high, low, close, i));
    const dp = sp.step(dmAt(high, low, i, true));
    const dn = sm.step(dmAt(high, low, i, false));
    // TA-Lib's DI starts one bar after the sums are seeded (the seed bar itself has no DI)
    if (i < length) continue;
    const dip = safeDiv(100 * dp, t);
    const din = safeDiv(100 * dn, t);
    p[i] = dip;
    m[i] = din;
    const dx = safeDiv(100 * Math.abs(dip - din), dip + din);
    const ax = sdx.step(dx);
    a[i] = ax;
    r[i] = (ax + lag.step(ax)) / 2;
  }
  return { adx: a, dmp: p, dmn: m, adxr: r };
}

/**
 * Aroon over a window of length+1 bars (pandas_ta/TA-Lib): up = 100*(length - bars since the highest
 * high)/length, down likewise for the lowest low; ties go to the most recent bar; osc = up - down.
 * First value at index `length`.
 */
export function aroon(high: Float64Array, low: Float64Array, length: number): { up: Float64Array; down: Float64Array; osc: Float64Array } {
  const n = high.length;
  const u = new Float64Array(n);
  const d = new Float64Array(n);
  const o = new Float64Array(n);
  const hi = new RollingExtreme(length + 1, 'max');
  const lo = new RollingExtreme(length + 1, 'min');
  for (let i = 0; i < n; i++) {
    const h = hi.step(high[i]);
    const l = lo.step(low[i]);
    const up = h === h ? (100 * (length - hi.argAge)) / length : NaN;
    const dn = l === l ? (100 * (length - lo.argAge)) / length : NaN;
    u[i] = up;
    d[i] = dn;
    o[i] = up - dn;
  }
  return { up: u, down: d, osc: o };
}

/**
 * Vortex: VM+ = |high - prevLow|, VM- = |low - prevHigh|, from bar 1; VI± = sum(VM±, length)/sum(TR, length).
 * First value at index `length`.
 */
export function vortex(high: Float64Array, low: Float64Array, close: Float64Array, length: number): { vip: Float64Array; vim: Float64Array } {
  const n = close.length;
  const p = nanArray(n);
  const m = nanArray(n);
  const sp = new RollingSum(length);
  const sm = new RollingSum(length);
  const st = new RollingSum(length);
  for (let i = 1; i < n; i++) {
    const t = st.step(trueRangeAt(high, low, close, i));
    p[i] = safeDiv(sp.step(Math.abs(high[i] - low[i - 1])), t);
    m[i] = safeDiv(sm.step(Math.abs(low[i] - high[i - 1])), t);
  }
  return { vip: p, vim: m };
}

/**
 * SuperTrend (pandas_ta): bands hl2 ± multiplier*ATR (TA-Lib ATR, first at index `length`). Direction
 * flips up when close > previous final upper band, down when close < previous final lower band;
 * otherwise it holds and the band on the trend side may only tighten. trend = lower band in an
 * up-trend, upper band in a down-trend; long/short carry the band only on their side (else NaN);
 * direction is +1/-1. The first defined bar (index `length`) starts up-trend.
 */
export function supertrend(
  high: Float64Array,
  low: Float64Array,
  close: Float64Array,
  length: number,
  multiplier: number,
): { trend: Float64Array; direction: Float64Array; long: Float64Array; short: Float64Array } {
  const n = close.length;
  const tr = nanArray(n);
  const dir = nanArray(n);
  const lg = nanArray(n);
  const sh = nanArray(n);
  const a = atr(high, low, close, length);
  let prevUp = NaN;
  let prevLo = NaN;
  let d = 1;
  for (let i = 0; i < n; i++) {
    const mid = (high[i] + low[i]) / 2;
    let up = mid + multiplier * a[i];
    let lo = mid - multiplier * a[i];
    if (up !== up || lo !== lo || close[i] !== close[i]) continue; // state waits for defined bars
    const c = close[i];
    if (c > prevUp) d = 1;
    else if (c < prevLo) d = -1;
    else {
      // no breakout (or the first bar): hold direction; the trailing band may only tighten
      if (d > 0 && lo < prevLo) lo = prevLo;
      if (d < 0 && up > prevUp) up = prevUp;
    }
    if (d > 0) {
      tr[i] = lo;
      lg[i] = lo;
    } else {
      tr[i] = up;
      sh[i] = up;
    }
    dir[i] = d;
    prevUp = up;
    prevLo = lo;
  }
  return { trend: tr, direction: dir, long: lg, short: sh };
}

/**
 * Parabolic SAR (pandas_ta 0.3.14 / TRADE): start trend from bar 1 vs bar 0 — falling when bar 1's
 * down-move exceeds its up-move and is positive (a -DM bar) —, SAR seeded at close[0], extreme point at
 * bar 0's low (falling) or high. Each bar: sar += af*(ep - sar); a new extreme raises af by `af` (step)
 * up to `max_af`; SAR is clamped to the previous bar's high (falling) or low (rising); a close through
 * it — high above (falling) / low below (rising) — reverses: sar = ep, af = af0, ep = this bar's
 * low/high. Outputs from bar 1: long (SAR while rising, else NaN), short (while falling), af (after this
 * bar's update), reversal (1 on a reversal bar, else 0).
 */
export function psar(
  high: Float64Array,
  low: Float64Array,
  close: Float64Array,
  af0: number,
  afStep: number,
  maxAf: number,
): { long: Float64Array; short: Float64Array; af: Float64Array; reversal: Float64Array } {
  const n = close.length;
  const lg = nanArray(n);
  const sh = nanArray(n);
  const af = nanArray(n);
  const rv = nanArray(n);
  if (n < 2) return { long: lg, short: sh, af, reversal: rv };
  const up1 = high[1] - high[0];
  const dn1 = low[0] - low[1];
  let falling = dn1 > up1 && dn1 > 0;
  let sar = close[0];
  let ep = falling ? low[0] : high[0];
  let a = af0;
  for (let i = 1; i < n; i++) {
    const h = high[i];
    const l = low[i];
    if (h !== h || l !== l || sar !== sar) continue;
    let s = sar + a * (ep - sar);
    let reverse: boolean;
    if (falling) {
      reverse = h > s;
      if (l < ep) {
        ep = l;
        a = Math.min(a + afStep, maxAf);
      }
      if (high[i - 1] > s) s = high[i - 1];
    } else {
      reverse = l < s;
      if (h > ep) {
        ep = h;
        a = Math.min(a + afStep, maxAf);
      }
      if (low[i - 1] < s) s = low[i - 1];
    }
    if (reverse) {
      s = ep;
      a = af0;
      falling = !falling;
      ep = falling ? l : h;
    }
    sar = s;
    if (falling) sh[i] = s;
    else lg[i] = s;
    af[i] = a;
    rv[i] = reverse ? 1 : 0;
  }
  return { long: lg, short: sh, af, reversal: rv };
}
