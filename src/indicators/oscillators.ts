// Momentum oscillators (TRADE's momentum family). Causal; NaN until the first defined value (stated
// per function); a zero denominator gives NaN, never ±Infinity.

import { EmaStep, Lag, RollingExtreme, RollingSum, SmaStep, nanArray, safeDiv } from './primitives.ts';

/**
 * RSI with Wilder's smoothing seeded by the mean of the first `length` changes (TA-Lib; pandas_ta's
 * default talib path; TRADE's incremental RSI). rsi = 100*avgGain/(avgGain+avgLoss). First value at
 * index `length`. A window with no movement at all gives NaN (0/0), not 50.
 */
export function rsi(src: Float64Array, length: number): Float64Array {
  const n = src.length;
  const out = nanArray(n);
  const up = EmaStep.wilder(length);
  const dn = EmaStep.wilder(length);
  for (let i = 1; i < n; i++) {
    const ch = src[i] - src[i - 1];
    const g = up.step(ch > 0 ? ch : ch === ch ? 0 : NaN);
    const l = dn.step(ch < 0 ? -ch : ch === ch ? 0 : NaN);
    out[i] = safeDiv(100 * g, g + l);
  }
  return out;
}

/**
 * Chande momentum oscillator, Wilder-smoothed gains/losses as TA-Lib CMO (pandas_ta's default talib
 * path and TRADE's incremental CMO): 100*(up-down)/(up+down). Chande's original uses plain sums over
 * `length`; the two agree in sign and range but not in value. First value at index `length`.
 */
export function cmo(src: Float64Array, length: number): Float64Array {
  const n = src.length;
  const out = nanArray(n);
  const up = EmaStep.wilder(length);
  const dn = EmaStep.wilder(length);
  for (let i = 1; i < n; i++) {
    const ch = src[i] - src[i - 1];
    const g = up.step(ch > 0 ? ch : ch === ch ? 0 : NaN);
    const l = dn.step(ch < 0 ? -ch : ch === ch ? 0 : NaN);
    out[i] = safeDiv(100 * (g - l), g + l);
  }
  return out;
}

/** Momentum: x - x[length]. First value at index `length`. */
export function mom(src: Float64Array, length: number): Float64Array {
  const n = src.length;
  const out = nanArray(n);
  for (let i = length; i < n; i++) out[i] = src[i] - src[i - length];
  return out;
}

/** Rate of change in percent: 100*(x - x[length])/x[length]. First value at index `length`. */
export function roc(src: Float64Array, length: number): Float64Array {
  const n = src.length;
  const out = nanArray(n);
  for (let i = length; i < n; i++) out[i] = safeDiv(100 * (src[i] - src[i - length]), src[i - length]);
  return out;
}

/**
 * Commodity channel index on the typical price hlc3: (tp - SMA(tp)) / (0.015 * meanAbsDev(tp)).
 * First value at length-1. The mean absolute deviation needs the whole window: O(length) per bar.
 */
export function cci(high: Float64Array, low: Float64Array, close: Float64Array, length: number): Float64Array {
  const n = close.length;
  const out = nanArray(n);
  const tp = new Float64Array(length);
  const mean = new SmaStep(length);
  let pos = 0;
  for (let i = 0; i < n; i++) {
    const x = (high[i] + low[i] + close[i]) / 3;
    tp[pos] = x;
    if (++pos === length) pos = 0;
    const m = mean.step(x);
    if (m !== m) continue;
    let dev = 0;
    for (let k = 0; k < length; k++) dev += Math.abs(tp[k] - m);
    out[i] = safeDiv(x - m, (0.015 * dev) / length);
  }
  return out;
}

/** Williams %R: -100*(HH - close)/(HH - LL) over `length` bars. First value at length-1. */
export function willr(high: Float64Array, low: Float64Array, close: Float64Array, length: number): Float64Array {
  const n = close.length;
  const out = new Float64Array(n);
  const hi = new RollingExtreme(length, 'max');
  const lo = new RollingExtreme(length, 'min');
  for (let i = 0; i < n; i++) {
    const h = hi.step(high[i]);
    const l = lo.step(low[i]);
    out[i] = safeDiv(-100 * (h - close[i]), h - l);
  }
  return out;
}

/**
 * Ultimate oscillator. bp = close - min(low, prevClose), tr = max(high, prevClose) - min(low, prevClose)
 * from bar 1 on (bar 0 has no previous close: TA-Lib, TRADE); avg_k = sum(bp,k)/sum(tr,k);
 * uo = 100*(4*avg_fast + 2*avg_medium + avg_slow)/7. First value at index max(fast, medium, slow).
 */
