// The shared streaming primitives against brute force, including NaN gaps and long series (drift).
import { describe, expect, it } from 'vitest';
import { createRng } from '../../src/common/rng.ts';
import { EmaStep, Lag, RollingExtreme, RollingStd, RollingSum, WilderSumStep } from '../../src/indicators/index.ts';
import { emaInto, wilderInto } from '../../src/indicators/primitives.ts';
import { expectClose } from './helpers.ts';
import { refEma, refRollingSum, refWilder, refWilderSum } from './reference.ts';

function walk(n: number, seed: number, nanEvery = 0): Float64Array {
  const rng = createRng(seed);
  const out = new Float64Array(n);
  let p = 100_000;
  for (let i = 0; i < n; i++) {
    p *= Math.exp(0.01 * rng.normal());
    out[i] = nanEvery > 0 && i % nanEvery === nanEvery - 1 ? NaN : p;
  }
  return out;
}

const run = (x: Float64Array, step: (v: number) => number): Float64Array => Float64Array.from(x, step);

describe('primitives', () => {
  const x = walk(5000, 7, 97); // a NaN every 97 bars

  it('emaInto / wilderInto are bit-identical to EmaStep and match the reference, NaNs skipped', () => {
    for (const n of [1, 3, 20]) {
      const e = EmaStep.ema(n);
      const w = EmaStep.wilder(n);
      const arrE = emaInto(x, n, new Float64Array(x.length));
      const arrW = wilderInto(x, n, new Float64Array(x.length));
      const stepE = run(x, (v) => e.step(v));
      const stepW = run(x, (v) => w.step(v));
      for (let i = 0; i < x.length; i++) {
        if (!Object.is(arrE[i], stepE[i]) || !Object.is(arrW[i], stepW[i])) throw new Error(`array and step forms differ at ${i}`);
      }
      expectClose(arrE, refEma(x, n), { label: `ema${n}` });
      expectClose(arrW, refWilder(x, n), { label: `wilder${n}` });
    }
  });

  it('RollingSum and WilderSumStep match brute force (NaN inside the window gives NaN)', () => {
    for (const n of [1, 4, 30]) {
      const s = new RollingSum(n);
      expectClose(run(x, (v) => s.step(v)), refRollingSum(x, n), { label: `sum${n}` });
      const ws = new WilderSumStep(n);
      expectClose(run(x, (v) => ws.step(v)), refWilderSum(x, n), { label: `wsum${n}` });
    }
  });

  it('RollingExtreme matches a window scan, with the age of the most recent extreme', () => {
    const rng = createRng(3);
    // coarse values so ties happen often
    const y = Float64Array.from({ length: 3000 }, (_, i) => (i % 211 === 5 ? NaN : Math.round(rng.next() * 20)));
    for (const n of [1, 2, 7, 50]) {
      const hi = new RollingExtreme(n, 'max');
      const lo = new RollingExtreme(n, 'min');
      for (let t = 0; t < y.length; t++) {
        const h = hi.step(y[t]);
        const l = lo.step(y[t]);
        const w = Array.from(y.subarray(Math.max(0, t - n + 1), t + 1));
        if (t < n - 1 || w.some(Number.isNaN)) {
          expect(h).toBeNaN();
          expect(l).toBeNaN();
          continue;
        }
        const mx = Math.max(...w);
        const mn = Math.min(...w);
        if (h !== mx || l !== mn) throw new Error(`window ${n} at ${t}: ${h}/${l} vs ${mx}/${mn}`);
        if (hi.argAge !== w.length - 1 - w.lastIndexOf(mx)) throw new Error(`max age at ${t}`);
        if (lo.argAge !== w.length - 1 - w.lastIndexOf(mn)) throw new Error(`min age at ${t}`);
      }
    }
  });

  it('RollingStd stays exact over 300,000 bars at price level 1e5 (no drift)', () => {
    const y = walk(300_000, 11);
    const n = 20;
    const rs = new RollingStd(n);
    let worst = 0;
    for (let t = 0; t < y.length; t++) {
      const sd = rs.step(y[t]);
      if (t < n - 1) continue;
      if (t % 997 !== 0 && t !== y.length - 1) continue;
      const w = Array.from(y.subarray(t - n + 1, t + 1));
      const m = w.reduce((a, b) => a + b, 0) / n;
      const ref = Math.sqrt(w.reduce((a, b) => a + (b - m) ** 2, 0) / n);
      worst = Math.max(worst, Math.abs(sd - ref) / ref, Math.abs(rs.mean - m) / m);
    }
    expect(worst).toBeLessThan(1e-9);
  });

  it('Lag returns the value from `lag` steps ago', () => {
    const l = new Lag(3);
    expect([1, 2, 3, 4, 5].map((v) => l.step(v))).toEqual([NaN, NaN, NaN, 1, 2]);
    const l0 = new Lag(0);
    expect(l0.step(9)).toBe(9);
  });
});
