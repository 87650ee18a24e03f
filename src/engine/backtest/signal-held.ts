// The held stretches of a play whose positions end by signals, with their exits and reversals, in one loop.
//
// In the bar loop (bar-loop.ts) a trade that ends by a signal costs ~0.4 us beyond its bars: the exit bar and
// the reversal's first bar each go through the full bar step and the decision step, through calls that box
// their numbers. Here a held stretch runs to the next exit signal (EquityTrack.markHeld marks it and the signal
// bar), the signal bar's decision is taken as decide() takes it, and a reversal's fills at the next open are
// made in locals with Account.close / TradeLog.commit / Account.open's arithmetic, operation for operation
// (test/engine/backtest/signal-held.test.ts holds the results to the bar step's to the last bit); a funding bar
// where nothing else happens is settled on the way (quiet-funding.ts). Anything else — a level touched, the
// drawdown floor, a settlement on an exit bar, an exit into flat, the last bar, an entry that cannot be placed —
// ends the run at that bar, with the decision for it (if any) handed back, and the bar step takes it from there.
import type { Candles } from '../../data/index.ts';
import { planEntry, PLAN_LIQ, PLAN_NOTIONAL, PLAN_SLOTS, PLAN_STOP, PLAN_TARGET, type LevelColumns } from './entries.ts';
import * as E from './equity-track.ts';
import type { EquityTrack } from './equity-track.ts';
import * as A from './position.ts';
import type { Account } from './position.ts';
import type { RangeBlocks } from './range-blocks.ts';
import { settleQuietly } from './quiet-funding.ts';
import { FillAhead } from './fill-ahead.ts';
import { byteColumnPair, nextSettlement, type ByteColumnPair } from './scan.ts';
import type { ExecutionSpec } from './spec.ts';
import { ENTER_LONG, ENTER_SHORT, EXIT } from './step.ts';
import * as T from './trade-log.ts';
import type { Signals } from './types.ts';

const NO_ENTRIES = new Uint8Array(0);

export interface SignalHeldInput {
  n: number;
  exec: Candles;
  signals: Signals;
  spec: ExecutionSpec;
  cols: LevelColumns;
  warmup: number;
  /** Equity below peak * floor halts trading (-Infinity without a limit). */
  floor: number;
  funding?: Float64Array;
  blocks: RangeBlocks;
}

export class SignalHeld {
  /** The decision the last run left for the bar it returned (0 when none), made at `decisionBar` with `decisionEquity`. */
  pending = 0;
  decisionBar = -1;
  decisionEquity = 0;

  private readonly entryLong: Uint8Array;
  private readonly entryShort: Uint8Array;
  private readonly exitsOfLong: ByteColumnPair;
  private readonly exitsOfShort: ByteColumnPair;
  private readonly fillsOfLong: FillAhead;
  private readonly fillsOfShort: FillAhead;
  private readonly plan = new Float64Array(PLAN_SLOTS);
  /** The next bar >= the current one where funding settles (n when none). */
  private nextFunding = -1;

  constructor(private readonly input: SignalHeldInput, private readonly acc: Account, private readonly track: EquityTrack) {
    const { spec, signals } = input;
    this.entryLong = spec.allowLong ? signals.entry_long : NO_ENTRIES;
    this.entryShort = spec.allowShort ? signals.entry_short : NO_ENTRIES;
    this.exitsOfLong = byteColumnPair(signals.exit_all, signals.exit_long);
    this.exitsOfShort = byteColumnPair(signals.exit_all, signals.exit_short);
    this.fillsOfLong = new FillAhead(this.exitsOfLong, input.exec, input.n - 1);
    this.fillsOfShort = new FillAhead(this.exitsOfShort, input.exec, input.n - 1);
  }

