// The open position and the account cash, with the fills that change them (docs/engine.md §3-7).
import * as T from './trade-log.ts';
import type { ExitReason, Trade } from './types.ts';

export class Account {
  cash: number;
  totalFees = 0;
  totalFunding = 0;
  /** Closed trades, as columns or only as sums (see TradeLog). */
  readonly log: T.TradeLog;

  // The open position (side 0 = flat).
  side = 0;
  qty = 0;
  entryPrice = 0;
  entryBar = 0;
  entryTs = 0;
  entryEquity = 0;
  notional = 0;
  margin = 0;
  leverage = 1;
  stop = NaN;
  target = NaN;
  liq = NaN;
  /** Best price since entry (highest for a long, lowest for a short), for trailing and break-even. */
  best = 0;
  trailDist = NaN;
  stopReason: ExitReason = 'stop_loss';
  // Per-trade running totals.
  fees = 0;
  funding = 0;
  realized = 0;
  exitQty = 0;
  exitValue = 0;

  /** `keepTrades` false: only the trades' sums are kept (a measured run). */
  constructor(startingEquity: number, keepTrades = true) {
    this.cash = startingEquity;
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
