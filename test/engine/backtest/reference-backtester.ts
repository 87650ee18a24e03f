// A deliberately simple, slow, readable backtester written ONLY from docs/engine.md, as an independent
// reference for the engine (src/engine/backtest). It shares no code with src/engine: types only.
//
// One function per section of the document. Plain objects and numbers; no typed-array tricks, no caching.
// Where the document leaves a choice open, the reading taken here is written next to the code as
// "READING:" so a disagreement with the engine can be judged against the text.
import type { Candles } from '../../../src/data/index.ts';
import type { ExecutionSpec } from '../../../src/engine/backtest/spec.ts';
import type { ExitReason, StrategyInput, Trade } from '../../../src/engine/backtest/types.ts';

export interface ReferenceOptions {
  /** Funding rate settled within each exec bar's span (NaN or undefined where none). */
  funding?: ArrayLike<number>;
  /** Finer candles of the same market, replayed inside each exec bar. */
  subCandles?: Candles;
}

export interface ReferenceResult {
  trades: Trade[];
  equity: number[];
  inPosition: number[];
  startingEquity: number;
  finalEquity: number;
  totalFees: number;
  totalFunding: number;
  haltedAtBar?: number;
}

type Side = 'long' | 'short';
type StopSource = 'stop_loss' | 'trailing_stop' | 'break_even';

interface Position {
  side: Side;
  dir: 1 | -1;
  entryBar: number;
  entryTs: number;
  entryPrice: number;
  /** Bar whose close the entry was decided at (ATR, swing values are read there). */
  signalBar: number;
  equityAtEntry: number;
  initialQuantity: number;
  quantity: number;
  notional: number;
  margin: number;
  fees: number;
  /** Funding received by this position (negative when paid): its contribution to the PnL. */
  funding: number;
  /** Realised price PnL of the parts closed so far (before fees and funding). */
  realised: number;
  exitQuantity: number;
  exitValue: number;
  stop: number; // NaN = none
  stopSource: StopSource;
  target: number; // NaN = none
  liquidation: number;
  best: number;
}

interface LimitOrder {
  side: Side;
  price: number;
  signalBar: number;
  equity: number;
  barsWaited: number;
}

interface PendingEntry {
  side: Side;
  signalBar: number;
  equity: number;
}

interface PendingExit {
  percent: number;
  reason: ExitReason;
}

interface State {
  cash: number;
  position: Position | null;
  limit: LimitOrder | null;
  pendingExit: PendingExit | null;
  pendingEntry: PendingEntry | null;
  trades: Trade[];
  equity: number[];
  inPosition: number[];
  peak: number;
  halted: boolean;
  haltedAtBar?: number;
  totalFees: number;
  totalFunding: number;
}

interface Bar {
  open: number;
  high: number;
  low: number;
}

export function referenceBacktest(s: StrategyInput, spec: ExecutionSpec, opts: ReferenceOptions = {}): ReferenceResult {
  const st: State = {
    cash: spec.startingEquity,
    position: null,
    limit: null,
    pendingExit: null,
    pendingEntry: null,
    trades: [],
    equity: [],
    inPosition: [],
    peak: spec.startingEquity,
    halted: false,
    totalFees: 0,
    totalFunding: 0,
  };
  const subBars = groupSubBars(s, opts.subCandles);
  for (let i = 0; i < s.n; i++) {
    chargeFunding(st, s, i, opts.funding); // §1.1, §7
    fillOrdersAtOpen(st, s, spec, i); // §1.2, §3
    runIntrabar(st, s, spec, i, subBars[i]); // §1.3, §3 limits, §5, §6
    markToClose(st, s, spec, i); // §1.4, §2 max drawdown
    if (i < s.n - 1) decide(st, s, spec, i); // §1.5, §2 — the last bar's decisions never execute
  }
  closeAtEndOfData(st, s, spec); // §1 last paragraph
  return {
    trades: st.trades,
    equity: st.equity,
    inPosition: st.inPosition,
    startingEquity: spec.startingEquity,
    finalEquity: st.cash,
    totalFees: st.totalFees,
    totalFunding: st.totalFunding,
    ...(st.haltedAtBar !== undefined ? { haltedAtBar: st.haltedAtBar } : {}),
  };
}

