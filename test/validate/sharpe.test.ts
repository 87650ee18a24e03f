import { describe, expect, it } from 'vitest';
import {
  DAY_MS, annualiseSharpe, deannualiseSharpe, deannualiseVariance, equityReturns, moments, periodReturns, periodsPerYear, sharpeRatio,
} from '../../src/validate/sharpe.ts';

describe('moments and Sharpe ratio', () => {
  it('computes the moments of a small series by hand', () => {
    // [1, 2, 3, 4, 10]: mean 4, deviations -3 -2 -1 0 6; m2 = 50/5 = 10, m3 = 180/5 = 36, m4 = 1394/5 = 278.8.
    const m = moments([1, 2, 3, 4, 10]);
    expect(m.mean).toBe(4);
    expect(m.sd).toBeCloseTo(Math.sqrt(50 / 4), 14);
    expect(m.skew).toBeCloseTo(36 / Math.pow(10, 1.5), 14);
    expect(m.kurtosis).toBeCloseTo(2.788, 14);
    expect(sharpeRatio([1, 2, 3, 4, 10])).toBeCloseTo(4 / Math.sqrt(12.5), 14);
  });

  it('treats a flat series as having no Sharpe ratio and a normal shape', () => {
    expect(sharpeRatio([0, 0, 0, 0])).toBe(0);
    expect(sharpeRatio([0.01, 0.01, 0.01])).toBe(0);
    const m = moments([0, 0, 0]);
    expect([m.skew, m.kurtosis]).toEqual([0, 3]);
  });

  it('converts between per-period and annual figures', () => {
    expect(periodsPerYear(DAY_MS)).toBe(365);
    expect(annualiseSharpe(0.1, 365)).toBeCloseTo(0.1 * Math.sqrt(365), 14);
    expect(deannualiseSharpe(annualiseSharpe(0.07, 8760), 8760)).toBeCloseTo(0.07, 14);
    expect(deannualiseVariance(0.5, 250)).toBe(0.002);
  });
});

describe('returns from an equity curve', () => {
  it('measures the first bar against the starting equity', () => {
    expect(Array.from(equityReturns([110, 99, 99], 100))).toEqual([110 / 100 - 1, 99 / 110 - 1, 0]);
  });

  it('compounds hourly marks into UTC days by the bar close time', () => {
    const hour = 3600_000;
    const day0 = Date.UTC(2024, 0, 1);
    // 23:00 opens on day 0 close at 00:00 of day 1, which still ends day 0; 48 hourly bars = 2 full days.
    const ts = Array.from({ length: 48 }, (_, i) => day0 + i * hour);
    const equity = ts.map((_, i) => (i < 24 ? 100 + (i === 23 ? 10 : 0) : 121));
    const p = periodReturns(ts, equity, 100, hour);
    expect(Array.from(p.ts)).toEqual([day0, day0 + DAY_MS]);
    expect(p.returns[0]).toBeCloseTo(0.1, 14);
    expect(p.returns[1]).toBeCloseTo(0.1, 14);
  });

  it('puts a bar that opens before midnight into the day its close ends', () => {
    const hour = 3600_000;
    const day0 = Date.UTC(2024, 0, 1);
    // Bars opening 22:00 and 23:00 (closing 23:00 and 00:00) end day 0; the 00:00 bar belongs to day 1.
    const p = periodReturns([day0 + 22 * hour, day0 + 23 * hour, day0 + 24 * hour], [101, 102, 51], 100, hour);
    expect(Array.from(p.ts)).toEqual([day0, day0 + DAY_MS]);
    expect(p.returns[0]).toBeCloseTo(0.02, 14);
    expect(p.returns[1]).toBeCloseTo(-0.5, 14);
  });
});