export function uo(
  high: Float64Array,
  low: Float64Array,
  close: Float64Array,
  fast: number,
  medium: number,
  slow: number,
): Float64Array {
  const n = close.length;
  const out = nanArray(n);
  const bpF = new RollingSum(fast);
  const trF = new RollingSum(fast);
  const bpM = new RollingSum(medium);
  const trM = new RollingSum(medium);
  const bpS = new RollingSum(slow);
  const trS = new RollingSum(slow);
  for (let i = 1; i < n; i++) {
    const pc = close[i - 1];
    const lo = low[i] < pc ? low[i] : pc;
    const hi = high[i] > pc ? high[i] : pc;
    const bp = close[i] - lo;
    const tr = hi - lo;
    const a = safeDiv(bpF.step(bp), trF.step(tr));
    const b = safeDiv(bpM.step(bp), trM.step(tr));
    const c = safeDiv(bpS.step(bp), trS.step(tr));
    out[i] = (100 * (4 * a + 2 * b + c)) / 7;
  }
  return out;
}

/**
 * MACD: EMA(fast) - EMA(slow) (each SMA-seeded on the source), signal = EMA(macd, signal) seeded on the
 * first `signal` MACD values, histogram = macd - signal. macd from index max(fast,slow)-1, signal and
 * histogram from max(fast,slow)+signal-2 (TRADE's incremental MACD; TA-Lib instead delays the fast EMA
 * to start with the slow one).
 */
export function macd(
  src: Float64Array,
  fast: number,
  slow: number,
  signal: number,
): { macd: Float64Array; signal: Float64Array; histogram: Float64Array } {
  const n = src.length;
  const m = new Float64Array(n);
  const s = new Float64Array(n);
  const h = new Float64Array(n);
  const ef = EmaStep.ema(fast);
  const es = EmaStep.ema(slow);
  const eg = EmaStep.ema(signal);
  for (let i = 0; i < n; i++) {
    const x = src[i];
    const v = ef.step(x) - es.step(x);
    const g = eg.step(v);
    m[i] = v;
    s[i] = g;
    h[i] = v - g;
  }
  return { macd: m, signal: s, histogram: h };
}

/**
 * Percentage price oscillator with pandas_ta's default SMA legs (mamode 'sma', as TRADE's incremental
 * PPO): ppo = 100*(SMA(fast) - SMA(slow))/SMA(slow); signal = EMA(ppo, signal); histogram = ppo - signal.
 * ppo from index max(fast,slow)-1, signal/histogram from max(fast,slow)+signal-2.
 */
export function ppo(
  src: Float64Array,
  fast: number,
  slow: number,
  signal: number,
): { ppo: Float64Array; histogram: Float64Array; signal: Float64Array } {
  const n = src.length;
  const p = new Float64Array(n);
  const s = new Float64Array(n);
  const h = new Float64Array(n);
  const sf = new SmaStep(fast);
  const ss = new SmaStep(slow);
  const eg = EmaStep.ema(signal);
  for (let i = 0; i < n; i++) {
    const x = src[i];
    const f = sf.step(x);
    const sl = ss.step(x);
    const v = safeDiv(100 * (f - sl), sl);
    const g = eg.step(v);
    p[i] = v;
    s[i] = g;
    h[i] = v - g;
  }
  return { ppo: p, histogram: h, signal: s };
}

/**
 * TRIX: one-bar percent change of a triple EMA (chained, SMA-seeded); signal = SMA(trix, signal)
 * (pandas_ta and TRADE). trix from index 3*(length-1)+1, signal from 3*(length-1)+signal.
 */
export function trix(src: Float64Array, length: number, signal: number): { trix: Float64Array; signal: Float64Array } {
  const n = src.length;
  const t = new Float64Array(n);
  const s = new Float64Array(n);
  const e1 = EmaStep.ema(length);
  const e2 = EmaStep.ema(length);
  const e3 = EmaStep.ema(length);
  const sg = new SmaStep(signal);
  let prev = NaN;
  for (let i = 0; i < n; i++) {
    const v3 = e3.step(e2.step(e1.step(src[i])));
    const tr = safeDiv(100 * (v3 - prev), prev);
    if (v3 === v3) prev = v3;
    t[i] = tr;
    s[i] = sg.step(tr); // leading NaNs simply keep the SMA undefined until `signal` TRIX values exist
  }
  return { trix: t, signal: s };
}

/**
 * True strength index (pandas_ta): momentum d = x - x[-1] smoothed by EMA(slow) then EMA(fast), the same
 * for |d|; tsi = 100*num/den; signal = EMA(tsi, signal). All EMAs SMA-seeded on their first valid inputs.
 * tsi from index slow+fast-1, signal from slow+fast+signal-2.
 */