// ---------------------------------------------------------------------------------------------------
// §7 Funding: on the position held at the start of bar i (before the open fills), at open[i].
function chargeFunding(st: State, s: StrategyInput, i: number, funding: ArrayLike<number> | undefined): void {
  const p = st.position;
  if (!p || !funding) return;
  const rate = funding[i];
  if (rate === undefined || !Number.isFinite(rate)) return;
  // A long pays quantity × open × rate; a short receives it (a negative rate reverses both).
  const paid = p.dir * p.quantity * s.exec.open[i] * rate;
  p.funding -= paid;
  st.cash -= paid;
  st.totalFunding -= paid;
}

// ---------------------------------------------------------------------------------------------------
// §1.2 Open fills: the signal exit first, then the entry (a flip happens at one price).
function fillOrdersAtOpen(st: State, s: StrategyInput, spec: ExecutionSpec, i: number): void {
  const open = s.exec.open[i];
  const exit = st.pendingExit;
  st.pendingExit = null;
  if (exit && st.position) {
    const p = st.position;
    const q = exit.percent >= 100 ? p.quantity : (p.quantity * exit.percent) / 100;
    closePart(st, s, p, q, withSlippage(open, p.side, 'exit', spec), spec.takerRate, i, exit.reason);
  }
  const entry = st.pendingEntry;
  st.pendingEntry = null;
  if (entry && !st.position) {
    const price = withSlippage(open, entry.side, 'entry', spec);
    openPosition(st, s, spec, entry.side, price, spec.takerRate, i, entry.signalBar, entry.equity);
  }
}

/** §3 MARKET: a long buys at open × (1 + s), a short sells at open × (1 − s); exits mirror it. */
function withSlippage(price: number, side: Side, what: 'entry' | 'exit', spec: ExecutionSpec): number {
  const buying = (side === 'long') === (what === 'entry');
  return buying ? price * (1 + spec.slippage) : price * (1 - spec.slippage);
}

// ---------------------------------------------------------------------------------------------------
// §4 Size, leverage, margin.
function entryNotional(spec: ExecutionSpec, equity: number, price: number, stopDistance: number): number {
  const L = spec.leverage;
  const v = spec.sizing.value;
  if (spec.sizing.model === 'percent_equity') return ((equity * v) / 100) * L;
  if (spec.sizing.model === 'fixed_usdt') return Math.min(v * L, equity * L);
  // risk_based: quantity = E × v/100 / |P − SL|, capped at notional E × L.
  // READING: without a stop there is no risk to size by, so no order (notional 0).
  if (!(stopDistance > 0)) return 0;
  const quantity = (equity * v) / 100 / stopDistance;
  return Math.min(quantity * price, equity * L);
}

