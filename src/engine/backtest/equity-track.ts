// The equity curve's statistics, accumulated while the bar loop marks it: per-bar returns, the deepest
// drawdown with its peak, trough and recovery, and exposure — the running values computeMetrics gathers in
// its pass over the curve, with the same arithmetic bar by bar (test/engine/backtest/equity-track.test.ts
// checks the results are identical). A backtest that only needs metrics (a population member) then never
// stores an equity curve: no 8 bytes per bar of fresh memory, no second pass over it.
import type { Candles } from '../../data/index.ts';
import type { EquityStats } from '../metrics.ts';
import type { Account } from './position.ts';

// Slots of EquityTrack's state vector.
const COUNT = 0, SUM = 1, SUM_SQ = 2, DOWN_SQ = 3, PREV = 4, PEAK = 5, PEAK_BAR = 6, MAX_DD = 7, DD_PEAK_BAR = 8, DD_PEAK = 9;
const TROUGH_BAR = 10, RECOVERY_BAR = 11, EXPOSED = 12, SLOTS = 13;

/**
 * The running values live in one Float64Array, not in fields: V8 boxes a number field that has ever held a
 * non-integer, and the ~11 field stores per held stretch allocated a fresh box each (68 KB of garbage per
 * backtest of the seed example — the young-generation collections it caused ran partly on the other core).
 */
export class EquityTrack implements EquityStats {
  private readonly v = new Float64Array(SLOTS);

  constructor(startingEquity: number) {
    const v = this.v;
    v[PREV] = startingEquity;
    v[PEAK] = startingEquity;
    v[DD_PEAK] = startingEquity;
    v[PEAK_BAR] = -1;
    v[DD_PEAK_BAR] = -1;
    v[TROUGH_BAR] = -1;
    v[RECOVERY_BAR] = -1;
  }

  get count(): number {
    return this.v[COUNT];
  }
  get sum(): number {
    return this.v[SUM];
  }
  get sumSq(): number {
    return this.v[SUM_SQ];
  }
  get downSq(): number {
    return this.v[DOWN_SQ];
  }
  /** The previous bar's equity (the starting equity before bar 0). */
  get prev(): number {
    return this.v[PREV];
  }
  get peak(): number {
    return this.v[PEAK];
  }
  get peakBar(): number {
    return this.v[PEAK_BAR];
  }
  get maxDd(): number {
    return this.v[MAX_DD];
  }
  get ddPeakBar(): number {
    return this.v[DD_PEAK_BAR];
  }
  get ddPeak(): number {
    return this.v[DD_PEAK];
  }
  get troughBar(): number {
    return this.v[TROUGH_BAR];
  }
  /** First bar after the deepest drawdown's trough back at its peak, -1 while none. */
  get recoveryBar(): number {
    return this.v[RECOVERY_BAR];
  }
  /** Bars with a position open at the mark. */
  get exposed(): number {
    return this.v[EXPOSED];
  }

  /** One more bar with a position open at the mark. */
  addExposed(): void {
    this.v[EXPOSED]++;
  }

  /** Equity `e` at bar `i`'s close. */
  mark(i: number, e: number): void {
    const v = this.v;
    const prev = v[PREV];
    const r = prev > 0 ? e / prev - 1 : 0;
    v[SUM] += r;
    v[SUM_SQ] += r * r;
    if (r < 0) v[DOWN_SQ] += r * r;
    v[COUNT]++;
    v[PREV] = e;
    const peak = v[PEAK];
    if (e >= peak) {
      v[PEAK] = e;
      v[PEAK_BAR] = i;
    } else if (1 - e / peak > v[MAX_DD]) {
      v[MAX_DD] = 1 - e / peak;
      v[DD_PEAK_BAR] = v[PEAK_BAR];
      v[DD_PEAK] = peak;
      v[TROUGH_BAR] = i;
      v[RECOVERY_BAR] = -1;
      return;
    }
    if (v[RECOVERY_BAR] < 0 && v[TROUGH_BAR] >= 0 && e >= v[DD_PEAK]) v[RECOVERY_BAR] = i;
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
    const v = this.v;
    v[COUNT] += to - from - 1;
    if (e >= v[PEAK]) v[PEAK_BAR] = to - 1;
  }

  /**
   * The quiet stretch of an open position: marks bars from `from` up to `to` while no level in (lo, hi) is
   * touched and the drawdown floor holds, and returns the first bar it did not mark (the full path handles that
   * one). The statistics live in locals for the stretch (a store per bar would chain every addition through
   * memory). A recording run writes the curve afterwards (markedEquity): a store in this loop, even one
   * skipped, costs a third of its time.
   */
  markHeld(from: number, to: number, exec: Candles, acc: Account, lo: number, hi: number, floor: number): number {
    const { low, high, close } = exec;
    const side = acc.side, qty = acc.qty, entry = acc.entryPrice, cash = acc.cash;
    const v = this.v;
    let sum = v[SUM], sumSq = v[SUM_SQ], downSq = v[DOWN_SQ], prev = v[PREV], peak = v[PEAK], peakBar = v[PEAK_BAR], maxDd = v[MAX_DD];
    let ddPeakBar = v[DD_PEAK_BAR], ddPeak = v[DD_PEAK], troughBar = v[TROUGH_BAR], recoveryBar = v[RECOVERY_BAR];
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
      // that branch alone cost twice the rest of this loop). (r - |r|) / 2 is exactly r below 0 and exactly
      // 0 otherwise, with no compare at all: TurboFan compiled `sq * Number(r < 0)` sometimes to a set
      // instruction and sometimes to a branch (the same backtest took 4.5 or 8 ms in different processes).
      const down = 0.5 * (r - Math.abs(r));
      downSq += down * down;
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
    v[SUM] = sum;
    v[SUM_SQ] = sumSq;
    v[DOWN_SQ] = downSq;
    v[PREV] = prev;
    v[PEAK] = peak;
    v[PEAK_BAR] = peakBar;
    v[MAX_DD] = maxDd;
    v[DD_PEAK_BAR] = ddPeakBar;
    v[DD_PEAK] = ddPeak;
    v[TROUGH_BAR] = troughBar;
    v[RECOVERY_BAR] = recoveryBar;
    v[COUNT] += i - from;
    v[EXPOSED] += i - from;
    return i;
  }
}

/** The equity of a held position at bars [from, to) into `equity`: the values markHeld measured there. */
export function markedEquity(equity: Float64Array, from: number, to: number, exec: Candles, acc: Account): void {
  const close = exec.close;
  const side = acc.side, qty = acc.qty, entry = acc.entryPrice, cash = acc.cash;
  for (let i = from; i < to; i++) equity[i] = cash + side * qty * (close[i] - entry);
}
