// The backtest bar loop: funding, open fills, intrabar levels, mark, decide — docs/engine.md §1.
import type { Candles } from '../../data/index.ts';
import type { EquityStats } from '../metrics.ts';
import { EquityTrack, markedEquity } from './equity-track.ts';
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
  const sim = simulate(strategy, spec, opts, true);
  return { ...sim.result, equity: sim.equity!, inPosition: sim.inPosition! };
}

/** A run: the result without the per-bar arrays, the curve's statistics, and the arrays when recorded. */
export interface Simulation {
  result: Omit<BacktestResult, 'equity' | 'inPosition'>;
  stats: EquityStats;
  equity?: Float64Array;
  inPosition?: Uint8Array;
}

/**
 * The bar loop. With `record` it stores the equity curve and the in-position flags; without, it only
 * measures them (EquityTrack), which is all a backtest scored by its metrics needs.
 */
export function simulate(strategy: StrategyInput, spec: ExecutionSpec, opts: BacktestOptions, record: boolean): Simulation {
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
  const wholeExits = strategy.wholeExits === true;
  const policy = { allowLong: spec.allowLong, allowShort: spec.allowShort, signalExits: spec.signalExits, wholeExits };
  const warmup = strategy.warmupBars;
  const slip = spec.slippage;
  const maxDd = spec.maxDrawdownPct > 0 ? spec.maxDrawdownPct / 100 : 0;

  const acc = new Account(spec.startingEquity);
  const equity = record ? new Float64Array(n) : undefined;
  const inPosition = record ? new Uint8Array(n) : undefined;
  const track = new EquityTrack(spec.startingEquity);
  let lastEquity = spec.startingEquity;
  let halted = false;
  let haltedAtBar: number | undefined;

  // Decided at bar i-1's close, executed from bar i's open.
  let pending = 0;
  let pendingShare = 1;
  let pendingReason: ExitReason = 'signal';
  let decisionBar = -1;
  let decisionEquity = 0;

  const cols: LevelColumns = { ts, stopAtr, targetAtr, swingLow, swingHigh };
  const rest = new RestingEntry();

  const quietAllowed = subIdx === undefined && !trailsAtr && spec.stop.kind !== 'trailing_pct' && spec.breakEven === undefined;
  // The entry columns the step acts on (a masked side reads as never set), and the signal exits it watches.
  const entryA = spec.allowLong ? signals.entry_long : spec.allowShort ? signals.entry_short : undefined;
  const entryB = spec.allowLong && spec.allowShort ? signals.entry_short : undefined;
  const exitAll = spec.signalExits ? signals.exit_all : undefined;
  const floor = maxDd > 0 ? 1 - maxDd : -Infinity;
  let nextFunding = -1; // the next bar >= i where funding settles (n when none), found lazily
  for (let i = 0; i < n; i++) {
    // Set when the quiet path marked bar i itself (a signal bar where nothing else happens): only its
    // decision is left, and its open and time, which no quiet loop streams, are never read.
    let marked = false;
    // Fast path, most bars: with nothing pending or resting and no stop that moves, a bar where no level
    // is touched, no signal the step acts on fires and no funding settles only marks equity. The stretch
    // up to the next such signal or settlement is found by a scan of that one column first, so the marking
    // loops below read only what they must: nothing but the cash while flat, the bar's range and close in a
    // position. The first eventful bar falls through to the full path below.
    if (pending === 0 && rest.side === 0 && quietAllowed && !halted) {
      const last = n - 1;
      if (acc.side === 0) {
        // No entry is decided before the warm-up bar, whatever the signals say. An account that cannot size
        // an entry at any price stays flat for good (its cash does not change while flat).
        const start = i > warmup ? i : warmup;
        const cash = acc.cash;
        const to = entryA === undefined || start >= last || cannotEnter(spec, cash) ? last : nextSet(entryA, entryB, start, last);
        track.markFlat(i, to, cash);
        if (equity !== undefined) equity.fill(cash, i, to);
        if (to > i) i = to;
      } else {
        const side = acc.side;
        let to = exitAll === undefined ? last : nextSet(exitAll, side > 0 ? signals.exit_long : signals.exit_short, i, last);
        if (funding !== undefined) {
          if (nextFunding < i) nextFunding = nextDefined(funding, i, n);
          if (nextFunding < to) to = nextFunding;
        }
        const stop = acc.stop, target = acc.target, liq = acc.liq;
        // Below lo or above hi a level fires (NaN levels never compare true).
        const lo = side > 0 ? (stop > liq ? stop : liq) : target === target ? target : -Infinity;
        const hi = side > 0 ? (target === target ? target : Infinity) : stop < liq ? stop : liq;
        const from = i;
        i = track.markHeld(i, to, exec, acc, lo, hi, floor);
        // The exit signal's own bar, when it settles no funding: its levels and mark are quiet work too.
        if (i === to && to < last && to !== nextFunding && track.markHeld(to, to + 1, exec, acc, lo, hi, floor) > to) marked = true;
        if (equity !== undefined) markedEquity(equity, from, marked ? i + 1 : i, exec, acc);
        if (inPosition !== undefined) inPosition.fill(1, from, marked ? i + 1 : i);
      }
    }
    let eq = marked ? track.prev : 0;
    if (!marked) {
      // The open is read only when something trades or a position is held: a flat bar costs no price reads.
      // 1. Funding on the position held at the bar's start.
      if (funding !== undefined && acc.side !== 0) {
        const rate = funding[i];
        if (rate === rate) acc.payFunding(open[i], rate);
      }
      // 2. Open fills: the signal exit first, then the entry.
      if (pending !== 0) {
        if ((pending & EXIT) !== 0 && acc.side !== 0) {
          acc.close(pendingShare, open[i] * (1 - acc.side * slip), spec.takerRate, i, ts[i], pendingReason);
        }
        if ((pending & (ENTER_LONG | ENTER_SHORT)) !== 0 && acc.side === 0) {
          const side = (pending & ENTER_LONG) !== 0 ? 1 : -1;
          if (spec.entry.limit) {
            rest.side = side;
            rest.price = close[decisionBar] * (1 - (side * spec.entry.offsetPct) / 100);
            rest.placedBar = i;
            rest.equity = decisionEquity;
            rest.decisionBar = decisionBar;
          } else {
            openPosition(acc, spec, cols, side, open[i] * (1 + side * slip), spec.takerRate, i, decisionEquity, decisionBar);
          }
        }
        pending = 0;
      }
      // 3. Intrabar: a resting limit entry, then the position's levels.
      // A limit fill inside the bar: only the stop is checked where the order of prices is unknown.
      let limitIntrabar = false;
      let fillSub = -1;
      if (rest.side !== 0 && acc.side === 0) {
        const fill = tryLimitFill(acc, spec, cols, rest, exec, i, subIdx, sub);
        limitIntrabar = fill !== FILL_NONE && fill !== FILL_AT_OPEN;
        if (limitIntrabar) fillSub = fill;
      }
      if (acc.side !== 0) {
        if (subIdx !== undefined && sub !== undefined && subIdx.end[i] > subIdx.start[i]) {
          let j = fillSub >= 0 ? fillSub : subIdx.start[i];
          for (const end = subIdx.end[i]; j < end; j++) {
            if (checkRange(acc, spec, sub.open[j], sub.high[j], sub.low[j], j === fillSub, i, ts)) break;
            // The fill sub-bar's extremes may predate the fill: they do not move stops.
            if (j !== fillSub) advanceStops(acc, spec, sub.high[j], sub.low[j]);
          }
        } else if (!checkRange(acc, spec, open[i], high[i], low[i], limitIntrabar, i, ts) && !limitIntrabar) {
          advanceStops(acc, spec, high[i], low[i]);
        }
      }
      // 4. Mark to the close (the last bar is measured after the end-of-data close below).
      eq = acc.side === 0 ? acc.cash : acc.equityAt(close[i]);
      if (equity !== undefined) equity[i] = eq;
      const peak = track.peak;
      if (i < n - 1) track.mark(i, eq);
      else lastEquity = eq;
      if (acc.side !== 0) {
        track.exposed++;
        if (inPosition !== undefined) inPosition[i] = 1;
        if (trailsAtr) {
          const a = stopAtr[i];
          if (a === a) acc.trailDist = spec.stop.atrMultiplier * a;
        }
      }
      if (!(eq > peak) && maxDd > 0 && !halted && eq < peak * floor) {
        halted = true;
        haltedAtBar = i;
        rest.side = 0;
      }
    }
    // 5. Decide at the close for the next bar's open.
    if (i + 1 < n) {
      if (halted) {
        pending = acc.side !== 0 ? EXIT : 0;
        pendingShare = 1;
        pendingReason = 'max_drawdown';
      } else {
        if (rest.side !== 0 && spec.signalExits && (signals.exit_all[i] === 1 || (rest.side > 0 ? signals.exit_long[i] : signals.exit_short[i]) === 1)) {
          rest.side = 0; // an exit signal cancels a resting entry
        }
        let code = decide(signals, exitPercent, i, acc.side, rest.side !== 0, policy);
        if (i < warmup) code &= EXIT;
        pending = code;
        if ((code & EXIT) !== 0) {
          pendingShare = wholeExits ? 1 : exitShare(signals, exitPercent, i, acc.side);
          pendingReason = 'signal';
        }
      }
      decisionBar = i;
      decisionEquity = eq;
    }
  }
  if (acc.side !== 0 && n > 0) {
    acc.close(1, close[n - 1] * (1 - acc.side * slip), spec.takerRate, n - 1, ts[n - 1], 'end_of_data');
    lastEquity = acc.cash;
    if (equity !== undefined) equity[n - 1] = acc.cash;
  }
  if (n > 0) track.mark(n - 1, lastEquity);
  return {
    result: {
      trades: acc.trades,
      startingEquity: spec.startingEquity,
      finalEquity: lastEquity,
      totalFees: acc.totalFees,
      totalFunding: acc.totalFunding,
      haltedAtBar,
    },
    stats: track,
    equity,
    inPosition,
  };
}

