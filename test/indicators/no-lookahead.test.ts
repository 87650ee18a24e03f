// No look-ahead, for every indicator and every parameter set in the reference table: the value at bar t
// must not change when later bars are appended (prefix run) or when later bars are different (a
// scrambled tail). Compared bit for bit (NaN == NaN).
import { describe, expect, it } from 'vitest';
import { INDICATOR_IMPLS, type SeriesInput } from '../../src/indicators/index.ts';
import { CASES, caseLabel } from './cases.ts';
import { prefixInput, realInput } from './helpers.ts';

const CUTS = [1, 2, 25, 61, 500, 1777, 2999];

/** Bars after `cut` replaced by a different, still plausible path (the real bars in reverse order). */
function scrambledTail(input: SeriesInput, cut: number): SeriesInput {
  const swap = (a: Float64Array): Float64Array => {
    const out = Float64Array.from(a);
    for (let i = cut; i < out.length; i++) out[i] = a[out.length - 1 - (i - cut)];
    return out;
  };
  // timestamps keep increasing; prices, volume and the source come from elsewhere in the data
  return { ...input, open: swap(input.open), high: swap(input.high), low: swap(input.low), close: swap(input.close), volume: swap(input.volume), source: swap(input.source) };
}

function firstDifference(a: Float64Array, b: Float64Array, upTo: number): number {
  for (let i = 0; i < upTo; i++) if (!Object.is(a[i], b[i])) return i;
  return -1;
}

describe('no look-ahead: values up to a cut never depend on later bars', () => {
  const inputs = new Map<string, SeriesInput>();
  const inputFor = (source: string): SeriesInput => {
    if (!inputs.has(source)) inputs.set(source, realInput(source));
    return inputs.get(source)!;
  };

  it('covers all 47 indicators', () => {
    expect(new Set(CASES.map((c) => c.name)).size).toBe(47);
  });

  for (const k of CASES) {
    it(caseLabel(k), () => {
      const impl = INDICATOR_IMPLS[k.name];
      const full = inputFor(k.source ?? 'close');
      const whole = impl.compute(full, k.params);
      for (const cut of CUTS) {
        const prefix = impl.compute(prefixInput(full, cut), k.params);
        const other = impl.compute(scrambledTail(full, cut), k.params);
        for (const out of impl.outputs) {
          expect(prefix[out].length).toBe(cut);
          expect(firstDifference(prefix[out], whole[out], cut), `${out}: prefix of ${cut} bars`).toBe(-1);
          expect(firstDifference(other[out], whole[out], cut), `${out}: tail after ${cut} changed`).toBe(-1);
        }
      }
    });
  }
});
