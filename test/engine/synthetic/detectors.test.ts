// The ICT patterns exist for structure plays: the project's own detectors (compiled through the engine, as
// a --synthetic backtest will run them) must see the planted displacements, gaps and sweeps, and must not
// see planted-size displacements where none were planted.
import { describe, expect, it } from 'vitest';
import { loadPlay } from '../../../src/dsl/index.ts';
import { compilePlay, type CompiledPlay } from '../../../src/engine/index.ts';
import { syntheticDataForPlay, type PatternName } from '../../../src/engine/synthetic/index.ts';

const cache = new Map<string, CompiledPlay>();

/** 60 daily bars of span on 1h exec bars (1,440 bars), the detectors on the exec timeframe. */
function compiled(pattern: PatternName, seed: number): CompiledPlay {
  const key = `${pattern}/${seed}`;
  const hit = cache.get(key);
  if (hit) return hit;
  const { play, errors } = loadPlay(`name: ict_probe
timeframes: { low_tf: "1h", med_tf: "4h", high_tf: "D", exec: low_tf }
features:
  atr: { indicator: atr, params: { length: 14 } }
structures:
  exec:
    - { type: swing, key: swing, params: { left: 5, right: 5 } }
    - { type: displacement, key: disp, params: { atr_key: atr, body_atr_min: 3, wick_ratio_max: 0.25 } }
    - { type: fair_value_gap, key: fvg, params: { atr_key: atr, min_gap_atr: 2 } }
    - { type: liquidity_zones, key: liq, uses: swing, params: { atr_key: atr } }
actions:
  entry_long:
    all:
      - [close, ">", open]
validation: { pattern: ${pattern}, bars: 60 }
`);
  expect(errors).toEqual([]);
  const d = syntheticDataForPlay(play!, { seed });
  const c = compilePlay(play!, { exec: d.candles, execInterval: d.interval });
  cache.set(key, c);
  return c;
}

const countWhere = (c: CompiledPlay, field: string, value: number, also?: [string, number]): number => {
  const col = c.column(field);
  const other = also ? c.column(also[0]) : undefined;
  let k = 0;
  for (let i = 0; i < c.n; i++) if (col[i] === value && (!other || other[i] === also![1])) k++;
  return k;
};

const SEEDS = [1, 2];

describe('the structure detectors recognise the ICT patterns', () => {
  it('displacement: the five planted impulses, four order-block displacements, none in quiet patterns', () => {
    for (const seed of SEEDS) {
      const planted = countWhere(compiled('displacement_impulse', seed), 'disp.is_displacement', 1);
      expect(planted).toBeGreaterThanOrEqual(5);
      expect(planted).toBeLessThanOrEqual(6);
      expect(countWhere(compiled('ob_retest', seed), 'disp.is_displacement', 1)).toBeGreaterThanOrEqual(4);
      for (const quiet of ['range_tight', 'trend_grinding', 'equal_highs_lows'] as const) {
        expect(countWhere(compiled(quiet, seed), 'disp.is_displacement', 1)).toBe(0);
      }
    }
  });

  it('fair_value_gap: trending_with_gaps leaves its six bullish gaps of 2+ ATR; other patterns none', () => {
    for (const seed of SEEDS) {
      const bullish = (p: PatternName) => countWhere(compiled(p, seed), 'fvg.new_this_bar', 1, ['fvg.new_direction', 1]);
      expect(bullish('trending_with_gaps')).toBe(6);
      for (const other of ['range_tight', 'range_wide', 'trend_up_clean'] as const) expect(bullish(other)).toBe(0);
    }
  });

  it.each([
    ['liquidity_hunt_lows', 0.52, -1, 0.97],
    ['liquidity_hunt_highs', 0.52, 1, 1 / 0.97],
    ['equal_highs_lows', 0.76, 1, 1.03],
  ] as const)('liquidity_zones: %s is swept at its planted bar and level', (pattern, u, direction, levelRatio) => {
    for (const seed of SEEDS) {
      const c = compiled(pattern, seed);
      const bar = Math.ceil(u * (c.n - 1));
      const sweep = c.column('liq.sweep_this_bar');
      const dir = c.column('liq.sweep_direction');
      const level = c.column('liq.swept_level');
      const start = c.exec.open[0];
      const hit = [bar, bar + 1].find((i) => sweep[i] === 1 && dir[i] === direction);
      expect(hit, `seed ${seed}: no ${direction} sweep at bar ${bar}`).toBeDefined();
      expect(Math.abs(level[hit!] / (start * levelRatio) - 1)).toBeLessThan(0.004);
    }
  });
});
