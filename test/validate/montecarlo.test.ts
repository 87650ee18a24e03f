import { describe, expect, it } from 'vitest';
import { createRng } from '../../src/common/rng.ts';
import { blockBootstrap, percentile, poisson, tradeBootstrap, withinExpectedRanges } from '../../src/validate/montecarlo.ts';
import { normInv } from '../../src/validate/normal.ts';

const HOUR = 3600_000;

describe('percentile and Poisson draws', () => {
  it('interpolates between order statistics (type 7)', () => {
    const s = [1, 2, 3, 4, 5];
    expect(percentile(s, 0.5)).toBe(3);
    expect(percentile(s, 0.05)).toBeCloseTo(1.2, 12);
    expect(percentile(s, 0.95)).toBeCloseTo(4.8, 12);
    expect(percentile([7], 0.3)).toBe(7);
  });

  it('draws Poisson counts with the right mean and variance, also for large means', () => {
    for (const mean of [3, 1200]) {
      const rng = createRng(mean);
      const xs = Array.from({ length: 4000 }, () => poisson(rng, mean));
      const m = xs.reduce((a, b) => a + b, 0) / xs.length;
      const v = xs.reduce((a, b) => a + (b - m) ** 2, 0) / (xs.length - 1);
      expect(Math.abs(m - mean) / Math.sqrt(mean / xs.length)).toBeLessThan(4);
      expect(v / mean).toBeGreaterThan(0.9);
      expect(v / mean).toBeLessThan(1.1);
    }
    expect(poisson(createRng(1), 0)).toBe(0);
  });
});

describe('trade bootstrap', () => {
  it('matches the Poisson count and compounding of identical trades', () => {
    // Every trade +1 %, one trade a day: over 7 days the count is Poisson(7), whose 5th and 95th
    // percentiles are 3 and 12 (CDF(2) = 0.030 < 0.05 < CDF(3) = 0.082; CDF(11) = 0.947 < 0.95 < CDF(12) = 0.973).
    const r = tradeBootstrap({ tradeReturnsPct: [1, 1, 1], sampleDays: 3, seed: 5, simulations: 4000 });
    const week = r.horizons.find((h) => h.horizonDays === 7)!;
    expect(week.tradesPerWeek.p5).toBe(3);
    expect(week.tradesPerWeek.p50).toBe(7);
    expect(week.tradesPerWeek.p95).toBe(12);
    expect(week.returnPct.p5).toBeCloseTo((1.01 ** 3 - 1) * 100, 10);
    expect(week.returnPct.p95).toBeCloseTo((1.01 ** 12 - 1) * 100, 10);
    expect(week.maxDrawdownPct.p95).toBe(0);
    expect(week.probLoss).toBe(0);
    expect(r.horizons.map((h) => h.horizonDays)).toEqual([7, 30]);
  });

  it('measures drawdown along the resampled trade sequence', () => {
    // Half the trades lose 10 %: over 30 days (≈ 30 trades) a drawdown of at least 10 % is almost certain.
    const r = tradeBootstrap({ tradeReturnsPct: [10, -10], sampleDays: 2, seed: 9 });
    const month = r.horizons[1];
    expect(month.maxDrawdownPct.p5).toBeGreaterThanOrEqual(10 - 1e-9);
    expect(month.maxDrawdownPct.p95).toBeGreaterThan(month.maxDrawdownPct.p50);
    expect(month.probLoss).toBeGreaterThan(0.5); // (1.1 × 0.9 < 1: the volatility drag makes most paths lose)
  });

  it('is reproducible for a seed', () => {
    const input = { tradeReturnsPct: [2, -1, 0.5, -3, 4], sampleDays: 10, seed: 77 };
    expect(tradeBootstrap(input)).toEqual(tradeBootstrap(input));
    expect(tradeBootstrap({ ...input, seed: 78 }).horizons[1].returnPct.p50).not.toBe(tradeBootstrap(input).horizons[1].returnPct.p50);
  });

  it('refuses an empty trade list', () => {
    expect(() => tradeBootstrap({ tradeReturnsPct: [], sampleDays: 10, seed: 1 })).toThrow(/at least one trade/);
  });
});

