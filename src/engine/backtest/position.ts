// The open position and the account cash, with the fills that change them (docs/engine.md §3-7).
import * as T from './trade-log.ts';
import type { ExitReason, Trade } from './types.ts';

// Slots of Account's number state (see the class comment); the fused loops read and write them directly.
export const CASH = 0;
export const TOTAL_FEES = 1;
export const TOTAL_FUNDING = 2;
export const QTY = 3;
export const ENTRY_PRICE = 4;
export const ENTRY_TS = 5;
export const ENTRY_EQUITY = 6;
export const NOTIONAL = 7;
export const MARGIN = 8;
export const LEVERAGE = 9;
export const STOP = 10;
export const TARGET = 11;
export const LIQ = 12;
export const BEST = 13;
export const TRAIL_DIST = 14;
export const FEES = 15;
export const FUNDING = 16;
export const REALIZED = 17;
export const EXIT_QTY = 18;
export const EXIT_VALUE = 19;
const SLOTS = 20;

/**
 * The number state lives in one Float64Array behind accessors, not in fields: V8 keeps a fractional number
 * field in a heap box, and the ~14 such stores per trade allocated ~230 bytes of garbage per trade (8 MB per
 * backtest of the always-in EMA cross over 1M bars, a young-generation collection every other run).
 */
export class Account {
  /**
   * The number state by slot. Code that runs many times per backtest indexes it directly: an accessor that
   * V8 does not inline (a large caller runs out of inlining budget) is a call that boxes its number.
   */
  readonly v = new Float64Array(SLOTS);
  /** Closed trades, as columns or only as sums (see TradeLog). */
  readonly log: T.TradeLog;

  // The open position (side 0 = flat); side and entry bar are small integers (no boxes).
  side = 0;
  entryBar = 0;
  stopReason: ExitReason = 'stop_loss';

  get cash(): number {
    return this.v[CASH];
  }
  set cash(x: number) {
    this.v[CASH] = x;
  }

  get totalFees(): number {
    return this.v[TOTAL_FEES];
  }
  set totalFees(x: number) {
    this.v[TOTAL_FEES] = x;
  }

  get totalFunding(): number {
    return this.v[TOTAL_FUNDING];
  }
  set totalFunding(x: number) {
    this.v[TOTAL_FUNDING] = x;
  }

  get qty(): number {
    return this.v[QTY];
  }
  set qty(x: number) {
    this.v[QTY] = x;
  }

  get entryPrice(): number {
    return this.v[ENTRY_PRICE];
  }
  set entryPrice(x: number) {
    this.v[ENTRY_PRICE] = x;
  }

  get entryTs(): number {
    return this.v[ENTRY_TS];
  }
  set entryTs(x: number) {
    this.v[ENTRY_TS] = x;
  }

  get entryEquity(): number {
    return this.v[ENTRY_EQUITY];
  }
  set entryEquity(x: number) {
    this.v[ENTRY_EQUITY] = x;
  }

  get notional(): number {
    return this.v[NOTIONAL];
  }
  set notional(x: number) {
    this.v[NOTIONAL] = x;
  }

  get margin(): number {
    return this.v[MARGIN];
  }
  set margin(x: number) {
    this.v[MARGIN] = x;
  }

  get leverage(): number {
    return this.v[LEVERAGE];
  }
  set leverage(x: number) {
    this.v[LEVERAGE] = x;
  }

  get stop(): number {
    return this.v[STOP];
  }
  set stop(x: number) {
    this.v[STOP] = x;
  }

  get target(): number {
    return this.v[TARGET];
  }
  set target(x: number) {
    this.v[TARGET] = x;
  }

  get liq(): number {
    return this.v[LIQ];
  }
  set liq(x: number) {
    this.v[LIQ] = x;
  }

  /** Best price since entry (highest for a long, lowest for a short), for trailing and break-even. */
  get best(): number {
    return this.v[BEST];
  }
  set best(x: number) {
    this.v[BEST] = x;
  }

  get trailDist(): number {
    return this.v[TRAIL_DIST];
  }
  set trailDist(x: number) {
    this.v[TRAIL_DIST] = x;
  }

  // Per-trade running totals.
  get fees(): number {
    return this.v[FEES];
  }
  set fees(x: number) {
    this.v[FEES] = x;
  }

  get funding(): number {
    return this.v[FUNDING];
  }
  set funding(x: number) {
    this.v[FUNDING] = x;
  }

