// FillAhead (the fused loop's exits ahead, gathered a block at a time) must find exactly what a scan of the
// exit columns finds, with each exit's fill bar (the next one) read from the candles, across its refills.
import { describe, expect, it } from 'vitest';
import { createRng } from '../../../src/common/rng.ts';
import { candlesFromArrays } from '../../../src/data/index.ts';
import { FillAhead } from '../../../src/engine/backtest/fill-ahead.ts';
import { byteColumnPair, nextSetPair } from '../../../src/engine/backtest/scan.ts';

describe('FillAhead', () => {
  it('finds the next exit from any bar and its fill bar, as a scan does, over many refills', () => {
    const rng = createRng(9);
    for (const [n, density] of [[5_000, 0.05], [3_000, 0.4], [700, 0.002], [1, 0.5]] as const) {
      const a = new Uint8Array(n).map(() => (rng.next() < density ? 1 : 0));
      const b = new Uint8Array(n).map(() => (rng.next() < density / 2 ? 1 : 0));
      a[n - 1] = 1; // an exit on the last bar has no fill bar
      const ts = Array.from({ length: n }, (_, i) => 1_700_000_000_000 + i * 60_000);
      const open = ts.map((_, i) => 100 + Math.sin(i));
      const exec = candlesFromArrays({ ts, open, high: open, low: open, close: open, volume: open.map(() => 1) });
      const pair = byteColumnPair(a, b), last = n - 1;
      const ahead = new FillAhead(pair, exec, last);
      let from = 0, found = 0;
      while (from < n) {
        const expected = nextSetPair(pair, from, last);
        const slot = ahead.next(from);
        if (expected >= last) {
          expect(slot).toBe(-1);
        } else {
          expect(ahead.bar[slot]).toBe(expected);
          expect([ahead.open[slot], ahead.ts[slot]]).toEqual([exec.open[expected + 1], exec.ts[expected + 1]]);
          found++;
        }
        from += 1 + Math.floor(rng.next() * 3); // callers move forward by varying steps
      }
      if (n > 1_000) expect(found).toBeGreaterThan(64); // more than one gathered block
    }
  });
});