/**
 * A resting limit entry at bar i (docs/engine.md §3). Returns FILL_NONE, FILL_AT_OPEN (IOC/FOK at the
 * open: the whole bar follows the fill), FILL_INTRABAR, or the sub-bar index the fill happened in.
 */
function tryLimitFill(
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
interface LevelColumns {
  ts: Float64Array;
  stopAtr: Float64Array;
  targetAtr: Float64Array;
  swingLow: Float64Array;
  swingHigh: Float64Array;
}

/** A limit entry waiting on the book. */
class RestingEntry {
  side = 0;
  price = 0;
  placedBar = 0;
  equity = 0;
  decisionBar = 0;
}

/** Opens a position at `price` with levels from the decision bar's values; false when it cannot be sized. */
function openPosition(
  acc: Account, spec: ExecutionSpec, cols: LevelColumns, side: number, price: number, feeRate: number,
  i: number, equity: number, atBar: number,
): boolean {
  const atrS = cols.stopAtr.length ? cols.stopAtr[atBar] : NaN;
  const swingCol = side > 0 ? cols.swingLow : cols.swingHigh;
  const sd = stopDistance(spec, side, price, atrS, swingCol.length ? swingCol[atBar] : NaN);
  if (spec.stop.kind !== 'none' && !(sd > 0)) return false; // a stop the play asks for cannot be set yet
  const notional = entryNotional(spec, equity, price, sd);
  if (notional === 0) return false;
  acc.open(side, price, notional, spec.leverage, feeRate, i, cols.ts[i], equity);
  if (sd > 0) {
    acc.stop = price - side * sd;
    if (spec.stop.kind === 'trailing_pct') acc.trailDist = sd;
    else if (spec.stop.kind === 'trailing_atr') {
      // The trail follows the ATR of the last closed bar (for a market fill, the signal bar's).
      const last = i > 0 ? cols.stopAtr[i - 1] : NaN;
      acc.trailDist = last === last ? spec.stop.atrMultiplier * last : sd;
    }
  }
  const td = targetDistance(spec, price, cols.targetAtr.length ? cols.targetAtr[atBar] : NaN, sd);
  if (td > 0) acc.target = price + side * td;
  acc.liq = liquidationPrice(side, price, spec.leverage, spec.maintenanceMarginRate);
  return true;
}

/**
 * True when no entry can be sized from `cash` at any price: percent_equity and fixed_usdt notionals do not
 * depend on the fill price, so an order below the minimum now is below it at every later bar while flat.
 */
function cannotEnter(spec: ExecutionSpec, cash: number): boolean {
  return spec.sizing.model !== 'risk_based' && entryNotional(spec, cash, NaN, NaN) === 0;
}

/** First index in [from, to) where `a` (or `b`) is set, else `to`: the end of a quiet stretch. */
function nextSet(a: Uint8Array, b: Uint8Array | undefined, from: number, to: number): number {
  let i = from;
  if (b === undefined) while (i < to && a[i] === 0) i++;
  else while (i < to && (a[i] | b[i]) === 0) i++;
  return i;
}

/** First index >= from where `col` holds a number (a funding settlement), else `n`. */
function nextDefined(col: Float64Array, from: number, n: number): number {
  let i = from;
  while (i < n && !(col[i] === col[i])) i++;
  return i;
}
