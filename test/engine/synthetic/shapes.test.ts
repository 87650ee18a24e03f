// Every pattern must be recognisable: one shape check per pattern, run over several seeds and two bar
// counts and intervals (the plan lives in span time, so the same fractions hold at 300, 600 and 4,000 bars).
// SYNTH_SEEDS=N runs N seeds per case (a longer soak); the default keeps the folder fast.
import { describe, expect, it } from 'vitest';
import type { Candles } from '../../../src/data/index.ts';
import { generatePattern, PATTERN_NAMES, type PatternName } from '../../../src/engine/synthetic/index.ts';
import {
  argMax, argMin, at, bullishGaps, closeAt, correlation, directionFlips, displacements, maxOf, medianOf, minOf, realizedVol,
  share, swingHighs, swingLows, upDownVolumeRatio, windowChanges,
} from './measure.ts';

interface Ctx {
  /** Another pattern with the same seed, bars and interval (for relative checks). */
  other(p: PatternName): Candles;
}
type Check = (c: Candles, ctx: Ctx) => void;

const first = (c: Candles) => c.open[0];
const last = (c: Candles) => c.close[c.length - 1];

function trendUp(c: Candles, minGain: number, minRising: number): void {
  expect(last(c) / first(c)).toBeGreaterThan(1 + minGain);
  expect(share(windowChanges(c, 12), (x) => x > 0)).toBeGreaterThanOrEqual(minRising);
}
function trendDown(c: Candles, minLoss: number, minFalling: number): void {
  expect(last(c) / first(c)).toBeLessThan(1 - minLoss);
  expect(share(windowChanges(c, 12), (x) => x < 0)).toBeGreaterThanOrEqual(minFalling);
}
const bandRatio = (c: Candles, a = 0, b = 1) => maxOf(c.high, c, a, b) / minOf(c.low, c, a, b);
/** Largest volume in [a, b) over the median volume of [m0, m1). */
const volumeSpike = (c: Candles, a: number, b: number, m0: number, m1: number) => maxOf(c.volume, c, a, b) / medianOf(c.volume, c, m0, m1);
const inMiddleThird = (c: Candles, i: number) => i >= c.length / 3 && i <= (2 * c.length) / 3;

function vBottom(c: Candles): void {
  const i = argMin(c.low);
  expect(inMiddleThird(c, i)).toBe(true);
  expect(c.low[i] / first(c)).toBeLessThan(0.88);
  expect(last(c) / c.low[i]).toBeGreaterThan(1.15);
}
function vTop(c: Candles): void {
  const i = argMax(c.high);
  expect(inMiddleThird(c, i)).toBe(true);
  expect(c.high[i] / first(c)).toBeGreaterThan(1.12);
  expect(last(c) / c.high[i]).toBeLessThan(0.87);
}

function doubleBottom(c: Candles): void {
  const l1 = minOf(c.low, c, 0.15, 0.35);
  const l2 = minOf(c.low, c, 0.65, 0.85);
  expect(Math.abs(l1 / l2 - 1)).toBeLessThan(0.015);
  expect(minOf(c.low, c, 0, 1) / Math.min(l1, l2)).toBeGreaterThan(0.995);
  const middle = maxOf(c.close, c, 0.4, 0.6);
  expect(middle / Math.max(l1, l2)).toBeGreaterThan(1.05);
  expect(last(c)).toBeGreaterThan(middle);
}
function doubleTop(c: Candles): void {
  const h1 = maxOf(c.high, c, 0.15, 0.35);
  const h2 = maxOf(c.high, c, 0.65, 0.85);
  expect(Math.abs(h1 / h2 - 1)).toBeLessThan(0.015);
  expect(maxOf(c.high, c, 0, 1) / Math.max(h1, h2)).toBeLessThan(1.005);
  const middle = minOf(c.close, c, 0.4, 0.6);
  expect(middle / Math.min(h1, h2)).toBeLessThan(0.95);
  expect(last(c)).toBeLessThan(middle);
}

