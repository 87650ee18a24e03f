// The equity curve's statistics, accumulated while the bar loop marks it: per-bar returns, the deepest
// drawdown with its peak, trough and recovery, and exposure — the running values computeMetrics gathers in
// its pass over the curve, with the same arithmetic bar by bar (test/engine/backtest/equity-track.test.ts
// checks the results are identical). A backtest that only needs metrics (a population member) then never
// stores an equity curve: no 8 bytes per bar of fresh memory, no second pass over it.
import type { Candles } from '../../data/index.ts';
import type { EquityStats } from '../metrics.ts';
import * as A from './position.ts';
import type { Account } from './position.ts';
import { lowerBound, upperBound } from './levels.ts';
import { BLOCK_SHIFT, type RangeBlocks } from './range-blocks.ts';

/**
 * A drawdown test without a division on most bars: `1 - e / peak > maxDd` implies `e < peak * cut` for
 * `cut = 1 - maxDd + 1e-9` (the slack covers the rounding of both sides), so the exact test runs only on bars
 * that pass the cheap one and its answer is unchanged.
 */
function drawdownCut(maxDd: number): number {
  return 1 - maxDd + DD_SLACK;
}
const DD_SLACK = 1e-9;

/**
 * The lowest equity markHeld marks itself (strictly above it): the drawdown floor, and 0 — a positive equity
 * is what the next bar's return divides by. An account at or below it is marked by mark(), which handles any
 * value.
 */
function equityMin(peak: number, floor: number): number {
  const f = peak * floor;
  return f > 0 ? f : 0;
}

// Slots of EquityTrack's state vector (exported for the fused signal loop, signal-held.ts).
export const COUNT = 0, SUM = 1, SUM_SQ = 2, DOWN_SQ = 3, PREV = 4, PEAK = 5, PEAK_BAR = 6, MAX_DD = 7, DD_PEAK_BAR = 8, DD_PEAK = 9;
export const TROUGH_BAR = 10, RECOVERY_BAR = 11, EXPOSED = 12;
const SLOTS = 13;

/**
 * The running values live in one Float64Array, not in fields: V8 boxes a number field that has ever held a
 * non-integer, and the ~11 field stores per held stretch allocated a fresh box each (68 KB of garbage per
 * backtest of the seed example — the young-generation collections it caused ran partly on the other core).
 */
export class EquityTrack implements EquityStats {
  /** The running values by slot; only the bar loops write them. */
  readonly v = new Float64Array(SLOTS);

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
   * The quiet stretch of an open position: marks bars from `from` up to `to` while none of its levels is
   * touched and the drawdown floor holds, and returns the first bar it did not mark (the full path handles that
   * one, with the same arithmetic). The statistics live in locals for the stretch (a store per bar would chain
   * every addition through memory). A recording run writes the curve afterwards (markedEquity): a store in
   * this loop, even one skipped, costs a third of its time.
   *
   * The loop is shaped for speed (it is what a backtest mostly runs; each change below measured on 1M bars):
   * - the level checks go block by block (RangeBlocks): a block that cannot touch a level reads only closes;
   * - one test of the equity against eMin stands for the drawdown floor and a positive previous equity (a
   *   bar at or below it, or with a return that is not finite, is left to mark(), which handles any value);
   * - the recovery test compares with `recoverAt`, which is Infinity whenever no recovery is awaited;
   * - a downside return's square without a branch on the return's sign: (r - |r|) / 2 is exactly r below 0
   *   and exactly 0 otherwise (a branch there mispredicts half the time; TurboFan compiled
   *   `sq * Number(r < 0)` to a branch in some processes).
   * A held stretch of 1M bars with no level in reach: 4.3 -> 3.5 ns per bar (about the reference EMA-cross
   * loop's whole bar; a loop that only sums the returns takes 1.6, reading the closes alone 1.1).
   */
  markHeld(from: number, to: number, exec: Candles, acc: Account, floor: number, blocks: RangeBlocks): number {
    const { low, high, close } = exec;
    const { minLow, maxHigh } = blocks;
    const av = acc.v;
    // Below lo or above hi a level fires (NaN levels never compare true).
    const lo = lowerBound(acc.side, av[A.STOP], av[A.TARGET], av[A.LIQ]), hi = upperBound(acc.side, av[A.STOP], av[A.TARGET], av[A.LIQ]);
    const side = acc.side, qty = av[A.QTY], entry = av[A.ENTRY_PRICE], cash = av[A.CASH];
    const v = this.v;
    let sum = v[SUM], sumSq = v[SUM_SQ], downSq = v[DOWN_SQ], prev = v[PREV], peak = v[PEAK], peakBar = v[PEAK_BAR], maxDd = v[MAX_DD];
    let ddPeakBar = v[DD_PEAK_BAR], ddPeak = v[DD_PEAK], troughBar = v[TROUGH_BAR], recoveryBar = v[RECOVERY_BAR];
    let cut = drawdownCut(maxDd);
    let eMin = equityMin(peak, floor);
    let recoverAt = recoveryBar < 0 && troughBar >= 0 ? ddPeak : Infinity;
    let i = from;
    // The first return divides by the equity before the stretch.
    if (!(prev > 0)) return i;
    stretch: while (i < to) {
      const b = i >> BLOCK_SHIFT;
      const blockEnd = Math.min(to, (b + 1) << BLOCK_SHIFT);
      const check = !(minLow[b] > lo && maxHigh[b] < hi);
      for (; i < blockEnd; i++) {
        if (check && (low[i] <= lo || high[i] >= hi)) break stretch;
        const e = cash + side * qty * (close[i] - entry);
        if (!(e > eMin)) break stretch;
        const r = e / prev - 1;
        const sq = r * r;
        if (!(sq < Infinity)) break stretch;
        sum += r;
        sumSq += sq;
        const down = 0.5 * (r - Math.abs(r));
        downSq += down * down;
        prev = e;
        if (e >= peak) {
          peak = e;
          peakBar = i;
          // equityMin and drawdownCut written out: a call here that V8 does not inline boxes its argument.
          const f = peak * floor;
          eMin = f > 0 ? f : 0;
          if (e >= recoverAt) {
            recoveryBar = i;
            recoverAt = Infinity;
          }
        } else if (e < peak * cut && 1 - e / peak > maxDd) {
          maxDd = 1 - e / peak;
          cut = 1 - maxDd + DD_SLACK;
          ddPeakBar = peakBar;
          ddPeak = peak;
          troughBar = i;
          recoveryBar = -1;
          recoverAt = peak;
        } else if (e >= recoverAt) {
          recoveryBar = i;
          recoverAt = Infinity;
        }
      }
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
