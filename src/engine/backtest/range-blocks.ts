// The lowest low and highest high of each block of 64 bars, so a held stretch skips its level checks block by
// block.
//
// Marking a held bar reads its close; checking its stop, target and liquidation reads its low and high too,
// three times the memory traffic of the mark itself — and the quiet loops are memory bound (marking 1M bars
// from the close alone takes half the time of marking them with the level checks). A block whose extremes stay
// strictly inside the position's levels cannot touch one on any of its bars, so only the blocks that come
// near a level are checked bar by bar. Computed once per candle set (cached by its low column) in one pass.
import type { Candles } from '../../data/index.ts';

export const BLOCK_SHIFT = 6;
export const BLOCK = 1 << BLOCK_SHIFT;

export interface RangeBlocks {
  /** Per block b (bars [b*64, b*64+64)): the lowest low and the highest high (NaN bars count as touching). */
  minLow: Float64Array;
  maxHigh: Float64Array;
}

const byLow = new WeakMap<Float64Array, RangeBlocks>();

export function rangeBlocks(exec: Candles): RangeBlocks {
  let blocks = byLow.get(exec.low);
  if (blocks === undefined) {
    blocks = computeBlocks(exec.low, exec.high);
    byLow.set(exec.low, blocks);
  }
  return blocks;
}

function computeBlocks(low: Float64Array, high: Float64Array): RangeBlocks {
  const n = low.length;
  const count = (n + BLOCK - 1) >> BLOCK_SHIFT;
  const minLow = new Float64Array(count), maxHigh = new Float64Array(count);
  for (let b = 0; b < count; b++) {
    const end = Math.min(n, (b + 1) << BLOCK_SHIFT);
    let lo = Infinity, hi = -Infinity;
    for (let i = b << BLOCK_SHIFT; i < end; i++) {
      const l = low[i], h = high[i];
      // A NaN low or high makes the block checked bar by bar (its comparisons decide there, as without blocks).
      lo = l < lo || l !== l ? l : lo;
      hi = h > hi || h !== h ? h : hi;
      if (lo !== lo || hi !== hi) {
        lo = -Infinity;
        hi = Infinity;
        break;
      }
    }
    minLow[b] = lo;
    maxHigh[b] = hi;
  }
  return { minLow, maxHigh };
}