  /**
   * Whether a loop can use it: signal exits of the whole position, market entries, levels that do not move
   * (`quietHeld`: no trailing stop, no break-even, no finer candles), and a run that keeps only sums.
   */
  static applies(spec: ExecutionSpec, wholeExits: boolean, quietHeld: boolean, record: boolean): boolean {
    return spec.signalExits && wholeExits && quietHeld && !spec.entry.limit && !record;
  }

  /**
   * Runs from bar `from` (a position open, nothing pending or resting, not halted) and returns the first bar
   * it did not handle; `pending` and the decision fields then hold what was decided at the bar before it.
   */
  run(from: number): number {
    const { n, exec, spec, cols, warmup, floor, funding, blocks } = this.input;
    const acc = this.acc, av = acc.v, tv = this.track.v, track = this.track, plan = this.plan, sums = acc.log.s;
    const { open, ts } = exec;
    const last = n - 1;
    const slip = spec.slippage, taker = spec.takerRate;
    // The open trade's running totals (Account's per-trade fields) and the closed trades' sums (TradeLog's),
    // in locals while trades close here; the position itself, with its cash and the funding it has paid, stays
    // in the account, where markHeld reads it and a quiet settlement pays into it.
    let tFees = av[A.FEES], tRealized = av[A.REALIZED], tEntryBar = acc.entryBar, tEntryTs = av[A.ENTRY_TS], tEntryEq = av[A.ENTRY_EQUITY];
    let totalFees = av[A.TOTAL_FEES];
    let trades = 0, wins = sums[T.S_WINS], grossWin = sums[T.S_GROSS_WIN], grossLoss = sums[T.S_GROSS_LOSS], pnlSum = sums[T.S_PNL];
    let retSum = sums[T.S_RET], holdBars = sums[T.S_HOLD_BARS], holdMs = sums[T.S_HOLD_MS], feeSum = sums[T.S_FEES], fundingSum = sums[T.S_FUNDING];
    // The last reversal's entry, applied through Account.open at the end (its fee rounded as the bar step rounds it).
    let oCash = 0, oTotalFees = 0, oNotional = 0, oStop = NaN, oTarget = NaN, oLiq = NaN;
    let pending = 0, decisionBar = -1, decisionEquity = 0;
    let i = from;
    let ret: number;
    for (;;) {
      const side = acc.side;
      let fundingAt = n;
      if (funding !== undefined) {
        if (this.nextFunding < i) this.nextFunding = nextSettlement(funding, i, n);
        fundingAt = this.nextFunding;
      }
      // The stretch runs through the next exit signal's bar (marked here; its decision is taken below), or up to
      // the last bar or a funding bar (the bar step's).
      const ahead = side > 0 ? this.fillsOfLong : this.fillsOfShort;
      const slot = ahead.next(i);
      const exitAt = slot < 0 ? last : ahead.bar[slot];
      let to = exitAt;
      if (fundingAt < to) to = fundingAt;
      const through = to < last && to !== fundingAt ? to + 1 : to;
      // The fill bar's open and time, gathered with the exit (fill-ahead.ts) when the stretch ends at it.
      const gathered = to === exitAt && slot >= 0;
      const fillOpen = gathered ? ahead.open[slot] : open[through], fillTs = gathered ? ahead.ts[slot] : ts[through];
      const end = track.markHeld(i, through, exec, acc, floor, blocks);
      if (end <= to) {
        // A funding bar with no exit signal on it, settled here when nothing else happens there.
        const exits = side > 0 ? this.exitsOfLong : this.exitsOfShort;
        if (end === to && to === fundingAt && to < last && (exits.a[to] | exits.b[to]) === 0 && settleQuietly(acc, track, exec, funding![to], to, floor, blocks)) {
          i = to + 1;
          continue;
        }
        ret = end;
        break;
      }

      // The decision at the exit signal's bar `to` (decide(): the whole position exits; an entry signal on the
      // same bar, past the warm-up, reverses it).
      const e = tv[E.PREV];
      let enter = 0;
      if (to >= warmup) {
        const long = this.entryLong.length > 0 && this.entryLong[to] === 1;
        const short = this.entryShort.length > 0 && this.entryShort[to] === 1;
        if (long !== short) enter = long ? 1 : -1;
      }
      pending = EXIT | (enter > 0 ? ENTER_LONG : enter < 0 ? ENTER_SHORT : 0);
      decisionBar = to;
      decisionEquity = e;
      const j = to + 1;
      ret = j;
      if (enter === 0 || j === last || j === fundingAt) break;
      const price = fillOpen * (1 + enter * slip);
      if (!planEntry(spec, cols, enter, price, e, to, plan)) break;

      // Bar j's open fills, with the bar step's arithmetic: the exit (Account.close of the whole position, then
      // TradeLog.commit) ...
      const qty = av[A.QTY];
      const px = fillOpen * (1 - side * slip);
      const cFee = qty * px * taker;
      const pnl = side * qty * (px - av[A.ENTRY_PRICE]);
      const cash1 = av[A.CASH] + (pnl - cFee);
      totalFees += cFee;
      const fees1 = tFees + cFee;
      const tFunding = av[A.FUNDING];
      const tradePnl = tRealized + pnl - fees1 + tFunding;
      trades++;
      if (tradePnl > 0) {
        wins++;
        grossWin += tradePnl;
      } else grossLoss -= tradePnl;
      pnlSum += tradePnl;
      retSum += (tradePnl / tEntryEq) * 100;
      holdBars += j - tEntryBar;
      holdMs += fillTs - tEntryTs;
      feeSum += fees1;
      fundingSum += tFunding;
      // ... then the reversal (Account.open and openPosition's levels). Its first bar's levels and mark are the
      // next stretch's first bar (or, when a level fires there, the bar step's, with nothing pending).
      const notional = plan[PLAN_NOTIONAL];
      const oFee = notional * taker;
      oCash = cash1;
      oTotalFees = totalFees;
      oNotional = notional;
      oStop = plan[PLAN_STOP];
      oTarget = plan[PLAN_TARGET];
      oLiq = plan[PLAN_LIQ];
      totalFees += oFee;
      acc.side = enter;
      av[A.QTY] = notional / price;
      av[A.ENTRY_PRICE] = price;
      av[A.CASH] = cash1 - oFee;
      av[A.STOP] = oStop;
      av[A.TARGET] = oTarget;
      av[A.LIQ] = oLiq;
      tFees = oFee;
      av[A.FUNDING] = 0;
      tRealized = 0;
      tEntryBar = j;
      tEntryTs = fillTs;
      tEntryEq = e;
      pending = 0;
      i = j;
    }

    if (trades > 0) {
      sums[T.S_COUNT] += trades;
      sums[T.S_WINS] = wins;
      sums[T.S_GROSS_WIN] = grossWin;
      sums[T.S_GROSS_LOSS] = grossLoss;
      sums[T.S_PNL] = pnlSum;
      sums[T.S_RET] = retSum;
      sums[T.S_HOLD_BARS] = holdBars;
      sums[T.S_HOLD_MS] = holdMs;
      sums[T.S_FEES] = feeSum;
      sums[T.S_FUNDING] = fundingSum;
      acc.log.countSummed(trades);
      // Account.open resets the trade's funding and takes its fee from the cash it finds: funding settled
      // since that entry is put back after it.
      const cashNow = av[A.CASH], fundingNow = av[A.FUNDING];
      acc.cash = oCash;
      acc.totalFees = oTotalFees;
      acc.open(acc.side, acc.entryPrice, oNotional, spec.leverage, taker, tEntryBar, tEntryTs, tEntryEq);
      acc.stop = oStop;
      acc.target = oTarget;
      acc.liq = oLiq;
      av[A.CASH] = cashNow;
      av[A.FUNDING] = fundingNow;
    }
    this.pending = pending;
    this.decisionBar = decisionBar;
    this.decisionEquity = decisionEquity;
    return ret;
  }
}