function openPosition(st: State, s: StrategyInput, spec: ExecutionSpec, side: Side, price: number, feeRate: number, bar: number, signalBar: number, equity: number): void {
  const dir = side === 'long' ? 1 : -1;
  const stop = initialStop(s, spec, side, price, signalBar);
  const notional = entryNotional(spec, equity, price, stop.distance);
  // §3: orders below the minimum notional are not placed. READING: judged at the fill with the fill's
  // notional (the same number as at the decision for percent_equity and fixed_usdt, which do not depend on P).
  if (!(notional > 0) || notional < spec.minNotional) return;
  const quantity = notional / price;
  const fee = notional * feeRate;
  st.cash -= fee;
  st.totalFees += fee;
  const L = spec.leverage;
  const m = spec.maintenanceMarginRate;
  st.position = {
    side,
    dir,
    entryBar: bar,
    entryTs: s.exec.ts[bar],
    entryPrice: price,
    signalBar,
    equityAtEntry: equity,
    initialQuantity: quantity,
    quantity,
    notional,
    margin: notional / L,
    fees: fee,
    funding: 0,
    realised: 0,
    exitQuantity: 0,
    exitValue: 0,
    stop: Number.isFinite(stop.distance) ? price - dir * stop.distance : NaN,
    // CONVENTION (exit reasons are not defined by the document): a trailing stop that never moved
    // exits as 'stop_loss'; once the trail has moved it, as 'trailing_stop'.
    stopSource: 'stop_loss',
    target: initialTarget(s, spec, price, dir, stop.distance, signalBar),
    // §6: long liquidated at P × (1 − 1/L + m), short at P × (1 + 1/L − m).
    liquidation: side === 'long' ? price * (1 - 1 / L + m) : price * (1 + 1 / L - m),
    best: price,
  };
}

// ---------------------------------------------------------------------------------------------------
// §5 Initial stop and target distances, set at the fill price P with values of the signal bar's close.
function roiDistance(price: number, pct: number, spec: ExecutionSpec): number {
  return (price * pct) / 100 / spec.leverage;
}

function initialStop(s: StrategyInput, spec: ExecutionSpec, side: Side, price: number, signalBar: number): { distance: number; trailing: boolean } {
  const st = spec.stop;
  switch (st.kind) {
    case 'none':
      return { distance: NaN, trailing: false };
    case 'percent':
      return { distance: roiDistance(price, st.value, spec), trailing: false };
    case 'atr_multiple':
      return { distance: st.value * columnAt(s, st.atrRef, signalBar), trailing: false };
    case 'fixed_points':
      return { distance: st.value, trailing: false };
    case 'structure': {
      // Last confirmed swing low (long) / high (short), pushed out by buffer_pct% of price.
      // READING (the engine's; "of price" could also mean of P): buffer_pct% of the swing level itself.
      // Falls back to `value` as ROI % when the swing is unknown or the buffered level is not on the
      // loss side of P.
      const key = st.swingKey ?? '';
      const swing = columnAt(s, `${key}.${side === 'long' ? 'low_level' : 'high_level'}`, signalBar);
      const buffer = (swing * st.bufferPct) / 100;
      const level = side === 'long' ? swing - buffer : swing + buffer;
      const distance = side === 'long' ? price - level : level - price;
      if (Number.isFinite(distance) && distance > 0) return { distance, trailing: false };
      return { distance: roiDistance(price, st.value, spec), trailing: false };
    }
    case 'trailing_pct':
      return { distance: (price * st.trailPct) / 100, trailing: true };
    case 'trailing_atr':
      return { distance: st.atrMultiplier * columnAt(s, st.atrRef, signalBar), trailing: true };
  }
}

function initialTarget(s: StrategyInput, spec: ExecutionSpec, price: number, dir: 1 | -1, stopDistance: number, signalBar: number): number {
  const t = spec.target;
  let distance: number;
  switch (t.kind) {
    case 'none':
      return NaN;
    case 'percent':
      distance = roiDistance(price, t.value, spec);
      break;
    case 'rr_ratio':
      distance = t.value * stopDistance;
      break;
    case 'atr_multiple':
      distance = t.value * columnAt(s, t.atrRef, signalBar);
      break;
    case 'fixed_points':
      distance = t.value;
      break;
  }
  return Number.isFinite(distance) ? price + dir * distance : NaN;
}

function columnAt(s: StrategyInput, ref: string | undefined, bar: number): number {
  if (ref === undefined) return NaN;
  return s.column(ref)[bar];
}

