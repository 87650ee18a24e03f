import { describe, expect, it } from 'vitest';
import { createRng } from '../../src/common/rng.ts';
import { atr } from '../../src/indicators/index.ts';
import { WilderAtr } from '../../src/structures/series.ts';
import { barsWhere, candles, col, constant, realInput, run } from './helpers.ts';

const N = NaN;

describe('rolling_window', () => {
  it('matches a brute-force min/max over the last `size` bars (shorter at the start)', () => {
    const rng = createRng(11);
    const n = 500;
    const rows = Array.from({ length: n }, () => {
      const v = 100 + rng.normal() * 5;
      return [v, v + rng.next(), v - rng.next(), v] as const;
    });
    const input = candles(rows);
    for (const size of [1, 2, 7, 50]) {
      for (const mode of ['min', 'max'] as const) {
        const out = run('rolling_window', input, { size, source: mode === 'max' ? 'high' : 'low', mode });
        const src = mode === 'max' ? input.high : input.low;
        const expected = Array.from({ length: n }, (_, i) => {
          const w = Array.from(src.subarray(Math.max(0, i - size + 1), i + 1));
          return mode === 'max' ? Math.max(...w) : Math.min(...w);
        });
        expect(col(out, 'value')).toEqual(expected);
      }
    }
  });

  it('skips NaN inputs', () => {
    const input = candles([
      [1, 5, 1, 1],
      [1, NaN, 1, 1],
      [1, 3, 1, 1],
      [1, 2, 1, 1],
    ]);
    expect(col(run('rolling_window', input, { size: 2, source: 'high', mode: 'max' }), 'value')).toEqual([5, 5, 3, 3]);
  });
});

describe('displacement', () => {
  const input = candles([
    [10, 12.2, 9.9, 12], // body 2 = 2 ATR, wicks 0.3 / 2 = 0.15 -> bullish displacement
    [12, 12.5, 10.8, 11], // body 1 ATR: too small
    [11, 11.5, 10.5, 11], // doji
    [11, 11.1, 8.8, 9], // body 2, wicks 0.3 -> bearish displacement
    [9, 10, 8, 9.5], // wicks 1.5 / 0.5: too wicky
  ]);
  const out = run('displacement', input, { atr_key: 'atr' }, {}, { atr: constant(5, 1) });

  it('flags large-body, small-wick candles with their direction', () => {
    expect(col(out, 'is_displacement')).toEqual([1, 0, 0, 1, 0]);
    expect(col(out, 'direction')).toEqual([1, 0, 0, -1, 0]);
    expect(col(out, 'body_atr_ratio')).toEqual([2, 1, 0, 2, 0.5]);
    expect(col(out, 'wick_ratio')[0]).toBeCloseTo(0.15, 12);
    expect(col(out, 'wick_ratio')[1]).toBeCloseTo(0.7, 12);
    expect(col(out, 'wick_ratio')[2]).toBe(Infinity);
    expect(col(out, 'last_idx')).toEqual([0, 0, 0, 3, 3]);
    expect(col(out, 'last_direction')).toEqual([1, 1, 1, -1, -1]);
    expect(col(out, 'version')).toEqual([1, 1, 1, 2, 2]);
  });

  it('honours its thresholds, and without the ATR feature uses its own ATR(14) (NaN while warming up)', () => {
    const strict = run('displacement', input, { atr_key: 'atr', body_atr_min: 2.5 }, {}, { atr: constant(5, 1) });
    expect(col(strict, 'version').at(-1)).toBe(0);
    const own = run('displacement', input, {});
    expect(col(own, 'body_atr_ratio')).toEqual([N, N, N, N, N]);
  });
});

describe('private Wilder ATR', () => {
  it('matches the indicators stage atr(14) on real data', () => {
    const input = realInput();
    const reference = atr(input.high, input.low, input.close, 14);
    const mine = new WilderAtr(input, 14);
    const values = Array.from({ length: input.length }, (_, i) => mine.at(i));
    for (let i = 0; i < input.length; i++) {
      if (Number.isNaN(reference[i])) expect(values[i]).toBeNaN();
      else expect(values[i]).toBeCloseTo(reference[i], 6);
    }
  });
});

describe('fair_value_gap', () => {
  // bar 2: low 11 > high[0] 10 -> bullish gap [10, 11]; bar 4 dips to 10.4 -> 60% filled -> mitigated.
  // bar 7: high 9 < low[5] 10.5 -> bearish gap [9, 10.5]; bar 8 fills 20%; bar 9 closes above 10.5 -> invalidated.
  const input = candles([
    [10, 10, 9, 9.5],
    [9.5, 12, 9.5, 11.8],
    [11.8, 12.5, 11, 12.2],
    [12.2, 12.4, 11.8, 12],
    [12, 12.1, 10.4, 10.9],
    [10.9, 11.9, 10.5, 10.6],
    [10.6, 10.6, 8, 8.2],
    [8.2, 9, 7.5, 8.5],
    [8.5, 9.3, 8.4, 9.2],
    [9.2, 11.2, 8.9, 11],
  ]);
  const out = run('fair_value_gap', input, {});

  it('detects bullish and bearish 3-candle gaps', () => {
    expect(barsWhere(out, 'new_this_bar')).toEqual([2, 7]);
    expect(col(out, 'new_direction')).toEqual([0, 0, 1, 0, 0, 0, 0, -1, 0, 0]);
    expect([col(out, 'new_lower')[2], col(out, 'new_upper')[2]]).toEqual([10, 11]);
    expect([col(out, 'new_lower')[7], col(out, 'new_upper')[7]]).toEqual([9, 10.5]);
    expect(col(out, 'new_upper')[3]).toBeNaN();
    expect(col(out, 'version')).toEqual([0, 0, 1, 1, 1, 1, 1, 2, 2, 2]);
  });

  it('tracks fill, mitigation and invalidation', () => {
    expect(col(out, 'active_bull_count')).toEqual([0, 0, 1, 1, 0, 0, 0, 0, 0, 0]);
    expect(col(out, 'active_bear_count')).toEqual([0, 0, 0, 0, 0, 0, 0, 1, 1, 0]);
    expect([col(out, 'nearest_bull_lower')[3], col(out, 'nearest_bull_upper')[3]]).toEqual([10, 11]);
    expect(col(out, 'nearest_bull_fill_pct')[3]).toBe(0);
    expect(col(out, 'nearest_bull_upper')[4]).toBeNaN();
    expect(col(out, 'nearest_bear_fill_pct')[8]).toBeCloseTo(0.2, 12);
    expect(barsWhere(out, 'any_mitigated_this_bar')).toEqual([4, 9]);
  });

  it('filters gaps smaller than min_gap_atr * ATR', () => {
    const filtered = run('fair_value_gap', input, { atr_key: 'atr', min_gap_atr: 0.6 }, {}, { atr: constant(10, 2) });
    expect(barsWhere(filtered, 'new_this_bar')).toEqual([7]); // 1.0 < 1.2 dropped, 1.5 kept
  });
});
