import { describe, expect, it } from 'vitest';
import { barsWhere, candles, col, constant, run, zigzag } from './helpers.ts';

// ATR is a constant 1 throughout.
//   bar 1: small bearish candle (body 10..10.1); bar 2: bullish displacement -> bullish OB [10, 10.1]
//   bar 4: low 10.05 <= 10.1 with close above 10 -> the bullish OB is mitigated (body 0.7: no displacement)
//   bar 5: small bullish candle (10.5..10.7); bar 6: bearish displacement -> bearish OB [10.5, 10.7]
//   bar 7: close 10.8 > 10.7 -> the bearish OB is invalidated; bar 7 is itself a bullish displacement whose last
//          opposing candle is bar 6 -> bullish OB [8.7, 10.7]
//   bar 8: low 10.6 touches both [10.5, 10.7] zones from above
const INPUT = candles([
  [10, 10.2, 9.8, 10.1],
  [10.1, 10.2, 9.9, 10],
  [10, 12.1, 9.95, 12],
  [12, 12.3, 11.8, 12.2],
  [12.2, 12.25, 10.05, 11.5],
  [10.5, 10.8, 10.4, 10.7],
  [10.7, 10.75, 8.6, 8.7],
  [8.7, 10.9, 8.6, 10.8],
  [10.8, 11, 10.6, 10.9],
]);
const ATR = { atr: constant(INPUT.length, 1) };
const OB = run('order_block', INPUT, { atr_key: 'atr' }, {}, ATR);

describe('order_block', () => {
  it('takes the last opposing candle before a displacement', () => {
    expect(barsWhere(OB, 'new_this_bar')).toEqual([2, 6, 7]);
    expect(col(OB, 'new_direction')).toEqual([0, 0, 1, 0, 0, 0, -1, 1, 0]);
    expect([col(OB, 'new_lower')[2], col(OB, 'new_upper')[2]]).toEqual([10, 10.1]);
    expect([col(OB, 'new_lower')[6], col(OB, 'new_upper')[6]]).toEqual([10.5, 10.7]);
    expect([col(OB, 'new_lower')[7], col(OB, 'new_upper')[7]]).toEqual([8.7, 10.7]);
    expect(col(OB, 'version').at(-1)).toBe(3);
  });

  it('mitigates on a return into the zone and invalidates on a close through it', () => {
    expect(barsWhere(OB, 'any_mitigated_this_bar')).toEqual([4, 8]);
    expect(barsWhere(OB, 'any_invalidated_this_bar')).toEqual([7]);
    expect(col(OB, 'active_bull_count')).toEqual([0, 0, 1, 1, 0, 0, 0, 1, 0]);
    expect(col(OB, 'active_bear_count')).toEqual([0, 0, 0, 0, 0, 0, 1, 0, 0]);
    expect([col(OB, 'nearest_bull_lower')[3], col(OB, 'nearest_bull_upper')[3]]).toEqual([10, 10.1]);
    expect(col(OB, 'nearest_bear_upper')[6]).toBe(10.7);
  });

  it('uses the full candle range with use_body: false and searches only `lookback` bars back', () => {
    const range = run('order_block', INPUT, { atr_key: 'atr', use_body: false }, {}, ATR);
    expect([col(range, 'new_lower')[2], col(range, 'new_upper')[2]]).toEqual([9.9, 10.2]);
    // with lookback 1 the bar before the displacement must itself be opposing: bars 1, 5 and 6 are
    expect(barsWhere(run('order_block', INPUT, { atr_key: 'atr', lookback: 1 }, {}, ATR), 'new_this_bar')).toEqual([2, 6, 7]);
    const shifted = candles([[10.1, 10.2, 9.9, 10], [10, 10.05, 9.98, 10.02], ...Array.from(INPUT.open.subarray(2), (_, k) => {
      const i = k + 2;
      return [INPUT.open[i], INPUT.high[i], INPUT.low[i], INPUT.close[i]] as const;
    })]);
    // bar 1 is now a small bullish candle: lookback 1 finds nothing for bar 2, lookback 3 finds bar 0
    expect(barsWhere(run('order_block', shifted, { atr_key: 'atr', lookback: 1 }, {}, { atr: constant(9, 1) }), 'new_this_bar')).not.toContain(2);
    expect(barsWhere(run('order_block', shifted, { atr_key: 'atr', lookback: 3 }, {}, { atr: constant(9, 1) }), 'new_this_bar')).toContain(2);
  });

  it('reads displacements from a displacement dependency when one is declared', () => {
    const disp = run('displacement', INPUT, { atr_key: 'atr', body_atr_min: 5 }, {}, ATR); // nothing qualifies
    expect(col(run('order_block', INPUT, { atr_key: 'atr' }, { displacement: disp }, ATR), 'version').at(-1)).toBe(0);
  });
});

