// The equity curve's statistics, accumulated while the bar loop marks it: per-bar returns, the deepest
// drawdown with its peak, trough and recovery, and exposure — the running values computeMetrics gathers in
// its pass over the curve, with the same arithmetic bar by bar (test/engine/backtest/equity-track.test.ts
// checks the results are identical). A backtest that only needs metrics (a population member) then never
// stores an equity curve: no 8 bytes per bar of fresh memory, no second pass over it.
import type { Candles } from '../../data/index.ts';
import type { EquityStats } from '../metrics.ts';
import type { Account } from './position.ts';

export class EquityTrack implements EquityStats {
  count = 0;
  sum = 0;
  sumSq = 0;
  downSq = 0;
  /** The previous bar's equity (the starting equity before bar 0). */
  prev: number;
  peak: number;
  peakBar = -1;
  maxDd = 0;
  ddPeakBar = -1;
  ddPeak: number;
  troughBar = -1;
  /** First bar after the deepest drawdown's trough back at its peak, -1 while none. */
  recoveryBar = -1;
  /** Bars with a position open at the mark. */
  exposed = 0;

  constructor(startingEquity: number) {
    this.prev = startingEquity;
    this.peak = startingEquity;
    this.ddPeak = startingEquity;
  }

  /** Equity `e` at bar `i`'s close. */
  mark(i: number, e: number): void {
    const prev = this.prev;
    const r = prev > 0 ? e / prev - 1 : 0;
    this.sum += r;
    this.sumSq += r * r;
    if (r < 0) this.downSq += r * r;
    this.count++;
    this.prev = e;
    if (e >= this.peak) {
      this.peak = e;
      this.peakBar = i;
    } else if (1 - e / this.peak > this.maxDd) {
      this.maxDd = 1 - e / this.peak;
      this.ddPeakBar = this.peakBar;
      this.ddPeak = this.peak;
      this.troughBar = i;
      this.recoveryBar = -1;
      return;
    }
    if (this.recoveryBar < 0 && this.troughBar >= 0 && e >= this.ddPeak) this.recoveryBar = i;
  }

  /**
   * Bars [from, to) all at equity `e` (flat: the cash). After the first bar nothing can change but the count and,
   * at a peak, the peak's bar: a return of e/e - 1 is exactly 0 and the drawdown and recovery tests repeat the
   * first bar's answer, so a flat stretch of any length costs O(1).
   */
  markFlat(from: number, to: number, e: number): void {
    if (to <= from) return;
    this.mark(from, e);
    if (!(e - e === 0)) {
      for (let i = from + 1; i < to; i++) this.mark(i, e); // NaN or infinite: returns are not 0
      return;
    }
    this.count += to - from - 1;
    if (e >= this.peak) this.peakBar = to - 1;
  }

  /**
   * The quiet stretch of an open position: marks bars from `from` up to `to` while no level in (lo, hi) is
   * touched and the drawdown floor holds, and returns the first bar it did not mark (the full path handles that
   * one). The statistics live in locals for the stretch (a field update per bar would chain every addition
   * through memory). A recording run writes the curve afterwards (markedEquity): a store in this loop, even
   * one skipped, costs a third of its time.
   */
  markHeld(from: number, to: number, exec: Candles, acc: Account, lo: number, hi: number, floor: number): number {
    const { low, high, close } = exec;
    const side = acc.side, qty = acc.qty, entry = acc.entryPrice, cash = acc.cash;
    let { sum, sumSq, downSq, prev, peak, peakBar, maxDd, ddPeakBar, ddPeak, troughBar, recoveryBar } = this;
    let i = from;
    for (; i < to; i++) {
      if (low[i] <= lo || high[i] >= hi) break;
      const e = cash + side * qty * (close[i] - entry);
      // Below the drawdown floor: the full path halts trading at this bar.
      if (!(e > peak) && e < peak * floor) break;
      const r = prev > 0 ? e / prev - 1 : 0;
      const sq = r * r;
      if (!(sq < Infinity)) break; // a return that is not finite: mark() takes that bar
      sum += r;
      sumSq += sq;
      // A downside return's square without a branch on the return's sign (half of them would mispredict:
      // that branch alone cost twice the rest of this loop). sq * 0 or sq * 1 is exact for a finite sq.
      downSq += sq * Number(r < 0);
      prev = e;
      if (e >= peak) {
        peak = e;
        peakBar = i;
      } else if (1 - e / peak > maxDd) {
        maxDd = 1 - e / peak;
        ddPeakBar = peakBar;
        ddPeak = peak;
        troughBar = i;
        recoveryBar = -1;
        continue;
      }
      if (recoveryBar < 0 && troughBar >= 0 && e >= ddPeak) recoveryBar = i;
    }
    this.sum = sum;
    this.sumSq = sumSq;
    this.downSq = downSq;
    this.prev = prev;
    this.peak = peak;
    this.peakBar = peakBar;
    this.maxDd = maxDd;
    this.ddPeakBar = ddPeakBar;
    this.ddPeak = ddPeak;
    this.troughBar = troughBar;
    this.recoveryBar = recoveryBar;
    this.count += i - from;
    this.exposed += i - from;
    return i;
  }
}

/** The equity of a held position at bars [from, to) into `equity`: the values markHeld measured there. */
export function markedEquity(equity: Float64Array, from: number, to: number, exec: Candles, acc: Account): void {
  const close = exec.close;
  const side = acc.side, qty = acc.qty, entry = acc.entryPrice, cash = acc.cash;
  for (let i = from; i < to; i++) equity[i] = cash + side * qty * (close[i] - entry);
}
