import { describe, expect, it } from 'vitest';
import { normCdf, normInv, normPdf } from '../../src/validate/normal.ts';

// Reference values: the standard normal table (Abramowitz & Stegun 26.2) and Python's
// statistics.NormalDist, an independent implementation.
describe('standard normal', () => {
  it('matches tabulated CDF values', () => {
    expect(normCdf(0)).toBe(0.5);
    expect(normCdf(1)).toBeCloseTo(0.8413447460685429, 14);
    expect(normCdf(1.96)).toBeCloseTo(0.9750021048517795, 14);
    expect(normCdf(-3)).toBeCloseTo(0.0013498980316301, 15);
    expect(normCdf(2.5)).toBeCloseTo(0.9937903346742238, 14);
  });

  it('keeps relative precision deep in the lower tail', () => {
    // Φ(−8) = 6.22096057427178e-16 (A&S 26.2.12 asymptotics / mpmath).
    expect(normCdf(-8) / 6.22096057427178e-16).toBeCloseTo(1, 9);
    expect(normCdf(-5) / 2.866515718791939e-7).toBeCloseTo(1, 9);
  });

  it('inverts the CDF to ~1e-14 and hits the classical quantiles', () => {
    expect(normInv(0.975)).toBeCloseTo(1.959963984540054, 12);
    expect(normInv(0.99)).toBeCloseTo(2.326347874040841, 12);
    expect(normInv(0.001)).toBeCloseTo(-3.090232306167813, 12);
    for (const p of [1e-12, 1e-6, 0.01, 0.2, 0.5, 0.7, 0.95, 0.999999]) {
      expect(Math.abs(normCdf(normInv(p)) - p) / Math.min(p, 1 - p)).toBeLessThan(1e-9);
    }
    expect(normInv(0)).toBe(-Infinity);
    expect(normInv(1)).toBe(Infinity);
    expect(normInv(1.5)).toBeNaN();
  });

  it('has the density integrate to the CDF', () => {
    let area = 0;
    const h = 1e-3;
    for (let k = 0; k < 2500; k++) area += normPdf(-1 + (k + 0.5) * h) * h;
    expect(area).toBeCloseTo(normCdf(1.5) - normCdf(-1), 7);
  });
});