describe('stationary block bootstrap of returns', () => {
  it('compounds a constant return exactly', () => {
    const r = blockBootstrap({ returns: new Float64Array(100).fill(0.001), barMs: HOUR, seed: 1, simulations: 200 });
    const week = r.horizons[0];
    const expected = (1.001 ** 168 - 1) * 100;
    expect(week.returnPct.p5).toBeCloseTo(expected, 9);
    expect(week.returnPct.p95).toBeCloseTo(expected, 9);
    expect(week.maxDrawdownPct.p95).toBe(0);
    expect(r.sample.meanBlockBars).toBe(24);
  });

  it('gives the lognormal quantiles for independent returns (block length 1)', () => {
    const rng = createRng(3);
    const returns = Float64Array.from({ length: 6000 }, () => 0.01 * rng.normal());
    let m = 0, v = 0;
    const logs = Array.from(returns, (x) => Math.log1p(x));
    for (const l of logs) m += l / logs.length;
    for (const l of logs) v += (l - m) ** 2 / (logs.length - 1);
    const r = blockBootstrap({ returns, barMs: HOUR, meanBlockBars: 1, seed: 4, simulations: 4000 });
    const week = r.horizons[0];
    const h = 168;
    const q = (p: number) => (Math.exp(m * h + normInv(p) * Math.sqrt(v * h)) - 1) * 100;
    expect(Math.abs(week.returnPct.p5 - q(0.05))).toBeLessThan(1.5);
    expect(Math.abs(week.returnPct.p50 - q(0.5))).toBeLessThan(1.5);
    expect(Math.abs(week.returnPct.p95 - q(0.95))).toBeLessThan(1.5);
  });

  it('keeps serial dependence: trending runs widen the range when blocks preserve them', () => {
    // Runs of 24 bars with the same sign: a trend-following equity curve. Blocks of a day keep the runs,
    // independent draws (block 1) break them and understate the spread.
    const rng = createRng(8);
    const returns = new Float64Array(4800);
    for (let i = 0; i < returns.length; i += 24) {
      const sign = rng.next() < 0.5 ? -1 : 1;
      for (let j = 0; j < 24; j++) returns[i + j] = sign * 0.002 + 0.001 * rng.normal();
    }
    const spread = (block: number) => {
      const w = blockBootstrap({ returns, barMs: HOUR, meanBlockBars: block, seed: 2, simulations: 2000 }).horizons[0].returnPct;
      return w.p95 - w.p5;
    };
    expect(spread(24)).toBeGreaterThan(1.5 * spread(1));
  });

  it('counts trades from entry marks', () => {
    const returns = new Float64Array(24 * 60).fill(0);
    const entries = new Uint8Array(returns.length);
    for (let i = 0; i < entries.length; i += 24) entries[i] = 1; // one entry a day
    const r = blockBootstrap({ returns, entries, barMs: HOUR, seed: 6 });
    expect(r.horizons[0].tradesPerWeek.p50).toBeCloseTo(7, 0);
    expect(r.horizons[1].tradesPerWeek.p50).toBeCloseTo(7, 0);
    expect(r.sample.trades).toBe(60);
    expect(r.sample.days).toBe(60);
  });
});

describe('live results against the expected ranges', () => {
  const ranges = tradeBootstrap({ tradeReturnsPct: [2, -1, 1, -0.5, 1.5], sampleDays: 10, seed: 1 });
  it('accepts results inside the ranges and flags those outside', () => {
    const month = ranges.horizons[1];
    const ok = withinExpectedRanges(ranges, { days: 30, returnPct: month.returnPct.p50, maxDrawdownPct: month.maxDrawdownPct.p50, trades: (month.tradesPerWeek.p50 * 30) / 7 });
    expect(ok.horizonDays).toBe(30);
    expect(ok.within).toBe(true);
    const bad = withinExpectedRanges(ranges, { days: 7, returnPct: ranges.horizons[0].returnPct.p5 - 1, maxDrawdownPct: 0, trades: 3 });
    expect(bad.horizonDays).toBe(7);
    expect(bad.within).toBe(false);
    expect(bad.checks.find((c) => c.metric === 'returnPct')!.within).toBe(false);
  });
});