// ---------------------------------------------------------------------------------------------------
// §1.3 Intrabar: position levels, then resting limit entries. Replayed on sub-bars when given (§5).
function runIntrabar(st: State, s: StrategyInput, spec: ExecutionSpec, i: number, subs: Bar[] | undefined): void {
  const path: Bar[] = subs && subs.length > 0 ? subs : [{ open: s.exec.open[i], high: s.exec.high[i], low: s.exec.low[i] }];
  if (st.position) {
    for (const b of path) {
      if (!st.position) break;
      checkLevels(st, s, spec, i, b, false);
    }
    return;
  }
  if (st.limit) runLimitOrder(st, s, spec, i, path);
}

/** §3 LIMIT entries on one bar: first-bar rules for IOC/FOK/PostOnly, then a resting fill, then expiry. */
function runLimitOrder(st: State, s: StrategyInput, spec: ExecutionSpec, i: number, path: Bar[]): void {
  const o = st.limit;
  if (!o) return;
  const firstBar = o.barsWaited === 0;
  o.barsWaited += 1;
  const open = s.exec.open[i];
  const openThrough = o.side === 'long' ? open <= o.price : open >= o.price;
  const tif = spec.entry.tif;
  if (tif === 'IOC' || tif === 'FOK') {
    st.limit = null;
    // READING: fills at the open itself (no slippage is named), taker fee; the position then lives
    // through the whole bar like a market fill at the open.
    if (firstBar && openThrough) {
      openPosition(st, s, spec, o.side, open, spec.takerRate, i, o.signalBar, o.equity);
      for (const b of path) {
        if (!st.position) break;
        checkLevels(st, s, spec, i, b, false);
      }
    }
    return;
  }
  if (tif === 'PostOnly' && firstBar && openThrough) {
    st.limit = null;
    return;
  }
  // GTC / PostOnly resting: a long fills when low ≤ limit, at the limit, maker fee, no slippage.
  for (let k = 0; k < path.length; k++) {
    const b = path[k];
    const touched = o.side === 'long' ? b.low <= o.price : b.high >= o.price;
    if (!touched) continue;
    st.limit = null;
    openPosition(st, s, spec, o.side, o.price, spec.makerRate, i, o.signalBar, o.equity);
    if (!st.position) return;
    // Fill (sub-)bar: only the adverse side is checked (order inside the bar unknown: worse case).
    checkLevels(st, s, spec, i, b, true);
    for (let j = k + 1; j < path.length; j++) {
      if (!st.position) break;
      checkLevels(st, s, spec, i, path[j], false);
    }
    return;
  }
  // expire_after_bars N > 0: cancelled when still unfilled after N bars.
  if (spec.entry.expireAfterBars > 0 && o.barsWaited >= spec.entry.expireAfterBars) st.limit = null;
}

/**
 * §5/§6 on one bar or sub-bar: liquidation, stop, target, then trailing and break-even moves.
 * READING: the open is the first price of the bar, so a level the open already gapped through is hit
 * at the open before anything else; otherwise a bar that touches both the loss side and the target
 * counts as the loss side. The open can be beyond both only when a trailing/break-even stop has moved
 * past the target (possible after a limit fill bar, where targets are not checked); then the target is
 * taken (READING, the engine's): it is the worse outcome (a Limit target's own price rather than the
 * open), the document's tie rule.
 * `fillBar`: the position filled inside this bar (limit entry): only the loss side is checked. READING
 * (the engine's, "the worse case is assumed"): a stop the (sub-)bar's open was already beyond fills at
 * that open even though the limit filled at its own better price — e.g. a long limit at 99 on a bar
 * opening at 96 with its stop at 97.02 is stopped at 96.
 */