/** A range until `end`, then a sweep beyond its low (high) and a close back inside within `within` bars. */
function huntLows(c: Candles, end: number, within: number): void {
  const rangeLow = minOf(c.low, c, 0, end);
  const rangeHigh = maxOf(c.high, c, 0, end);
  let t = at(c, end);
  while (t < c.length && c.low[t] >= rangeLow * 0.995) t++;
  expect(t).toBeLessThan(at(c, end + 0.1));
  let back = -1;
  for (let k = t; k <= t + within && k < c.length; k++) if (c.close[k] > rangeLow) back = k;
  expect(back).toBeGreaterThanOrEqual(0);
  expect(last(c)).toBeGreaterThan(rangeHigh);
}
function huntHighs(c: Candles, end: number, within: number): void {
  const rangeLow = minOf(c.low, c, 0, end);
  const rangeHigh = maxOf(c.high, c, 0, end);
  let t = at(c, end);
  while (t < c.length && c.high[t] <= rangeHigh * 1.005) t++;
  expect(t).toBeLessThan(at(c, end + 0.1));
  let back = -1;
  for (let k = t; k <= t + within && k < c.length; k++) if (c.close[k] < rangeHigh) back = k;
  expect(back).toBeGreaterThanOrEqual(0);
  expect(last(c)).toBeLessThan(rangeLow);
}

function triangle(c: Candles, rising: boolean): void {
  // First and last fifths: each holds one swing to the sloping edge and one to the flat edge.
  const lowsEarly = minOf(c.low, c, 0, 0.2);
  const lowsLate = minOf(c.low, c, 0.8, 1);
  const highsEarly = maxOf(c.high, c, 0, 0.2);
  const highsLate = maxOf(c.high, c, 0.8, 1);
  if (rising) {
    expect(lowsLate / lowsEarly).toBeGreaterThan(1.03);
    expect(Math.abs(highsLate / highsEarly - 1)).toBeLessThan(0.012);
  } else {
    expect(highsLate / highsEarly).toBeLessThan(0.97);
    expect(Math.abs(lowsLate / lowsEarly - 1)).toBeLessThan(0.012);
  }
  expect(bandRatio(c)).toBeLessThan(1.1);
}

function orderBlockRetests(c: Candles): number {
  let retests = 0;
  for (const d of displacements(c, { bodyAtr: 2, volumeX: 2 })) {
    const ob = d.i - 1;
    if (d.direction !== 1 || !(c.close[ob] < c.open[ob])) continue;
    const zoneTop = c.open[ob];
    const zoneBottom = c.close[ob];
    // Price first runs away (3%+ above the zone), then a later bar trades back into the candle's body.
    let k = d.i + 1;
    while (k < c.length && c.close[k] < zoneTop * 1.03) k++;
    for (; k < Math.min(c.length, d.i + c.length / 4); k++) {
      if (c.low[k] <= zoneTop && c.close[k] >= zoneBottom * 0.995) {
        retests++;
        break;
      }
    }
  }
  return retests;
}

