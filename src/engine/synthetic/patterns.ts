// TRADE's 38 named market patterns (docs/dsl/patterns.md) as plans: waypoints in span time, regimes of
// activity and volume, and bar events (jumps, sweeps, touches). Levels are fractions of the start price.
// Each plan draws a few magnitudes from the seed (k about 0.85-1.15) so seeds differ in shape, not only in
// noise, while every seed keeps the pattern's defining features.
import type { Rng } from '../../common/rng.ts';
import { SYNTHETIC_PATTERNS } from '../../dsl/index.ts';
import { mirrorPlan, PlanBuilder, type Plan } from './plan.ts';

/** The pattern names are the DSL's (a play's `synthetic.pattern` / `validation.pattern` is checked against them). */
export const PATTERN_NAMES = SYNTHETIC_PATTERNS;

export type PatternName = (typeof PATTERN_NAMES)[number];

export type PatternFamily = 'trend' | 'range' | 'reversal' | 'breakout' | 'volatility' | 'liquidity' | 'multi_tf' | 'ict' | 'legacy';

export interface PatternInfo {
  family: PatternFamily;
  description: string;
}

export function isPatternName(v: unknown): v is PatternName {
  return typeof v === 'string' && (PATTERN_NAMES as readonly string[]).includes(v);
}

interface PatternDef extends PatternInfo {
  plan(rng: Rng): Plan;
}

/** A magnitude factor drawn from the seed. */
const jit = (rng: Rng, spread = 0.15): number => 1 - spread + 2 * spread * rng.next();

function trendUpClean(rng: Rng): Plan {
  const k = jit(rng);
  return new PlanBuilder({ vol: 0.008, tau: 0.03 })
    .move(0.31, 0.09 * k)
    .move(0.05, 0.068 * k, { shape: 'smooth', volume: 0.8 })
    .move(0.3, 0.17 * k)
    .move(0.05, 0.148 * k, { shape: 'smooth', volume: 0.8 })
    .move(0.29, 0.24 * k)
    .finish();
}

function trendStairs(rng: Rng): Plan {
  const k = jit(rng);
  const b = new PlanBuilder({ vol: 0.008, tau: 0.02 });
  for (let s = 1; s <= 4; s++) b.move(0.15, 0.055 * s * k, { act: 1.1, volume: 1.3 }).hold(0.1, { act: 0.5, volume: 0.7 });
  return b.finish();
}

function rangeAscending(rng: Rng): Plan {
  const k = jit(rng, 0.1);
  const top = 0.04;
  const bottom1 = 0.025 * k;
  const mid1 = (top + bottom1) / 2;
  return new PlanBuilder({ vol: 0.006, tau: 0.012 })
    .move(1, mid1, { waves: [{ amp: [0.036, (top - bottom1) / 2 - 0.002], cycles: 4.5 }] })
    .band(0, 1, [-top, bottom1 - 0.002], top, { closePad: 0.002, wickPad: 0.003 })
    .finish();
}

function vBottom(rng: Rng): Plan {
  const k = jit(rng);
  return new PlanBuilder({ vol: 0.01, tau: 0.03 })
    .move(0.5, -0.2 * k, { shape: 'accel', act: [1, 1.5], volume: [1, 1.8] })
    .move(0.5, 0.02 * k, { shape: 'decel', act: [1.5, 1], volume: [1.8, 1] })
    .finish();
}

function doubleBottom(rng: Rng): Plan {
  const k = jit(rng);
  const low = -0.15 * k;
  const b = new PlanBuilder({ vol: 0.008, tau: 0.02 });
  b.move(0.25, low, { shape: 'decel', volume: [1, 1.4] }).touch(b.at, 'low', low - 0.004);
  b.move(0.25, low + 0.08, { shape: 'smooth' }).move(0.25, low, { shape: 'smooth', volume: [1, 1.2] }).touch(b.at, 'low', low - 0.004);
  b.move(0.25, 0.03 * k, { shape: 'accel', volume: [1.2, 1.5] });
  // The support both lows rest on: nothing trades more than 0.4% below it, the touches mark it exactly.
  return b.band(0, b.at, (1 + low) * 1.002 - 1, 5, { closePad: 0.002, wickPad: 0.006 }).finish();
}

const RANGE_HALF = 0.02;

/** A quiet range of +-2% that lasts `span`, banded so its edges are clean. */
function quietRange(b: PlanBuilder, span: number): PlanBuilder {
  b.hold(span, { act: 0.8, volume: 0.9, waves: [{ amp: 0.014, cycles: 3 }] });
  return b.band(0, b.at - 0.001, -RANGE_HALF, RANGE_HALF, { closePad: 0.002, wickPad: 0.003 });
}

