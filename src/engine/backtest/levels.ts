// Price levels set at an entry fill: stop distance, target distance, liquidation (docs/engine.md §4-6).
import type { ExecutionSpec } from './spec.ts';

/**
 * Stop distance in price for an entry at `price` on `side`, or NaN when the play has no stop or a
 * value it needs (ATR, swing level) is not known yet. `swingLevel` is the last confirmed swing low
 * (long) or high (short) for `structure` stops.
 */
export function stopDistance(spec: ExecutionSpec, side: number, price: number, atr: number, swingLevel: number): number {
  const st = spec.stop;
  switch (st.kind) {
    case 'percent':
      return roiDistance(spec, price, st.value);
    case 'atr_multiple':
      return st.value * atr;
    case 'fixed_points':
      return st.value;
    case 'structure': {
      const level = side > 0 ? swingLevel * (1 - st.bufferPct / 100) : swingLevel * (1 + st.bufferPct / 100);
      const d = side > 0 ? price - level : level - price;
      // A swing on the wrong side of the entry (or none yet) falls back to the ROI percentage.
      return d > 0 ? d : roiDistance(spec, price, st.value);
    }
    case 'trailing_pct':
      return (price * st.trailPct) / 100;
    case 'trailing_atr':
      return st.atrMultiplier * atr;
    default:
      return NaN;
  }
}

/** The price distance of an ROI percentage of margin. */
function roiDistance(spec: ExecutionSpec, price: number, pct: number): number {
  return (price * pct) / 100 / spec.leverage;
}

/** Target distance in price, or NaN for no target. rr_ratio needs the initial stop distance. */
export function targetDistance(spec: ExecutionSpec, price: number, atr: number, stopDist: number): number {
  const tg = spec.target;
  switch (tg.kind) {
    case 'percent':
      return (price * tg.value) / 100 / spec.leverage;
    case 'rr_ratio':
      return tg.value * stopDist;
    case 'atr_multiple':
      return tg.value * atr;
    case 'fixed_points':
      return tg.value;
    default:
      return NaN;
  }
}

/** Isolated-margin liquidation price: the whole margin is gone once maintenance margin is breached. */
export function liquidationPrice(side: number, price: number, leverage: number, mmr: number): number {
  return side > 0 ? price * (1 - 1 / leverage + mmr) : price * (1 + 1 / leverage - mmr);
}

/** Notional to open, or 0 when the order would be below the minimum or cannot be sized. */
export function entryNotional(spec: ExecutionSpec, equity: number, price: number, stopDist: number): number {
  const L = spec.leverage;
  const cap = equity * L;
  const s = spec.sizing;
  let notional: number;
  if (s.model === 'percent_equity') notional = ((equity * s.value) / 100) * L;
  else if (s.model === 'fixed_usdt') notional = Math.min(s.value * L, cap);
  else notional = stopDist > 0 ? Math.min((((equity * s.value) / 100) / stopDist) * price, cap) : 0;
  return notional >= spec.minNotional && notional > 0 && Number.isFinite(notional) ? notional : 0;
}

/** Below this price a held position's stop (long) or target (short) or liquidation fires; NaN levels never do. */
export function lowerBound(side: number, stop: number, target: number, liq: number): number {
  return side > 0 ? (stop > liq ? stop : liq) : target === target ? target : -Infinity;
}

/** Above this price a held position's target (long) or stop or liquidation (short) fires. */
export function upperBound(side: number, stop: number, target: number, liq: number): number {
  return side > 0 ? (target === target ? target : Infinity) : stop < liq ? stop : liq;
}