function checkLevels(st: State, s: StrategyInput, spec: ExecutionSpec, i: number, b: Bar, fillBar: boolean): void {
  const p = st.position;
  if (!p) return;
  const adverse = adverseLevel(p);
  const beyond = (price: number, level: number): boolean => (p.dir === 1 ? price <= level : price >= level);
  const reached = (price: number, level: number): boolean => (p.dir === 1 ? price >= level : price <= level);
  const worst = p.dir === 1 ? b.low : b.high;
  const bestOfBar = p.dir === 1 ? b.high : b.low;

  const targetSet = Number.isFinite(p.target);
  if (!fillBar && targetSet && reached(b.open, p.target)) return hitTarget(st, s, spec, i, p, b.open);
  if (beyond(b.open, adverse.level)) return hitAdverse(st, s, spec, i, p, adverse.kind, b.open);
  if (beyond(worst, adverse.level)) return hitAdverse(st, s, spec, i, p, adverse.kind, adverse.level);
  if (!fillBar && targetSet && reached(bestOfBar, p.target)) return hitTarget(st, s, spec, i, p, p.target);
  // §3: on a limit entry's fill (sub-)bar the levels do not move (its extreme may predate the fill).
  if (!fillBar) moveStops(s, spec, i, p, bestOfBar);
}

/** §6: the liquidation is checked before the stop when it lies closer (the stop beyond it or none). */
function adverseLevel(p: Position): { kind: 'liquidation' | 'stop'; level: number } {
  if (!Number.isFinite(p.stop)) return { kind: 'liquidation', level: p.liquidation };
  const stopFirst = p.dir === 1 ? p.stop >= p.liquidation : p.stop <= p.liquidation;
  return stopFirst ? { kind: 'stop', level: p.stop } : { kind: 'liquidation', level: p.liquidation };
}

function hitAdverse(st: State, s: StrategyInput, spec: ExecutionSpec, i: number, p: Position, kind: 'liquidation' | 'stop', price: number): void {
  if (kind === 'liquidation') return liquidate(st, s, i, p, spec.leverage);
  // Stop fills pay slippage and taker fee; §6: a stop fill at or beyond the liquidation price is a liquidation.
  const fill = withSlippage(price, p.side, 'exit', spec);
  if (p.dir === 1 ? fill <= p.liquidation : fill >= p.liquidation) return liquidate(st, s, i, p, spec.leverage);
  closePart(st, s, p, p.quantity, fill, spec.takerRate, i, p.stopSource);
}

function hitTarget(st: State, s: StrategyInput, spec: ExecutionSpec, i: number, p: Position, price: number): void {
  // Limit targets fill at their own price, maker fee, no slippage; Market ones at `price` with slippage.
  if (spec.target.limitOrder) closePart(st, s, p, p.quantity, p.target, spec.makerRate, i, 'take_profit');
  else closePart(st, s, p, p.quantity, withSlippage(price, p.side, 'exit', spec), spec.takerRate, i, 'take_profit');
}

/** §6: the whole isolated margin of the remaining quantity is lost, no exit fee; exit price = liquidation price. */
function liquidate(st: State, s: StrategyInput, i: number, p: Position, leverage: number): void {
  const lostMargin = p.quantity * p.entryPrice / leverage;
  p.realised -= lostMargin;
  st.cash -= lostMargin;
  p.exitQuantity += p.quantity;
  p.exitValue += p.quantity * p.liquidation;
  p.quantity = 0;
  finishTrade(st, s, p, i, 'liquidation');
}

/**
 * §5 trailing and break-even, moved with the (sub-)bar's favourable extreme after its stop check.
 * Trailing: `trail` behind the best price since entry, only in the position's favour, once the best
 * price is activation_pct% beyond P. READING (the engine's): trailing_pct keeps the distance set at
 * the fill, trail_pct% of P ("distances are set at the entry fill price P"), not a share of the best
 * price; trailing_atr uses the ATR of the last exec bar closed before this bar (i − 1).
 * Break-even: once best is activation_pct% beyond P, stop -> P × (1 ± offset/100) if tighter.
 */
