// The backtest bar loop: funding, open fills, intrabar levels, mark, decide — docs/engine.md §1.
import type { Candles } from '../../data/index.ts';
import { advanceStops, checkRange } from './intrabar.ts';
import { entryNotional, liquidationPrice, stopDistance, targetDistance } from './levels.ts';
import { Account } from './position.ts';
import type { ExecutionSpec } from './spec.ts';
import { decide, ENTER_LONG, ENTER_SHORT, EXIT, exitShare } from './step.ts';
import { barMs, indexSubBars, type SubBarIndex } from './sub-bars.ts';
import type { BacktestResult, ExitReason, StrategyInput } from './types.ts';

export interface BacktestOptions {
  /** Per exec bar funding rate (NaN where no settlement falls in the bar). */
  funding?: Float64Array;
  /** Finer candles of the same market: stops, targets and limit fills are replayed on them. */
  subCandles?: Candles;
}

const NO_COLUMN = new Float64Array(0);
const FILL_NONE = -1;
const FILL_AT_OPEN = -2;
const FILL_INTRABAR = -3;

export function runBacktest(strategy: StrategyInput, spec: ExecutionSpec, opts: BacktestOptions = {}): BacktestResult {
  const { exec, signals, exitPercent } = strategy;
  const n = strategy.n;
  const { ts, open, high, low, close } = exec;
  const funding = opts.funding;
  const col = (ref: string | undefined): Float64Array => (ref ? strategy.column(ref) : NO_COLUMN);
  const stopAtr = col(spec.stop.atrRef);
  const targetAtr = spec.target.atrRef === spec.stop.atrRef ? stopAtr : col(spec.target.atrRef);
  const swingLow = spec.stop.kind === 'structure' && spec.stop.swingKey ? col(`${spec.stop.swingKey}.low_level`) : NO_COLUMN;
  const swingHigh = spec.stop.kind === 'structure' && spec.stop.swingKey ? col(`${spec.stop.swingKey}.high_level`) : NO_COLUMN;
  const trailsAtr = spec.stop.kind === 'trailing_atr';
  const sub = opts.subCandles;
  const subIdx: SubBarIndex | undefined = sub ? indexSubBars(exec, barMs(ts), sub) : undefined;
  const policy = { allowLong: spec.allowLong, allowShort: spec.allowShort, signalExits: spec.signalExits };
  const warmup = strategy.warmupBars;
  const L = spec.leverage;
  const slip = spec.slippage;
  const maxDd = spec.maxDrawdownPct > 0 ? spec.maxDrawdownPct / 100 : 0;

  const acc = new Account(spec.startingEquity);
  const equity = new Float64Array(n);
  const inPosition = new Uint8Array(n);
  let peak = spec.startingEquity;
  let halted = false;
  let haltedAtBar: number | undefined;

  // Decided at bar i-1's close, executed from bar i's open.
  let pending = 0;
  let pendingShare = 1;
  let pendingReason: ExitReason = 'signal';
  let decisionBar = -1;
  let decisionEquity = 0;
  // A resting limit entry.
  let restSide = 0;
  let restPrice = 0;
  let restPlacedBar = 0;
  let restEquity = 0;
  let restDecisionBar = 0;

  const openPosition = (side: number, price: number, feeRate: number, i: number, eq: number, atBar: number): boolean => {
    const atrS = stopAtr.length ? stopAtr[atBar] : NaN;
    const swing = side > 0 ? (swingLow.length ? swingLow[atBar] : NaN) : swingHigh.length ? swingHigh[atBar] : NaN;
    const sd = stopDistance(spec, side, price, atrS, swing);
    if (spec.stop.kind !== 'none' && !(sd > 0)) return false; // a stop the play asks for cannot be set yet
    const notional = entryNotional(spec, eq, price, sd);
    if (notional === 0) return false;
    acc.open(side, price, notional, L, feeRate, i, ts[i], eq);
    if (sd > 0) {
      acc.stop = price - side * sd;
      if (spec.stop.kind === 'trailing_pct' || trailsAtr) acc.trailDist = sd;
    }
    const atrT = targetAtr.length ? targetAtr[atBar] : NaN;
    const td = targetDistance(spec, price, atrT, sd);
    if (td > 0) acc.target = price + side * td;
    acc.liq = liquidationPrice(side, price, L, spec.maintenanceMarginRate);
    return true;
  };

  for (let i = 0; i < n; i++) {
    const o = open[i];
    // 1. Funding on the position held at the bar's start.
    if (funding !== undefined && acc.side !== 0) {
      const rate = funding[i];
      if (rate === rate) acc.payFunding(o, rate);
    }
    // 2. Open fills: the signal exit first, then the entry.
    if (pending !== 0) {
      if ((pending & EXIT) !== 0 && acc.side !== 0) {
        acc.close(pendingShare, o * (1 - acc.side * slip), spec.takerRate, i, ts[i], pendingReason);
      }
      if ((pending & (ENTER_LONG | ENTER_SHORT)) !== 0 && acc.side === 0) {
        const side = (pending & ENTER_LONG) !== 0 ? 1 : -1;
        if (spec.entry.limit) {
          restSide = side;
          restPrice = close[decisionBar] * (1 - (side * spec.entry.offsetPct) / 100);
          restPlacedBar = i;
          restEquity = decisionEquity;
          restDecisionBar = decisionBar;
        } else {
          openPosition(side, o * (1 + side * slip), spec.takerRate, i, decisionEquity, decisionBar);
        }
      }
      pending = 0;
    }
    // 3. Intrabar: a resting limit entry, then the position's levels.
    // A limit fill inside the bar: only the stop is checked where the order of prices is unknown.
    let limitIntrabar = false;
    let fillSub = -1;
    if (restSide !== 0 && acc.side === 0) {
      const fill = tryLimitFill(i);
      limitIntrabar = fill !== FILL_NONE && fill !== FILL_AT_OPEN;
      if (limitIntrabar) fillSub = fill;
    }
    if (acc.side !== 0) {
      if (subIdx !== undefined && sub !== undefined && subIdx.end[i] > subIdx.start[i]) {
        let j = fillSub >= 0 ? fillSub : subIdx.start[i];
        for (const end = subIdx.end[i]; j < end; j++) {
          if (checkRange(acc, spec, sub.open[j], sub.high[j], sub.low[j], j === fillSub, i, ts[i])) break;
          advanceStops(acc, spec, sub.high[j], sub.low[j]);
        }
      } else if (!checkRange(acc, spec, o, high[i], low[i], limitIntrabar, i, ts[i])) {
        advanceStops(acc, spec, high[i], low[i]);
      }
    }
    // 4. Mark to the close.
    const c = close[i];
    const eq = acc.equityAt(c);
    equity[i] = eq;
    if (acc.side !== 0) {
      inPosition[i] = 1;
      if (trailsAtr) {
        const a = stopAtr[i];
        if (a === a) acc.trailDist = spec.stop.atrMultiplier * a;
      }
    }
    if (eq > peak) peak = eq;
    else if (maxDd > 0 && !halted && eq < peak * (1 - maxDd)) {
      halted = true;
      haltedAtBar = i;
      restSide = 0;
    }
    // 5. Decide at the close for the next bar's open.
    if (i + 1 < n) {
      if (halted) {
        pending = acc.side !== 0 ? EXIT : 0;
        pendingShare = 1;
        pendingReason = 'max_drawdown';
      } else {
        if (restSide !== 0 && spec.signalExits && (signals.exit_all[i] === 1 || (restSide > 0 ? signals.exit_long[i] : signals.exit_short[i]) === 1)) {
          restSide = 0; // an exit signal cancels a resting entry
        }
        let code = decide(signals, exitPercent, i, acc.side, restSide !== 0, policy);
        if (i < warmup) code &= EXIT;
        pending = code;
        if ((code & EXIT) !== 0) {
          pendingShare = exitShare(signals, exitPercent, i, acc.side);
          pendingReason = 'signal';
        }
      }
      decisionBar = i;
      decisionEquity = eq;
    }
  }
  if (acc.side !== 0 && n > 0) {
    acc.close(1, close[n - 1] * (1 - acc.side * slip), spec.takerRate, n - 1, ts[n - 1], 'end_of_data');
    equity[n - 1] = acc.cash;
  }
  return {
    trades: acc.trades,
    equity,
    inPosition,
    startingEquity: spec.startingEquity,
    finalEquity: n > 0 ? equity[n - 1] : spec.startingEquity,
    totalFees: acc.totalFees,
    totalFunding: acc.totalFunding,
    haltedAtBar,
  };

  /**
   * A resting limit entry at bar i (docs/engine.md §3). Returns FILL_NONE, FILL_AT_OPEN (IOC/FOK at the
   * open: the whole bar follows the fill), FILL_INTRABAR, or the sub-bar index the fill happened in.
   */
  function tryLimitFill(i: number): number {
    const side = restSide;
    const lim = restPrice;
    const first = i === restPlacedBar;
    const tif = spec.entry.tif;
    const o = open[i];
    const openThrough = side > 0 ? o <= lim : o >= lim;
    if (first && (tif === 'IOC' || tif === 'FOK')) {
      restSide = 0;
      return openThrough && openPosition(side, o * (1 + side * slip), spec.takerRate, i, restEquity, restDecisionBar) ? FILL_AT_OPEN : FILL_NONE;
    }
    if (first && tif === 'PostOnly' && openThrough) {
      restSide = 0;
      return FILL_NONE;
    }
    const touched = side > 0 ? low[i] <= lim : high[i] >= lim;
    if (touched) {
      restSide = 0;
      if (!openPosition(side, lim, spec.makerRate, i, restEquity, restDecisionBar)) return FILL_NONE;
      if (subIdx !== undefined && sub !== undefined) {
        for (let j = subIdx.start[i]; j < subIdx.end[i]; j++) {
          if (side > 0 ? sub.low[j] <= lim : sub.high[j] >= lim) return j;
        }
      }
      return FILL_INTRABAR;
    }
    const expire = spec.entry.expireAfterBars;
    if (expire > 0 && i - restPlacedBar + 1 >= expire) restSide = 0;
    return FILL_NONE;
  }
}
