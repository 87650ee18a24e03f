// Volume-weighted indicators: OBV, CMF, MFI, Klinger, session VWAP and anchored VWAP.

import { EmaStep, RollingSum, nanArray, safeDiv } from './primitives.ts';
import { sessionKey, type SessionAnchor } from './sessions.ts';

/**
 * On-balance volume: obv[0] = volume[0] (TA-Lib; pandas_ta's signed_series initial=1), then add volume
 * on an up close, subtract on a down close, unchanged on an equal close. Defined from bar 0. A NaN bar
 * gives NaN and is skipped (the running total carries on from the last valid close).
 */
export function obv(close: Float64Array, volume: Float64Array): Float64Array {
  const n = close.length;
  const out = nanArray(n);
  let total = NaN;
  let prev = NaN;
  for (let i = 0; i < n; i++) {
    const c = close[i];
    const v = volume[i];
    if (c !== c || v !== v) continue;
    if (total !== total) total = v;
    else if (c > prev) total += v;
    else if (c < prev) total -= v;
    prev = c;
    out[i] = total;
  }
  return out;
}

/**
 * Chaikin money flow: sum(clv*volume, length)/sum(volume, length), clv = ((c-l)-(h-c))/(h-l), with clv = 0
 * for a bar whose high equals its low (its close then sits on both; pandas_ta's epsilon gives the same 0).
 * A window with zero total volume gives NaN. First value at index length-1.
 */
export function cmf(high: Float64Array, low: Float64Array, close: Float64Array, volume: Float64Array, length: number): Float64Array {
  const n = close.length;
  const out = new Float64Array(n);
  const mf = new RollingSum(length);
  const vs = new RollingSum(length);
  for (let i = 0; i < n; i++) {
    const h = high[i];
    const l = low[i];
    const range = h - l;
    const clv = range === 0 ? 0 : (2 * close[i] - h - l) / range;
    out[i] = safeDiv(mf.step(clv * volume[i]), vs.step(volume[i]));
  }
  return out;
}

/**
 * Money flow index (TA-Lib): typical price hlc3, raw flow = tp*volume from bar 1 on, positive when tp
 * rose, negative when it fell, neither when equal; mfi = 100*pos/(pos+neg) over `length` flows.
 * First value at index `length`. No flow at all in the window gives NaN.
 */
export function mfi(high: Float64Array, low: Float64Array, close: Float64Array, volume: Float64Array, length: number): Float64Array {
  const n = close.length;
  const out = nanArray(n);
  const ps = new RollingSum(length);
  const ns = new RollingSum(length);
  let prevTp = (high[0] + low[0] + close[0]) / 3;
  for (let i = 1; i < n; i++) {
    const tp = (high[i] + low[i] + close[i]) / 3;
    const flow = tp * volume[i];
    const ok = tp === tp && prevTp === prevTp && flow === flow;
    const p = ps.step(ok ? (tp > prevTp ? flow : 0) : NaN);
    const q = ns.step(ok ? (tp < prevTp ? flow : 0) : NaN);
    prevTp = tp;
    out[i] = safeDiv(100 * p, p + q);
  }
  return out;
}

/**
 * Klinger volume oscillator (pandas_ta kvo / TRADE): signed volume = volume * sign(hlc3 - previous hlc3)
 * (0 when unchanged) from bar 1 on; kvo = EMA(sv, fast) - EMA(sv, slow); signal = EMA(kvo, signal); all
 * EMAs SMA-seeded. kvo from index max(fast,slow), signal from max(fast,slow)+signal-1.
 */
export function kvo(
  high: Float64Array,
  low: Float64Array,
  close: Float64Array,
  volume: Float64Array,
  fast: number,
  slow: number,
  signal: number,
): { kvo: Float64Array; signal: Float64Array } {
  const n = close.length;
  const k = nanArray(n);
  const s = nanArray(n);
  const ef = EmaStep.ema(fast);
  const es = EmaStep.ema(slow);
  const eg = EmaStep.ema(signal);
  let prev = (high[0] + low[0] + close[0]) / 3;
  for (let i = 1; i < n; i++) {
    const tp = (high[i] + low[i] + close[i]) / 3;
    const d = tp - prev;
    prev = tp;
    const sv = d > 0 ? volume[i] : d < 0 ? -volume[i] : d === d ? 0 : NaN;
    const v = ef.step(sv) - es.step(sv);
    k[i] = v;
    s[i] = eg.step(v);
  }
  return { kvo: k, signal: s };
}

/**
 * Session VWAP (pandas_ta vwap on hlc3): cumulative tp*volume / cumulative volume, reset at the first bar
 * of every UTC day / Monday-based week / month (by the bar's own open time). Defined from the first bar
 * with volume in a session; zero volume so far in the session gives NaN. NaN bars are not accumulated.
 */
export function vwap(
  ts: Float64Array,
  high: Float64Array,
  low: Float64Array,
  close: Float64Array,
  volume: Float64Array,
  anchor: SessionAnchor,
): Float64Array {
  const n = close.length;
  const out = nanArray(n);
  let key = NaN;
  let pv = 0;
  let vol = 0;
  for (let i = 0; i < n; i++) {
    const k = sessionKey(ts[i], anchor);
    if (k !== key) {
      key = k;
      pv = 0;
      vol = 0;
    }
    const tp = (high[i] + low[i] + close[i]) / 3;
    const v = volume[i];
    if (tp !== tp || v !== v) continue;
    pv += tp * v;
    vol += v;
    out[i] = safeDiv(pv, vol);
  }
  return out;
}

/**
 * VWAP anchored at reset bars (resets[t] = 1 starts a new anchor at bar t; the series start is the first
 * anchor). value = cumulative hlc3*volume / volume since the anchor (NaN while that volume is 0);
 * bars_since_anchor counts the bars in the anchored window including this one (1 on an anchor bar), as
 * TRADE does.
 */
export function anchoredVwap(
  high: Float64Array,
  low: Float64Array,
  close: Float64Array,
  volume: Float64Array,
  resets: ArrayLike<number>,
): { value: Float64Array; bars_since_anchor: Float64Array } {
  const n = close.length;
  const value = nanArray(n);
  const bars = new Float64Array(n);
  let pv = 0;
  let vol = 0;
  let count = 0;
  for (let i = 0; i < n; i++) {
    if (resets[i] === 1) {
      pv = 0;
      vol = 0;
      count = 0;
    }
    count++;
    bars[i] = count;
    const tp = (high[i] + low[i] + close[i]) / 3;
    const v = volume[i];
    if (tp !== tp || v !== v) continue;
    pv += tp * v;
    vol += v;
    value[i] = safeDiv(pv, vol);
  }
  return { value, bars_since_anchor: bars };
}