function moveStops(s: StrategyInput, spec: ExecutionSpec, i: number, p: Position, extreme: number): void {
  const dir = p.dir;
  if (dir * (extreme - p.best) > 0) p.best = extreme;
  const beyondBy = (pct: number): boolean => dir * (p.best - p.entryPrice) >= (p.entryPrice * pct) / 100;
  const tighter = (level: number): boolean => Number.isFinite(level) && (!Number.isFinite(p.stop) || dir * (level - p.stop) > 0);
  const k = spec.stop.kind;
  if ((k === 'trailing_pct' || k === 'trailing_atr') && beyondBy(spec.stop.activationPct)) {
    const distance = k === 'trailing_pct' ? (p.entryPrice * spec.stop.trailPct) / 100 : spec.stop.atrMultiplier * columnAt(s, spec.stop.atrRef, i - 1);
    const level = p.best - dir * distance;
    if (tighter(level)) {
      p.stop = level;
      p.stopSource = 'trailing_stop';
    }
  }
  const be = spec.breakEven;
  if (be && beyondBy(be.activationPct)) {
    const level = p.entryPrice * (1 + (dir * be.offsetPct) / 100);
    if (tighter(level)) {
      p.stop = level;
      p.stopSource = 'break_even';
    }
  }
}

// ---------------------------------------------------------------------------------------------------
// Closing a share of the position; the trade is written when nothing is left.
function closePart(st: State, s: StrategyInput, p: Position, quantity: number, price: number, feeRate: number, i: number, reason: ExitReason): void {
  const q = Math.min(quantity, p.quantity);
  const closesAll = q >= p.quantity;
  const gross = p.dir * q * (price - p.entryPrice);
  const fee = q * price * feeRate;
  p.realised += gross;
  p.fees += fee;
  st.cash += gross - fee;
  st.totalFees += fee;
  p.exitQuantity += q;
  p.exitValue += q * price;
  p.quantity = closesAll ? 0 : p.quantity - q;
  if (closesAll) finishTrade(st, s, p, i, reason);
}

function finishTrade(st: State, s: StrategyInput, p: Position, i: number, reason: ExitReason): void {
  const pnl = p.realised - p.fees + p.funding;
  st.trades.push({
    side: p.side,
    entryBar: p.entryBar,
    entryTs: p.entryTs,
    entryPrice: p.entryPrice,
    exitBar: i,
    exitTs: s.exec.ts[i],
    exitPrice: p.exitValue / p.exitQuantity,
    quantity: p.initialQuantity,
    notional: p.notional,
    margin: p.margin,
    fees: p.fees,
    funding: p.funding,
    pnl,
    // CONVENTION (not in the document; the Trade comment says "pnl / equity at entry"): in percent.
    returnPct: (100 * pnl) / p.equityAtEntry,
    exitReason: reason,
    barsHeld: i - p.entryBar,
  });
  st.position = null;
}

// ---------------------------------------------------------------------------------------------------
// §1.4 Mark at the close; §2 the max-drawdown halt is judged on these marks.
function markToClose(st: State, s: StrategyInput, spec: ExecutionSpec, i: number): void {
  const p = st.position;
  const unrealised = p ? p.dir * p.quantity * (s.exec.close[i] - p.entryPrice) : 0;
  const equity = st.cash + unrealised;
  st.equity.push(equity);
  st.inPosition.push(p ? 1 : 0);
  if (equity > st.peak) st.peak = equity;
  if (!st.halted && equity < st.peak * (1 - spec.maxDrawdownPct / 100)) {
    st.halted = true;
    st.haltedAtBar = i;
  }
}