export function tsi(src: Float64Array, fast: number, slow: number, signal: number): { tsi: Float64Array; signal: Float64Array } {
  const n = src.length;
  const t = nanArray(n);
  const s = nanArray(n);
  const p1 = EmaStep.ema(slow);
  const p2 = EmaStep.ema(fast);
  const a1 = EmaStep.ema(slow);
  const a2 = EmaStep.ema(fast);
  const g = EmaStep.ema(signal);
  for (let i = 1; i < n; i++) {
    const d = src[i] - src[i - 1];
    const num = p2.step(p1.step(d));
    const den = a2.step(a1.step(Math.abs(d)));
    const v = safeDiv(100 * num, den);
    t[i] = v;
    s[i] = g.step(v);
  }
  return { tsi: t, signal: s };
}

/**
 * Stochastic: raw = 100*(close - LL)/(HH - LL) over `k` bars; k = SMA(raw, smooth_k); d = SMA(k, d)
 * (pandas_ta stoch / TRADE). k from index k+smooth_k-2, d from k+smooth_k+d-3. A flat window (HH = LL)
 * gives NaN (0/0), which keeps k and d NaN while it is inside their windows.
 */
export function stoch(
  high: Float64Array,
  low: Float64Array,
  close: Float64Array,
  kLength: number,
  dLength: number,
  smoothK: number,
): { k: Float64Array; d: Float64Array } {
  const n = close.length;
  const k = new Float64Array(n);
  const d = new Float64Array(n);
  const hi = new RollingExtreme(kLength, 'max');
  const lo = new RollingExtreme(kLength, 'min');
  const sk = new SmaStep(smoothK);
  const sd = new SmaStep(dLength);
  for (let i = 0; i < n; i++) {
    const h = hi.step(high[i]);
    const l = lo.step(low[i]);
    const kv = sk.step(safeDiv(100 * (close[i] - l), h - l));
    k[i] = kv;
    d[i] = sd.step(kv); // a window holding a NaN (warm-up or flat range) stays NaN
  }
  return { k, d };
}

/**
 * Stochastic RSI (pandas_ta): RSI(rsi_length), then raw = 100*(rsi - min)/(max - min) over `length` RSI
 * values, k = SMA(raw, k), d = SMA(k, d). k from index rsi_length+length+k-2, d one `d-1` later.
 */
export function stochrsi(
  src: Float64Array,
  length: number,
  rsiLength: number,
  kLength: number,
  dLength: number,
): { k: Float64Array; d: Float64Array } {
  const n = src.length;
  const r = rsi(src, rsiLength);
  const k = new Float64Array(n);
  const d = new Float64Array(n);
  const hi = new RollingExtreme(length, 'max');
  const lo = new RollingExtreme(length, 'min');
  const sk = new SmaStep(kLength);
  const sd = new SmaStep(dLength);
  for (let i = 0; i < n; i++) {
    const x = r[i];
    const h = hi.step(x);
    const l = lo.step(x);
    const kv = sk.step(safeDiv(100 * (x - l), h - l));
    k[i] = kv;
    d[i] = sd.step(kv);
  }
  return { k, d };
}

/**
 * Fisher transform (pandas_ta, signal = 1): hl2 position in its `length`-bar range (range floored at
 * 0.001 as pandas_ta does), v = 0.66*(pos - 0.5) + 0.67*v, clipped to ±0.999 beyond ±0.99,
 * fisher = 0.5*ln((1+v)/(1-v)) + 0.5*fisher[-1]; seeded fisher[length-1] = 0; signal = fisher[-1].
 * fisher from index length-1, signal from index `length`.
 */
export function fisher(high: Float64Array, low: Float64Array, length: number): { fisher: Float64Array; signal: Float64Array } {
  const n = high.length;
  const f = nanArray(n);
  const s = nanArray(n);
  const hi = new RollingExtreme(length, 'max');
  const lo = new RollingExtreme(length, 'min');
  const lag = new Lag(1);
  let v = 0;
  let prev = NaN;
  for (let i = 0; i < n; i++) {
    const m = (high[i] + low[i]) / 2;
    const h = hi.step(m);
    const l = lo.step(m);
    let out = NaN;
    if (i === length - 1) {
      out = 0;
      prev = 0;
    } else if (i >= length && h === h && l === l && m === m && prev === prev) {
      let range = h - l;
      if (range < 0.001) range = 0.001;
      v = 0.66 * ((m - l) / range - 0.5) + 0.67 * v;
      if (v < -0.99) v = -0.999;
      else if (v > 0.99) v = 0.999;
      out = 0.5 * (Math.log((1 + v) / (1 - v)) + prev);
      prev = out;
    }
    f[i] = out;
    s[i] = lag.step(out);
  }
  return { fisher: f, signal: s };
}