function breakoutClean(rng: Rng): Plan {
  const k = jit(rng);
  return quietRange(new PlanBuilder({ vol: 0.008, tau: 0.02 }), 0.6)
    .jump(0.025 * k, { volume: 3 })
    .move(0.08, 0.075 * k, { act: 1.5, volume: [2.2, 1.5] })
    .move(0.32, 0.15 * k, { act: 1.1, volume: 1.2 })
    .finish();
}

function breakoutFalse(rng: Rng): Plan {
  const k = jit(rng);
  return quietRange(new PlanBuilder({ vol: 0.008, tau: 0.02 }), 0.5)
    .jump(0.02 * k, { volume: 2.5 })
    .move(0.04, 0.04 * k, { act: 1.4, volume: 1.8 })
    .move(0.16, -0.045 * k, { act: 1.6, volume: [2, 1.4] })
    .move(0.3, -0.06 * k, { act: 1, volume: 1 })
    .finish();
}

function breakoutRetest(rng: Rng): Plan {
  const k = jit(rng);
  const b = quietRange(new PlanBuilder({ vol: 0.008, tau: 0.02 }), 0.4)
    .jump(0.02 * k, { volume: 3.5 })
    .move(0.08, 0.075 * k, { act: 1.5, volume: [2.2, 1.4] });
  const from = b.at;
  b.move(0.12, RANGE_HALF + 0.004, { shape: 'smooth', act: 0.8, volume: 0.9 });
  // The old range top now holds as support through the retest.
  b.band(from, b.at + 0.03, RANGE_HALF, 5, { closePad: 0.002, wickPad: 0.003 });
  return b.move(0.4, 0.16 * k, { act: 1.1, volume: 1.2 }).finish();
}

function squeezeExpand(rng: Rng): Plan {
  const k = jit(rng);
  return new PlanBuilder({ vol: 0.012, tau: 0.03 })
    .move(0.6, 0.01, { act: [1, 0.15], volume: [1, 0.6] })
    .jump(0.02 * k, { volume: 3 })
    .move(0.15, 0.1 * k, { act: 2.5, volume: [2.5, 1.8] })
    .move(0.25, 0.13 * k, { act: 1.6, volume: 1.3 })
    .finish();
}

function spikeRecover(rng: Rng): Plan {
  const k = jit(rng);
  return new PlanBuilder({ vol: 0.01, tau: 0.03 })
    .hold(0.4)
    .move(0.04, -0.18 * k, { act: 3, volume: [4, 3] })
    .move(0.16, 0, { shape: 'decel', act: [2, 1.2], volume: [2, 1.2] })
    .hold(0.4)
    .finish();
}

function spikeContinue(rng: Rng): Plan {
  const k = jit(rng);
  return new PlanBuilder({ vol: 0.01, tau: 0.03 })
    .hold(0.4)
    .move(0.06, -0.18 * k, { act: 3, volume: [4, 3] })
    .move(0.54, -0.25 * k, { act: 1.5, volume: 1.4 })
    .finish();
}

/** Range +-3% whose floor is touched three times (the stops pile up there), a run below it, then a rally. */
function huntLows(rng: Rng): Plan {
  const k = jit(rng);
  const floor = -0.03;
  const b = new PlanBuilder({ vol: 0.008, tau: 0.015 });
  const span = 0.45;
  const cycles = 3.5;
  b.hold(span, { waves: [{ amp: 0.022, cycles }] });
  for (let m = 0; m < 3; m++) b.touch((span * (0.75 + m)) / cycles, 'low', floor);
  b.move(0.07, -0.02, { shape: 'smooth' });
  // Wicks stay a hair inside the band, so the touches ARE the range's extremes until the sweep.
  b.band(0, b.at + 0.01, floor, 0.03, { closePad: 0.003, wickPad: -0.0006 });
  b.sweep('low', floor, 0.018 * k, { volume: 3 });
  return b.move(0.13, 0.03, { shape: 'decel', act: 1.4, volume: 1.6 }).move(0.35, 0.1 * k, { act: 1.1, volume: 1.2 }).finish();
}