// ---------------------------------------------------------------------------------------------------
// §2 The step at the close of bar i: signals to orders for bar i + 1.
function decide(st: State, s: StrategyInput, spec: ExecutionSpec, i: number): void {
  const sig = s.signals;
  const equity = st.equity[i];
  const p = st.position;
  if (st.halted) {
    st.limit = null;
    if (p) st.pendingExit = { percent: 100, reason: 'max_drawdown' };
    return;
  }
  // Exits (ignored with sl_tp_only). READING (the engine's): when exit_all fires together with
  // exit_long/exit_short, exit_all's percent is the one used.
  let closing = false;
  if (spec.signalExits) {
    const sideFlag = (side: Side): boolean => (side === 'long' ? sig.exit_long[i] === 1 : sig.exit_short[i] === 1);
    const percentFor = (side: Side): number => {
      if (sig.exit_all[i] === 1) return s.exitPercent.exit_all[i];
      if (sideFlag(side)) return side === 'long' ? s.exitPercent.exit_long[i] : s.exitPercent.exit_short[i];
      return 0;
    };
    if (p) {
      const pct = percentFor(p.side);
      if (pct > 0) {
        st.pendingExit = { percent: pct, reason: 'signal' };
        closing = pct >= 100;
      }
    }
    // READING: an exit signal for its side cancels a resting limit entry before this step's entries.
    if (st.limit && (sideFlag(st.limit.side) || sig.exit_all[i] === 1)) st.limit = null;
  }
  // Entries: only when flat after this step's exits, never while a limit rests, not before warm-up.
  const flatAfter = !p || closing;
  if (!flatAfter || st.limit || i < s.warmupBars) return;
  // READING: position mode masks first, then "both fire -> neither".
  const long = spec.allowLong && sig.entry_long[i] === 1;
  const short = spec.allowShort && sig.entry_short[i] === 1;
  if (long === short) return;
  const side: Side = long ? 'long' : 'short';
  if (!spec.entry.limit) {
    st.pendingEntry = { side, signalBar: i, equity };
    return;
  }
  const off = spec.entry.offsetPct / 100;
  const price = side === 'long' ? s.exec.close[i] * (1 - off) : s.exec.close[i] * (1 + off);
  st.limit = { side, price, signalBar: i, equity, barsWaited: 0 };
}

// ---------------------------------------------------------------------------------------------------
// §1 end: a position still open is closed at the last close with taker fee and slippage.
function closeAtEndOfData(st: State, s: StrategyInput, spec: ExecutionSpec): void {
  const p = st.position;
  if (!p) return;
  const last = s.n - 1;
  closePart(st, s, p, p.quantity, withSlippage(s.exec.close[last], p.side, 'exit', spec), spec.takerRate, last, 'end_of_data');
  // READING (the engine's; §1.4 alone would leave the plain mark here): the curve's last point is the
  // equity after this close, so the curve ends at the final equity (inPosition still says 1).
  st.equity[last] = st.cash;
}

// ---------------------------------------------------------------------------------------------------
// §5 finer candles: the sub-bars whose open time lies in [ts[i], ts[i] + bar length), in time order.
// READING: the exec bar length is the smallest step of the exec time line (the sub-bar length likewise);
// bars without complete sub-bars are judged on their own range.
function groupSubBars(s: StrategyInput, sub: Candles | undefined): (Bar[] | undefined)[] {
  const out: (Bar[] | undefined)[] = new Array(s.n).fill(undefined);
  if (!sub || s.n < 2) return out;
  let barMs = Infinity;
  for (let i = 1; i < s.n; i++) barMs = Math.min(barMs, s.exec.ts[i] - s.exec.ts[i - 1]);
  let subMs = Infinity;
  for (let k = 1; k < sub.length; k++) if (sub.ts[k] > sub.ts[k - 1]) subMs = Math.min(subMs, sub.ts[k] - sub.ts[k - 1]);
  let j = 0;
  for (let i = 0; i < s.n; i++) {
    const start = s.exec.ts[i];
    const end = start + barMs;
    while (j < sub.length && sub.ts[j] < start) j++;
    const bars: Bar[] = [];
    for (let k = j; k < sub.length && sub.ts[k] < end; k++) bars.push({ open: sub.open[k], high: sub.high[k], low: sub.low[k] });
    // §5: only a bar its finer candles cover completely is replayed on them.
    if (bars.length > 0 && bars.length >= Math.round(barMs / subMs)) out[i] = bars;
  }
  return out;
}