const CHECKS: Record<PatternName, Check> = {
  // Most (at least 8 of 12) windows go the trend's way; the pullbacks take the rest.
  trend_up_clean: (c) => trendUp(c, 0.15, 0.65),
  trend_down_clean: (c) => trendDown(c, 0.13, 0.65),
  trend_grinding: (c, ctx) => {
    trendUp(c, 0.06, 0.75);
    expect(realizedVol(c, 0, 1)).toBeLessThan(0.7 * realizedVol(ctx.other('trend_up_clean'), 0, 1));
  },
  trend_parabolic: (c) => {
    // Accelerating: the last quarter gains far more than the first.
    const early = closeAt(c, 0.25) / first(c) - 1;
    const late = last(c) / closeAt(c, 0.75) - 1;
    expect(last(c) / first(c)).toBeGreaterThan(1.3);
    expect(late).toBeGreaterThan(3 * Math.max(early, 0.01));
    expect(realizedVol(c, 0.75, 1)).toBeGreaterThan(1.5 * realizedVol(c, 0, 0.25));
  },
  trend_exhaustion: (c) => {
    const top = argMax(c.close);
    expect(top / c.length).toBeGreaterThan(0.45);
    expect(top / c.length).toBeLessThan(0.8);
    expect(c.close[top] / first(c)).toBeGreaterThan(1.12);
    expect(last(c) / c.close[top]).toBeLessThan(0.92);
    expect(realizedVol(c, 0.56, 0.74)).toBeGreaterThan(1.5 * realizedVol(c, 0.1, 0.5));
  },
  trend_stairs: (c) => {
    expect(last(c) / first(c)).toBeGreaterThan(1.15);
    for (let s = 0; s < 4; s++) {
      const u = s * 0.25;
      expect(closeAt(c, u + 0.15) / closeAt(c, u)).toBeGreaterThan(1.025);
      // The flat after each step keeps its level and its span stays narrow.
      expect(Math.abs(closeAt(c, u + 0.25) / closeAt(c, u + 0.15) - 1)).toBeLessThan(0.01);
      expect(bandRatio(c, u + 0.16, u + 0.24)).toBeLessThan(1.04);
    }
  },
  range_tight: (c, ctx) => {
    expect(bandRatio(c)).toBeLessThan(1.03);
    expect(realizedVol(c, 0, 1)).toBeLessThan(0.6 * realizedVol(ctx.other('range_wide'), 0, 1));
  },
  range_wide: (c) => {
    const ratio = bandRatio(c);
    expect(ratio).toBeGreaterThan(1.06);
    expect(ratio).toBeLessThan(1.115);
    // It swings between its edges: closes in both outer fifths of the band.
    const lo = minOf(c.low, c, 0, 1);
    const hi = maxOf(c.high, c, 0, 1);
    expect(maxOf(c.close, c, 0, 1)).toBeGreaterThan(hi - (hi - lo) / 5);
    expect(minOf(c.close, c, 0, 1)).toBeLessThan(lo + (hi - lo) / 5);
  },
  range_ascending: (c) => triangle(c, true),
  range_descending: (c) => triangle(c, false),
  reversal_v_bottom: vBottom,
  reversal_v_top: vTop,
  reversal_double_bottom: doubleBottom,
  reversal_double_top: doubleTop,
  breakout_clean: (c) => {
    const hi = maxOf(c.high, c, 0, 0.58);
    expect(hi / minOf(c.low, c, 0, 0.58)).toBeLessThan(1.05);
    expect(maxOf(c.high, c, 0.7, 1) / hi).toBeGreaterThan(1.06);
    expect(last(c) / hi).toBeGreaterThan(1.05);
    expect(volumeSpike(c, 0.59, 0.7, 0, 0.58)).toBeGreaterThan(3);
  },
  breakout_false: (c) => {
    const hi = maxOf(c.high, c, 0, 0.48);
    const lo = minOf(c.low, c, 0, 0.48);
    expect(maxOf(c.high, c, 0.5, 0.56) / hi).toBeGreaterThan(1.01);
    expect(volumeSpike(c, 0.49, 0.56, 0, 0.48)).toBeGreaterThan(2.5);
    expect(last(c) / lo).toBeLessThan(0.99);
  },
  breakout_retest: (c) => {
    const hi = maxOf(c.high, c, 0, 0.38);
    const peak = maxOf(c.close, c, 0.4, 0.5);
    expect(peak / hi).toBeGreaterThan(1.04);
    expect(volumeSpike(c, 0.39, 0.45, 0, 0.38)).toBeGreaterThan(3);
    const retest = minOf(c.low, c, 0.5, 0.62);
    expect(retest / hi).toBeGreaterThan(0.98);
    expect(retest / hi).toBeLessThan(1.02);
    expect(last(c) / peak).toBeGreaterThan(1.03);
  },
  vol_squeeze_expand: (c) => {
    const squeeze = realizedVol(c, 0.45, 0.6);
    expect(realizedVol(c, 0, 0.15)).toBeGreaterThan(2 * squeeze);
    expect(realizedVol(c, 0.61, 0.8)).toBeGreaterThan(3 * squeeze);
    expect(last(c) / first(c)).toBeGreaterThan(1.08);
  },
  vol_spike_recover: (c) => {
    const pre = closeAt(c, 0.39);
    const i = argMin(c.low);
    expect(i / c.length).toBeGreaterThan(0.38);
    expect(i / c.length).toBeLessThan(0.5);
    expect(c.low[i] / pre).toBeLessThan(0.87);
    expect(closeAt(c, 0.65) / pre).toBeGreaterThan(0.95);
    expect(last(c) / pre).toBeGreaterThan(0.93);
    expect(volumeSpike(c, 0.4, 0.45, 0, 0.38)).toBeGreaterThan(3);
  },
  vol_spike_continue: (c) => {
    const pre = closeAt(c, 0.39);
    const after = closeAt(c, 0.47);
    expect(after / pre).toBeLessThan(0.9);
    expect(last(c) / after).toBeLessThan(0.97);
    expect(maxOf(c.close, c, 0.5, 1) / pre).toBeLessThan(0.92);
    expect(volumeSpike(c, 0.4, 0.46, 0, 0.38)).toBeGreaterThan(3);
  },
  vol_decay: (c) => {
    expect(realizedVol(c, 0, 0.2)).toBeGreaterThan(4 * realizedVol(c, 0.8, 1));
  },
  liquidity_hunt_lows: (c) => huntLows(c, 0.5, 4),
  liquidity_hunt_highs: (c) => huntHighs(c, 0.5, 4),
  choppy_whipsaw: (c) => {
    expect(bandRatio(c)).toBeLessThan(1.13);
    expect(directionFlips(c, 30)).toBeGreaterThanOrEqual(8);
    expect(Math.abs(last(c) / first(c) - 1)).toBeLessThan(0.06);
  },
  accumulation: (c, ctx) => {
    expect(last(c) / first(c)).toBeGreaterThan(1.025);
    expect(upDownVolumeRatio(c)).toBeGreaterThan(1.2);
    expect(realizedVol(c, 0, 1)).toBeLessThan(0.7 * realizedVol(ctx.other('trend_up_clean'), 0, 1));
  },
  distribution: (c, ctx) => {
    expect(last(c) / first(c)).toBeLessThan(0.975);
    expect(upDownVolumeRatio(c)).toBeLessThan(1 / 1.2);
    expect(realizedVol(c, 0, 1)).toBeLessThan(0.7 * realizedVol(ctx.other('trend_up_clean'), 0, 1));
  },
  mtf_aligned_bull: (c) => {
    expect(last(c) / first(c)).toBeGreaterThan(1.15);
    expect(share(windowChanges(c, 4), (x) => x > 0)).toBe(1);
    expect(share(windowChanges(c, 10), (x) => x > 0)).toBeGreaterThanOrEqual(0.7);
    expect(share(windowChanges(c, 20), (x) => x > 0)).toBeGreaterThanOrEqual(0.6);
  },
  mtf_aligned_bear: (c) => {
    expect(last(c) / first(c)).toBeLessThan(0.87);
    expect(share(windowChanges(c, 4), (x) => x < 0)).toBe(1);
    expect(share(windowChanges(c, 10), (x) => x < 0)).toBeGreaterThanOrEqual(0.7);
    expect(share(windowChanges(c, 20), (x) => x < 0)).toBeGreaterThanOrEqual(0.6);
  },
  mtf_pullback_bull: (c) => {
    expect(last(c) / first(c)).toBeGreaterThan(1.15);
    const before = maxOf(c.close, c, 0.3, 0.42);
    const dip = minOf(c.close, c, 0.42, 0.58);
    expect(dip / before).toBeLessThan(0.975);
    expect(dip / first(c)).toBeGreaterThan(1.01);
  },
  mtf_pullback_bear: (c) => {
    expect(last(c) / first(c)).toBeLessThan(0.87);
    const before = minOf(c.close, c, 0.3, 0.42);
    const rally = maxOf(c.close, c, 0.42, 0.58);
    expect(rally / before).toBeGreaterThan(1.025);
    expect(rally / first(c)).toBeLessThan(0.99);
  },
  displacement_impulse: (c) => {
    // The five planted impulses, measured strictly (noise makes a few 2-3 ATR candles of its own).
    const d = displacements(c, { bodyAtr: 4 });
    expect(d.length).toBeGreaterThanOrEqual(5);
    expect(d.length).toBeLessThanOrEqual(6);
    expect(d.filter((x) => x.direction === 1).length).toBeGreaterThanOrEqual(4);
    expect(d.filter((x) => x.direction === -1).length).toBeGreaterThanOrEqual(1);
  },
  trending_with_gaps: (c) => {
    expect(bullishGaps(c, 0.003).length).toBeGreaterThanOrEqual(5);
    expect(last(c) / first(c)).toBeGreaterThan(1.15);
  },
  equal_highs_lows: (c) => {
    const w = Math.round(c.length / 20);
    const highs = swingHighs(c, 0, 0.7, w).slice(0, 3).map((h) => h[1]);
    const lows = swingLows(c, 0, 0.7, w).slice(0, 3).map((l) => l[1]);
    expect(highs).toHaveLength(3);
    expect(lows).toHaveLength(3);
    expect(Math.max(...highs) / Math.min(...highs)).toBeLessThan(1.0005);
    expect(Math.max(...lows) / Math.min(...lows)).toBeLessThan(1.0005);
    // Then a run above the equal highs, and a drop through the equal lows.
    expect(maxOf(c.high, c, 0.7, 0.8) / Math.max(...highs)).toBeGreaterThan(1.005);
    expect(last(c) / Math.min(...lows)).toBeLessThan(0.99);
  },
  ob_retest: (c) => {
    expect(orderBlockRetests(c)).toBeGreaterThanOrEqual(4);
    expect(last(c) / first(c)).toBeGreaterThan(1.08);
  },
  trending: (c) => {
    const top = argMax(c.close) / c.length;
    expect(top).toBeGreaterThan(0.35);
    expect(top).toBeLessThan(0.7);
    expect(last(c) / first(c)).toBeGreaterThan(1.05);
    expect(last(c) / maxOf(c.close, c, 0, 1)).toBeLessThan(0.95);
  },
  ranging: (c) => {
    expect(bandRatio(c)).toBeLessThan(1.105);
    expect(Math.abs(last(c) / first(c) - 1)).toBeLessThan(0.045);
  },
  volatile: (c, ctx) => {
    expect(realizedVol(c, 0, 1)).toBeGreaterThan(2 * realizedVol(ctx.other('ranging'), 0, 1));
    let shocks = 0;
    for (let i = 1; i < c.length; i++) if (Math.abs(Math.log(c.close[i] / c.close[i - 1])) > 0.02) shocks++;
    expect(shocks).toBeGreaterThanOrEqual(4);
  },
  multi_tf_aligned: (c) => {
    const logs = Array.from(c.close, (x) => Math.log(x));
    const wave = logs.map((_, i) => Math.sin((4 * Math.PI * i) / (c.length - 1)));
    expect(correlation(logs, wave)).toBeGreaterThan(0.8);
  },
};