  get realized(): number {
    return this.v[REALIZED];
  }
  set realized(x: number) {
    this.v[REALIZED] = x;
  }

  get exitQty(): number {
    return this.v[EXIT_QTY];
  }
  set exitQty(x: number) {
    this.v[EXIT_QTY] = x;
  }

  get exitValue(): number {
    return this.v[EXIT_VALUE];
  }
  set exitValue(x: number) {
    this.v[EXIT_VALUE] = x;
  }

  /** `keepTrades` false: only the trades' sums are kept (a measured run). */
  constructor(startingEquity: number, keepTrades = true) {
    const v = this.v;
    v[CASH] = startingEquity;
    v[LEVERAGE] = 1;
    v[STOP] = NaN;
    v[TARGET] = NaN;
    v[LIQ] = NaN;
    v[TRAIL_DIST] = NaN;
    this.log = new T.TradeLog(keepTrades);
  }

  equityAt(price: number): number {
    return this.side === 0 ? this.cash : this.cash + this.side * this.qty * (price - this.entryPrice);
  }

  open(side: number, price: number, notional: number, leverage: number, feeRate: number, bar: number, ts: number, equity: number): void {
    const fee = notional * feeRate;
    this.side = side;
    this.qty = notional / price;
    this.entryPrice = price;
    this.entryBar = bar;
    this.entryTs = ts;
    this.entryEquity = equity;
    this.notional = notional;
    this.leverage = leverage;
    this.margin = notional / leverage;
    this.best = price;
    this.stop = NaN;
    this.target = NaN;
    this.trailDist = NaN;
    this.stopReason = 'stop_loss';
    this.fees = fee;
    this.funding = 0;
    this.realized = 0;
    this.exitQty = 0;
    this.exitValue = 0;
    this.cash -= fee;
    this.totalFees += fee;
  }

  /** Funding on the held position: a long pays a positive rate, a short receives it. */
  payFunding(price: number, rate: number): void {
    const pay = this.side * this.qty * price * rate;
    this.cash -= pay;
    this.funding -= pay;
    this.totalFunding -= pay;
  }

  /** Closes `share` of the position at `price`; records the trade when nothing is left. */
  close(share: number, price: number, feeRate: number, bar: number, ts: number, reason: ExitReason): void {
    const q = share >= 1 ? this.qty : this.qty * share;
    const fee = q * price * feeRate;
    const pnl = this.side * q * (price - this.entryPrice);
    this.cash += pnl - fee;
    this.totalFees += fee;
    this.fees += fee;
    this.realized += pnl;
    this.exitQty += q;
    this.exitValue += q * price;
    if (share >= 1) this.record(bar, ts, reason);
    else {
      this.margin *= 1 - share;
      this.qty -= q;
    }
  }

  /** Liquidation: the remaining isolated margin is lost at the liquidation price. */
  liquidate(bar: number, ts: number): void {
    const loss = this.margin;
    this.cash -= loss;
    this.realized -= loss;
    this.exitQty += this.qty;
    this.exitValue += this.qty * this.liq;
    this.record(bar, ts, 'liquidation');
  }

  /** The closed trades as objects (built when first read; throws for an account that keeps only sums). */
  get trades(): Trade[] {
    return this.log.toTrades();
  }

  private record(bar: number, ts: number, reason: ExitReason): void {
    const pnl = this.realized - this.fees + this.funding;
    const quantity = this.exitQty;
    const log = this.log;
    const k = log.row();
    const c = log.cols;
    c[T.ENTRY_BAR][k] = this.entryBar;
    c[T.ENTRY_TS][k] = this.entryTs;
    c[T.ENTRY_PRICE][k] = this.entryPrice;
    c[T.EXIT_BAR][k] = bar;
    c[T.EXIT_TS][k] = ts;
    c[T.EXIT_PRICE][k] = quantity > 0 ? this.exitValue / quantity : this.entryPrice;
    c[T.QUANTITY][k] = this.notional / this.entryPrice;
    c[T.NOTIONAL][k] = this.notional;
    c[T.MARGIN][k] = this.notional / this.leverage;
    c[T.FEES][k] = this.fees;
    c[T.FUNDING][k] = this.funding;
    c[T.PNL][k] = pnl;
    c[T.RETURN_PCT][k] = (pnl / this.entryEquity) * 100;
    log.commit(k, this.side, reason);
    this.side = 0;
    this.qty = 0;
  }
}
