// The scans and block extremes the quiet loops use to skip work: each must answer exactly as the plain
// bar-by-bar reading would.
import { describe, expect, it } from 'vitest';
import { createRng } from '../../../src/common/rng.ts';
import { candlesFromArrays } from '../../../src/data/index.ts';
import { BLOCK, rangeBlocks } from '../../../src/engine/backtest/range-blocks.ts';
import { byteColumnPair, nextSet, nextSetPair } from '../../../src/engine/backtest/scan.ts';

describe('nextSetPair', () => {
  it('finds what nextSet finds, on aligned and unaligned columns, from any start to any end', () => {
    const rng = createRng(3);
    for (let trial = 0; trial < 200; trial++) {
      const n = 1 + rng.int(300);
      const p = rng.next() * 0.05;
      // An unaligned view half of the time (the word path must not be taken there).
      const shift = rng.next() < 0.5 ? 0 : 1 + rng.int(3);
      const col = () => {
        const c = new Uint8Array(n + shift).subarray(shift);
        for (let i = 0; i < n; i++) c[i] = rng.next() < p ? 1 : 0;
        return c;
      };
      const a = col(), b = col();
      const pair = byteColumnPair(a, b);
      expect(pair.a32 !== undefined).toBe(shift === 0);
      for (let q = 0; q < 20; q++) {
        const from = rng.int(n + 1), to = from + rng.int(n + 1 - from);
        expect(nextSetPair(pair, from, to)).toBe(nextSet(a, b, from, to));
      }
    }
  });
});

describe('rangeBlocks', () => {
  it('holds each block’s lowest low and highest high, and marks a block with a NaN to be checked bar by bar', () => {
    const rng = createRng(9);
    const n = 5 * BLOCK + 17;
    const close = Float64Array.from({ length: n }, () => 100 + rng.normal());
    const low = close.map((c) => c - rng.next());
    const high = close.map((c) => c + rng.next());
    low[2 * BLOCK + 5] = NaN;
    const exec = candlesFromArrays({ ts: close.map((_, i) => i * 60_000), open: close, high, low, close, volume: close });
    const { minLow, maxHigh } = rangeBlocks(exec);
    expect(minLow.length).toBe(6);
    for (let b = 0; b < minLow.length; b++) {
      const lows = Array.from(low.subarray(b * BLOCK, (b + 1) * BLOCK));
      const highs = Array.from(high.subarray(b * BLOCK, (b + 1) * BLOCK));
      if (b === 2) {
        expect([minLow[b], maxHigh[b]]).toEqual([-Infinity, Infinity]);
        continue;
      }
      expect(minLow[b]).toBe(Math.min(...lows));
      expect(maxHigh[b]).toBe(Math.max(...highs));
    }
    expect(rangeBlocks(exec)).toBe(rangeBlocks(exec)); // computed once per candle set
  });
});
