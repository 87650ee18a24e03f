// Entries: a market fill sized and given its levels, a resting limit order's fills (docs/engine.md §3-5).
import type { Candles } from '../../data/index.ts';
import { entryNotional, liquidationPrice, stopDistance, targetDistance } from './levels.ts';
import type { Account } from './position.ts';
import type { ExecutionSpec } from './spec.ts';
import type { SubBarIndex } from './sub-bars.ts';

export const FILL_NONE = -1;
export const FILL_AT_OPEN = -2;
export const FILL_INTRABAR = -3;

/**
 * A resting limit entry at bar i (docs/engine.md §3). Returns FILL_NONE, FILL_AT_OPEN (IOC/FOK at the
 * open: the whole bar follows the fill), FILL_INTRABAR, or the sub-bar index the fill happened in.
 */
export function tryLimitFill(
  acc: Account, spec: ExecutionSpec, cols: LevelColumns, rest: RestingEntry, exec: Candles, i: number,
  subIdx: SubBarIndex | undefined, sub: Candles | undefined,
): number {
  const side = rest.side;
  const lim = rest.price;
  const first = i === rest.placedBar;
  const tif = spec.entry.tif;
  const o = exec.open[i];
  const openThrough = side > 0 ? o <= lim : o >= lim;
  if (first && (tif === 'IOC' || tif === 'FOK')) {
    rest.side = 0;
    return openThrough && openPosition(acc, spec, cols, side, o, spec.takerRate, i, rest.equity, rest.decisionBar) ? FILL_AT_OPEN : FILL_NONE;
  }
  if (first && tif === 'PostOnly' && openThrough) {
    rest.side = 0;
    return FILL_NONE;
  }
  const touched = side > 0 ? exec.low[i] <= lim : exec.high[i] >= lim;
  if (touched) {
    rest.side = 0;
    if (!openPosition(acc, spec, cols, side, lim, spec.makerRate, i, rest.equity, rest.decisionBar)) return FILL_NONE;
    if (subIdx !== undefined && sub !== undefined) {
      for (let j = subIdx.start[i]; j < subIdx.end[i]; j++) {
        if (side > 0 ? sub.low[j] <= lim : sub.high[j] >= lim) return j;
      }
    }
    return FILL_INTRABAR;
  }
  const expire = spec.entry.expireAfterBars;
  if (expire > 0 && i - rest.placedBar + 1 >= expire) rest.side = 0;
  return FILL_NONE;
}

/** Columns the entry levels read at the decision bar. */
export interface LevelColumns {
  ts: Float64Array;
  stopAtr: Float64Array;
  targetAtr: Float64Array;
  swingLow: Float64Array;
  swingHigh: Float64Array;
}

/** A limit entry waiting on the book. */
export class RestingEntry {
  side = 0;
  price = 0;
  placedBar = 0;
  equity = 0;
  decisionBar = 0;
}

// Slots of an entry plan (planEntry's output vector: numbers through a typed array, not call results, so a
// caller that is not inlined allocates no boxes).
export const PLAN_NOTIONAL = 0, PLAN_STOP_DIST = 1, PLAN_STOP = 2, PLAN_TARGET = 3, PLAN_LIQ = 4;
export const PLAN_SLOTS = 5;

/**
 * Sizes an entry at `price` on `side` with levels from the decision bar `atBar`'s values (equity `equity` at
 * its close) into `plan`; false when it cannot be placed (a stop the play asks for cannot be set yet, or an
 * order below the minimum). Changes nothing else: the bar loop applies a plan with openPosition, the fused
 * signal loop with its own locals.
 */
export function planEntry(spec: ExecutionSpec, cols: LevelColumns, side: number, price: number, equity: number, atBar: number, plan: Float64Array): boolean {
  const atrS = cols.stopAtr.length ? cols.stopAtr[atBar] : NaN;
  const swingCol = side > 0 ? cols.swingLow : cols.swingHigh;
  const sd = stopDistance(spec, side, price, atrS, swingCol.length ? swingCol[atBar] : NaN);
  if (spec.stop.kind !== 'none' && !(sd > 0)) return false;
  const notional = entryNotional(spec, equity, price, sd);
  if (notional === 0) return false;
  const td = targetDistance(spec, price, cols.targetAtr.length ? cols.targetAtr[atBar] : NaN, sd);
  plan[PLAN_NOTIONAL] = notional;
  plan[PLAN_STOP_DIST] = sd;
  plan[PLAN_STOP] = sd > 0 ? price - side * sd : NaN;
  plan[PLAN_TARGET] = td > 0 ? price + side * td : NaN;
  plan[PLAN_LIQ] = liquidationPrice(side, price, spec.leverage, spec.maintenanceMarginRate);
  return true;
}

const planned = new Float64Array(PLAN_SLOTS);

/** Opens a position at `price` with levels from the decision bar's values; false when it cannot be sized. */
export function openPosition(
  acc: Account, spec: ExecutionSpec, cols: LevelColumns, side: number, price: number, feeRate: number,
  i: number, equity: number, atBar: number,
): boolean {
  if (!planEntry(spec, cols, side, price, equity, atBar, planned)) return false;
  acc.open(side, price, planned[PLAN_NOTIONAL], spec.leverage, feeRate, i, cols.ts[i], equity);
  acc.stop = planned[PLAN_STOP];
  acc.target = planned[PLAN_TARGET];
  acc.liq = planned[PLAN_LIQ];
  const sd = planned[PLAN_STOP_DIST];
  if (sd > 0) {
    if (spec.stop.kind === 'trailing_pct') acc.trailDist = sd;
    else if (spec.stop.kind === 'trailing_atr') {
      // The trail follows the ATR of the last closed bar (for a market fill, the signal bar's).
      const last = i > 0 ? cols.stopAtr[i - 1] : NaN;
      acc.trailDist = last === last ? spec.stop.atrMultiplier * last : sd;
    }
  }
  return true;
}

/**
 * True when no entry can be sized from `cash` at any price: percent_equity and fixed_usdt notionals do not
 * depend on the fill price, so an order below the minimum now is below it at every later bar while flat.
 */
export function cannotEnter(spec: ExecutionSpec, cash: number): boolean {
  return spec.sizing.model !== 'risk_based' && entryNotional(spec, cash, NaN, NaN) === 0;
}
