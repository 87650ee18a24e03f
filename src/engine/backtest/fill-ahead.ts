// The exits ahead of a held position and their fill bars, gathered a block at a time (the fused signal loop's).
//
// A reversal fills at the open of the bar after its exit signal, and the new trade starts at that bar's time:
// two reads far from the closes a held stretch streams, so both miss the cache — on 1e7 bars (80 MB columns) a
// DRAM miss per trade. A load that waits stops the CPU from retiring anything after it (JS has no prefetch),
// so each trade stalled for the whole miss: on 1e7 bars of an always-in EMA cross, the line reading them took
// 3/4 of the fused loop's samples. Here the next GATHER exits are found in one scan and their fill bars read
// in one loop of independent loads, whose misses overlap.
import type { Candles } from '../../data/index.ts';
import { nextSetPair, type ByteColumnPair } from './scan.ts';

const GATHER = 64;

export class FillAhead {
  /** Exit signal bars, ascending, and the open and time of the bar after each. */
  readonly bar = new Int32Array(GATHER);
  readonly open = new Float64Array(GATHER);
  readonly ts = new Float64Array(GATHER);
  private count = 0;
  private pos = 0;
  /** The next bar the scan has not looked at. */
  private scanned = 0;

  /** `last` is the last bar: an exit on it has no fill bar, and none is gathered there. */
  constructor(private readonly exits: ByteColumnPair, private readonly exec: Candles, private readonly last: number) {}

  /**
   * The slot of the first exit at or after bar `from` and before the last bar, or -1 when there is none.
   * Calls must come with `from` never decreasing.
   */
  next(from: number): number {
    for (;;) {
      let pos = this.pos;
      const count = this.count, bar = this.bar;
      while (pos < count && bar[pos] < from) pos++;
      this.pos = pos;
      if (pos < count) return pos;
      if (!this.gather(Math.max(this.scanned, from))) return -1;
    }
  }

  /** Gathers the exits from bar `start` on; false when there are none before the last bar. */
  private gather(start: number): boolean {
    const { exits, last, bar, open, ts } = this;
    const eOpen = this.exec.open, eTs = this.exec.ts;
    let b = start, k = 0;
    for (; k < GATHER; k++) {
      b = nextSetPair(exits, b, last);
      if (b >= last) break;
      bar[k] = b;
      b++;
    }
    // The fill bars' reads, in a loop of their own: no load waits on another.
    for (let j = 0; j < k; j++) {
      const f = bar[j] + 1;
      open[j] = eOpen[f];
      ts[j] = eTs[f];
    }
    this.count = k;
    this.pos = 0;
    this.scanned = b;
    return k > 0;
  }
}
