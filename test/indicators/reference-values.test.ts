// Every indicator against a slow, independently written textbook reference (test/indicators/reference.ts),
// on 3,000 real BTCUSDT 1h candles, to 1e-9 relative error, with identical NaN warm-up positions.
import { describe, expect, it } from 'vitest';
import { INDICATOR_IMPLS, seriesInput } from '../../src/indicators/index.ts';
import { CASES, caseLabel, caseSource } from './cases.ts';
import { expectClose, realCandles } from './helpers.ts';

describe('indicators match slow textbook references on real candles', () => {
  const candles = realCandles();

  it('covers all 47 indicators', () => {
    expect(new Set(CASES.map((c) => c.name)).size).toBe(47);
  });

  for (const k of CASES) {
    it(caseLabel(k), () => {
      const impl = INDICATOR_IMPLS[k.name];
      const got = impl.compute(seriesInput(candles, k.source ?? 'close'), k.params);
      const want = k.ref(candles, caseSource(candles, k));
      expect(Object.keys(got).sort()).toEqual([...impl.outputs].sort());
      expect(Object.keys(want).sort()).toEqual([...impl.outputs].sort());
      for (const out of impl.outputs) expectClose(got[out], want[out], { label: `${caseLabel(k)}.${out}` });
    });
  }
});