function choppy(rng: Rng): Plan {
  const b = new PlanBuilder({ vol: 0.008, tau: 0.01 });
  const swings = 12 + rng.int(5);
  for (let s = 0; s < swings; s++) {
    const size = 0.01 + 0.03 * rng.next();
    b.move(0.7 + 0.6 * rng.next(), s % 2 === 0 ? size : -size, { shape: 'smooth', act: 1.3, volume: 1.2 });
  }
  b.move(0.8, 0, { shape: 'smooth', act: 1.3, volume: 1.2 });
  return b.band(0, b.at, -0.055, 0.055, { closePad: 0.004, wickPad: 0.004 }).finish();
}

function accumulation(rng: Rng): Plan {
  const k = jit(rng);
  return new PlanBuilder({ vol: 0.006, tau: 0.02 })
    .move(1, 0.06 * k, { act: 0.5, volume: [0.8, 1.4], waves: [{ amp: 0.006, cycles: 4 }] })
    .withVolumeBias(0.3)
    .finish();
}

function mtfAlignedBull(rng: Rng): Plan {
  const k = jit(rng);
  return new PlanBuilder({ vol: 0.008, tau: 0.03 })
    .move(1, 0.22 * k, { waves: [{ amp: 0.01, cycles: 2 }, { amp: 0.002, cycles: 8 }] })
    .finish();
}

function mtfPullbackBull(rng: Rng): Plan {
  const k = jit(rng);
  return new PlanBuilder({ vol: 0.008, tau: 0.03 })
    .move(0.4, 0.085 * k)
    .move(0.1, 0.045 * k, { shape: 'smooth', volume: 0.9 })
    .move(0.1, 0.125 * k, { shape: 'smooth', volume: 1.1 })
    .move(0.4, 0.22 * k)
    .finish();
}

/** Consolidations broken by single impulsive candles (large body, tiny wicks, volume spike). */
function displacementImpulse(rng: Rng): Plan {
  const k = jit(rng);
  const b = new PlanBuilder({ vol: 0.006, tau: 0.02 });
  b.hold(0.12, { act: 0.7 });
  for (const size of [0.032, 0.03, -0.028, 0.034, 0.03]) {
    b.jump(size * k, { volume: 3.5, minSigmas: 10 });
    b.move(0.03, b.levelPct + Math.sign(size) * 0.006, { act: 1.1, volume: 1.3 });
    b.hold(0.14, { act: 0.7, volume: 0.9 });
  }
  return b.finish();
}

/** An up-trend whose impulses leave bullish three-candle fair-value gaps. */
function trendingWithGaps(rng: Rng): Plan {
  const k = jit(rng);
  const b = new PlanBuilder({ vol: 0.008, tau: 0.03 });
  for (let g = 0; g < 6; g++) {
    b.move(0.13, b.levelPct + 0.015 * k);
    b.jump(0.022 * k, { gap: true, volume: 2.5, minSigmas: 6 });
  }
  return b.move(0.22, b.levelPct + 0.03 * k).finish();
}

/** Three equal highs and three equal lows, a run above the highs, then a drop through the lows. */
function equalHighsLows(rng: Rng): Plan {
  const k = jit(rng);
  const top = 0.03;
  const b = new PlanBuilder({ vol: 0.006, tau: 0.012 });
  const span = 0.7;
  const cycles = 3;
  b.hold(span, { waves: [{ amp: 0.026, cycles }] });
  for (let m = 0; m < cycles; m++) {
    b.touch((span * (0.25 + m)) / cycles, 'high', top);
    b.touch((span * (0.75 + m)) / cycles, 'low', -top);
  }
  b.move(0.06, 0.022, { shape: 'smooth' });
  b.band(0, b.at - 0.001, -top, top, { closePad: 0.004, wickPad: -0.0006 });
  b.sweep('high', top, 0.012 * k, { volume: 3 });
  return b.move(0.24, -0.07 * k, { act: 1.3, volume: 1.4 }).finish();
}

/** Four times: a bearish candle, a bullish displacement from it, a run, and a pull back into that candle's body. */
function obRetest(rng: Rng): Plan {
  const k = jit(rng);
  const b = new PlanBuilder({ vol: 0.007, tau: 0.02 });
  b.hold(0.08, { act: 0.7 });
  for (let m = 0; m < 4; m++) {
    const top = b.levelPct;
    b.jump(-0.008, { volume: 1.2 });
    const bottom = b.levelPct;
    b.jump(0.03 * k, { volume: 4, minSigmas: 8, absorb: true });
    b.move(0.05, b.levelPct + 0.02 * k, { act: 1.2, volume: 1.3 });
    b.move(0.07, (top + bottom) / 2, { shape: 'smooth', act: 0.8, volume: 0.8 });
    b.move(0.1, b.levelPct + 0.035 * k, { shape: 'decel', act: 1.1, volume: 1.1 });
  }
  return b.move(0.04, b.levelPct + 0.01 * k).finish();
}

