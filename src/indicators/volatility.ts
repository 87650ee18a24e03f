// Volatility: true-range based measures. Causal; NaN until the first defined value.

import { EmaStep, nanArray, safeDiv, trueRangeAt } from './primitives.ts';

/**
 * Average true range, TA-Lib convention (pandas_ta's default talib path): TR from bar 1 (bar 0 has no
 * previous close), Wilder's RMA seeded with the mean of TR[1..length]. First value at index `length`.
 * (TRADE's incremental ATR with prenan=False also counts bar 0's high-low and starts one bar earlier;
 * the two differ only by a seed that decays as (1-1/length)^t.)
 */
export function atr(high: Float64Array, low: Float64Array, close: Float64Array, length: number): Float64Array {
  const n = close.length;
  const out = nanArray(n);
  const w = EmaStep.wilder(length);
  for (let i = 1; i < n; i++) out[i] = w.step(trueRangeAt(high, low, close, i));
  return out;
}

/** Normalised ATR in percent of close: 100*ATR/close. First value at index `length`. */
export function natr(high: Float64Array, low: Float64Array, close: Float64Array, length: number): Float64Array {
  const out = atr(high, low, close, length);
  for (let i = 0; i < out.length; i++) out[i] = safeDiv(100 * out[i], close[i]);
  return out;
}