describe('breaker_block', () => {
  it('flips an order block invalidated on a CHoCH bar', () => {
    const choch = new Float64Array(INPUT.length);
    choch[7] = 1;
    const out = run('breaker_block', INPUT, {}, { order_block: OB, market_structure: { choch_this_bar: choch } });
    // the bearish OB [10.5, 10.7] failed at bar 7 -> bullish breaker (support)
    expect(barsWhere(out, 'new_this_bar')).toEqual([7]);
    expect(col(out, 'new_direction')[7]).toBe(1);
    expect([col(out, 'new_lower')[7], col(out, 'new_upper')[7]]).toEqual([10.5, 10.7]);
    expect(col(out, 'active_bull_count')[7]).toBe(1);
    // bar 8: low 10.6 <= 10.7 and close above 10.5 -> mitigated
    expect(barsWhere(out, 'any_mitigated_this_bar')).toEqual([8]);
    expect(col(out, 'active_bull_count')[8]).toBe(0);
  });

  it('creates nothing when the invalidation and the CHoCH are on different bars', () => {
    const choch = new Float64Array(INPUT.length);
    choch[6] = 1;
    const out = run('breaker_block', INPUT, {}, { order_block: OB, market_structure: { choch_this_bar: choch } });
    expect(col(out, 'version').at(-1)).toBe(0);
  });

  it('without a market structure every invalidation makes a breaker', () => {
    expect(barsWhere(run('breaker_block', INPUT, {}, { order_block: OB }), 'new_this_bar')).toEqual([7]);
  });
});

describe('liquidity_zones', () => {
  // Equal-ish highs 110.5 (bar 4) and 110.7 (bar 12), confirmed at bars 6 and 14 (left = right = 2); the lows
  // 103.5 and 102.5 are 1 ATR apart. The rise to 113 crosses 110.6 + 0.1 at bar 19 (high 111).
  const input = zigzag([100, 110, 104, 110.2, 103, 113], 4, 0.5);
  const swing = run('swing', input, { left: 2, right: 2 });
  const out = run('liquidity_zones', input, { atr_key: 'atr', tolerance_atr: 0.3, sweep_atr: 0.1, min_touches: 2 }, { swing }, {
    atr: constant(input.length, 1),
  });

  it('clusters swing highs within the tolerance into a zone at their mean', () => {
    expect(barsWhere(out, 'new_zone_this_bar')).toEqual([14]);
    expect(col(out, 'nearest_high_level')[13]).toBeNaN();
    expect(col(out, 'nearest_high_level')[14]).toBeCloseTo(110.6, 12);
    expect(col(out, 'nearest_high_touches')[14]).toBe(2);
    expect(col(out, 'nearest_low_level').every(Number.isNaN)).toBe(true); // lows 1 ATR apart: no pool
  });

  it('reports the sweep of the pool and removes it', () => {
    expect(barsWhere(out, 'sweep_this_bar')).toEqual([19]);
    expect(col(out, 'sweep_direction')[19]).toBe(1);
    expect(col(out, 'swept_level')[19]).toBeCloseTo(110.6, 12);
    expect(col(out, 'nearest_high_level')[19]).toBeNaN();
    expect(col(out, 'version')[14]).toBe(1);
    expect(col(out, 'version')[19]).toBe(2);
  });
});