const seedCount = Number(process.env.SYNTH_SEEDS ?? 0);
const CASES: Array<{ bars: number; interval: string; seeds: number[] }> = [
  { bars: 600, interval: '1h', seeds: Array.from({ length: seedCount || 6 }, (_, k) => k + 1) },
  { bars: 4000, interval: '15m', seeds: Array.from({ length: seedCount ? Math.ceil(seedCount / 3) : 2 }, (_, k) => 100 + k) },
  { bars: 300, interval: 'D', seeds: Array.from({ length: seedCount ? Math.ceil(seedCount / 3) : 2 }, (_, k) => 200 + k) },
];

describe('pattern shapes', () => {
  it('has a shape check for every pattern', () => {
    expect(Object.keys(CHECKS).sort()).toEqual([...PATTERN_NAMES].sort());
  });
  for (const { bars, interval, seeds } of CASES) {
    for (const pattern of PATTERN_NAMES) {
      it(`${pattern} is recognisable (${bars} x ${interval}, seeds ${seeds[0]}..${seeds[seeds.length - 1]})`, () => {
        for (const seed of seeds) {
          const gen = (p: PatternName) => generatePattern(p, { bars, seed, interval });
          try {
            CHECKS[pattern](gen(pattern), { other: gen });
          } catch (e) {
            (e as Error).message = `seed ${seed}: ${(e as Error).message}`;
            throw e;
          }
        }
      });
    }
  }
});