function volatile(rng: Rng): Plan {
  const b = new PlanBuilder({ vol: 0.025, tau: 0.1 });
  for (let m = 0; m < 6; m++) {
    b.hold(0.12 + 0.08 * rng.next(), { act: 2.5, volume: 1.4, pin: false });
    const size = (0.025 + 0.025 * rng.next()) * (rng.next() < 0.5 ? -1 : 1);
    b.jump(size, { volume: 3 });
  }
  return b.hold(0.15, { act: 2.5, volume: 1.4, pin: false }).finish();
}

const PATTERNS: Record<PatternName, PatternDef> = {
  trend_up_clean: { family: 'trend', description: 'steady up-trend with two shallow pullbacks', plan: trendUpClean },
  trend_down_clean: { family: 'trend', description: 'steady down-trend with two shallow rallies', plan: (r) => mirrorPlan(trendUpClean(r)) },
  trend_grinding: {
    family: 'trend', description: 'slow, low-volatility grind up',
    plan: (r) => new PlanBuilder({ vol: 0.005, tau: 0.05 }).move(1, 0.1 * jit(r), { act: 0.5, volume: 0.8 }).finish(),
  },
  trend_parabolic: {
    family: 'trend', description: 'accelerating up-trend (blow-off), volatility and volume rising',
    plan: (r) => new PlanBuilder({ vol: 0.008, tau: 0.03 }).move(1, 0.45 * jit(r), { shape: 'accel', act: [0.6, 2], volume: [0.8, 2.5] }).finish(),
  },
  trend_exhaustion: {
    family: 'trend', description: 'up-trend that stalls in wide chop, then reverses down',
    plan: (r) => {
      const k = jit(r);
      return new PlanBuilder({ vol: 0.01, tau: 0.03 })
        .move(0.55, 0.2 * k, { act: [1, 1.3], volume: [1, 1.3] })
        .hold(0.2, { act: 2.2, volume: 1.6, waves: [{ amp: 0.025, cycles: 2.5 }] })
        .move(0.25, 0.06 * k, { act: 1.3, volume: 1.2 })
        .finish();
    },
  },
  trend_stairs: { family: 'trend', description: 'four legs up, each followed by a flat consolidation', plan: trendStairs },
  range_tight: {
    family: 'range', description: 'tight +-1.2% range, low volatility',
    plan: (r) =>
      new PlanBuilder({ vol: 0.004, tau: 0.01 })
        .hold(1, { act: 0.5, volume: 0.8, waves: [{ amp: 0.007 * jit(r), cycles: 5 }] })
        .band(0, 1, -0.012, 0.012, { closePad: 0.001, wickPad: 0.002 })
        .finish(),
  },
  range_wide: {
    family: 'range', description: 'wide +-5% range swinging between its edges',
    plan: (r) =>
      new PlanBuilder({ vol: 0.012, tau: 0.015 })
        .hold(1, { act: 1.2, waves: [{ amp: 0.035 * jit(r, 0.1), cycles: 4 }] })
        .band(0, 1, -0.05, 0.05, { closePad: 0.003, wickPad: 0.004 })
        .finish(),
  },
  range_ascending: { family: 'range', description: 'ascending triangle: flat resistance, rising support', plan: rangeAscending },
  range_descending: { family: 'range', description: 'descending triangle: flat support, falling resistance', plan: (r) => mirrorPlan(rangeAscending(r)) },
  reversal_v_bottom: { family: 'reversal', description: 'accelerating fall to a sharp low in the middle, then a rise back', plan: vBottom },
  reversal_v_top: { family: 'reversal', description: 'accelerating rise to a sharp high in the middle, then a fall back', plan: (r) => mirrorPlan(vBottom(r)) },
  reversal_double_bottom: { family: 'reversal', description: 'W: two equal lows at 1/4 and 3/4 of the span, then a rally', plan: doubleBottom },
  reversal_double_top: { family: 'reversal', description: 'M: two equal highs at 1/4 and 3/4 of the span, then a decline', plan: (r) => mirrorPlan(doubleBottom(r)) },
  breakout_clean: { family: 'breakout', description: 'quiet range, breakout candle on high volume, follow-through', plan: breakoutClean },
  breakout_false: { family: 'breakout', description: 'range, break above on volume, reversal down through the range floor', plan: breakoutFalse },
  breakout_retest: { family: 'breakout', description: 'range, breakout, pullback to the old range top, continuation', plan: breakoutRetest },
  vol_squeeze_expand: { family: 'volatility', description: 'volatility contracts to a squeeze, then expands with an up move', plan: squeezeExpand },
  vol_spike_recover: { family: 'volatility', description: 'flash crash on a volume spike, then a V recovery', plan: spikeRecover },
  vol_spike_continue: { family: 'volatility', description: 'crash on a volume spike, then continued selling', plan: spikeContinue },
  vol_decay: {
    family: 'volatility', description: 'high volatility settling to low volatility, no trend',
    plan: () =>
      new PlanBuilder({ vol: 0.02, tau: 0.1 })
        .hold(0.5, { act: [3, 0.5], volume: [1.8, 0.9], pin: false })
        .hold(0.5, { act: [0.5, 0.15], volume: [0.9, 0.7], pin: false })
        .finish(),
  },
  liquidity_hunt_lows: { family: 'liquidity', description: 'range, stop run below its lows, close back inside, rally', plan: huntLows },
  liquidity_hunt_highs: { family: 'liquidity', description: 'range, stop run above its highs, close back inside, drop', plan: (r) => mirrorPlan(huntLows(r)) },
  choppy_whipsaw: { family: 'liquidity', description: 'frequent direction changes inside +-5%, no trend', plan: choppy },
  accumulation: { family: 'liquidity', description: 'quiet drift up, volume heavier on up bars and rising', plan: accumulation },
  distribution: { family: 'liquidity', description: 'quiet drift down, volume heavier on down bars and rising', plan: (r) => mirrorPlan(accumulation(r)) },
  mtf_aligned_bull: { family: 'multi_tf', description: 'up-trend with small waves on two scales, all timeframes up', plan: mtfAlignedBull },
  mtf_aligned_bear: { family: 'multi_tf', description: 'down-trend with small waves on two scales, all timeframes down', plan: (r) => mirrorPlan(mtfAlignedBull(r)) },
  mtf_pullback_bull: { family: 'multi_tf', description: 'higher-timeframe up-trend with a lower-timeframe pullback mid-span', plan: mtfPullbackBull },
  mtf_pullback_bear: { family: 'multi_tf', description: 'higher-timeframe down-trend with a lower-timeframe rally mid-span', plan: (r) => mirrorPlan(mtfPullbackBull(r)) },
  displacement_impulse: { family: 'ict', description: 'consolidations broken by five displacement candles (four up, one down)', plan: displacementImpulse },
  trending_with_gaps: { family: 'ict', description: 'up-trend whose six impulses leave bullish fair-value gaps', plan: trendingWithGaps },
  equal_highs_lows: { family: 'ict', description: 'three equal highs and lows, a sweep above the highs, then a drop', plan: equalHighsLows },
  ob_retest: { family: 'ict', description: 'bearish candle, bullish displacement, retrace into the order block, four times', plan: obRetest },
  trending: {
    family: 'legacy', description: 'up 20% in the first half, giving back half of it in the second',
    plan: (r) => {
      const k = jit(r);
      return new PlanBuilder({ vol: 0.01, tau: 0.03 }).move(0.5, 0.2 * k).move(0.5, 0.1 * k).finish();
    },
  },
  ranging: {
    family: 'legacy', description: 'mean-reverting +-4.5% range',
    plan: (r) =>
      new PlanBuilder({ vol: 0.01, tau: 0.015 })
        .hold(1, { waves: [{ amp: 0.02 * jit(r), cycles: 3 }] })
        .band(0, 1, -0.045, 0.045, { closePad: 0.003, wickPad: 0.004 })
        .finish(),
  },
  volatile: { family: 'legacy', description: 'high-volatility random walk with six price shocks', plan: volatile },
  multi_tf_aligned: {
    family: 'legacy', description: 'two large waves with eight smaller waves on top',
    plan: (r) => {
      const k = jit(r, 0.1);
      return new PlanBuilder({ vol: 0.008, tau: 0.02 }).hold(1, { waves: [{ amp: 0.12 * k, cycles: 2 }, { amp: 0.04 * k, cycles: 8 }] }).finish();
    },
  },
};

/** Family and one-line description of every pattern, in catalog order. */
export const PATTERN_INFO: Readonly<Record<PatternName, PatternInfo>> = Object.freeze(
  Object.fromEntries(PATTERN_NAMES.map((n) => [n, { family: PATTERNS[n].family, description: PATTERNS[n].description }])) as Record<PatternName, PatternInfo>,
);

export function planPattern(name: PatternName, rng: Rng): Plan {
  return PATTERNS[name].plan(rng);
}
