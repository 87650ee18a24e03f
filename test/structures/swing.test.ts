import { describe, expect, it } from 'vitest';
import { PlayforgeError } from '../../src/common/errors.ts';
import { barsWhere, col, constant, fromHighLow, run, zigzag } from './helpers.ts';

// Highs/lows with known pivots for left = right = 2:
// swing high at bar 2 (15), swing low at bar 4 (7), swing high at bar 6 (18).
const HIGHS = [10, 12, 15, 11, 9, 11, 18, 14, 13, 16];
const LOWS = [8, 9, 12, 9, 7, 8, 15, 12, 11, 14];
const N = NaN;

describe('swing (fractal)', () => {
  const out = run('swing', fromHighLow(HIGHS, LOWS), { left: 2, right: 2 });

  it('confirms each pivot `right` bars after it, never earlier', () => {
    expect(col(out, 'high_level')).toEqual([N, N, N, N, 15, 15, 15, 15, 18, 18]);
    expect(col(out, 'high_idx')).toEqual([N, N, N, N, 2, 2, 2, 2, 6, 6]);
    expect(col(out, 'low_level')).toEqual([N, N, N, N, N, N, 7, 7, 7, 7]);
    expect(col(out, 'low_idx')).toEqual([N, N, N, N, N, N, 4, 4, 4, 4]);
    expect(barsWhere(out, 'high_accepted')).toEqual([4, 8]);
    expect(barsWhere(out, 'low_accepted')).toEqual([6]);
  });

  it('counts versions and remembers the last pivot', () => {
    expect(col(out, 'version')).toEqual([0, 0, 0, 0, 1, 1, 2, 2, 3, 3]);
    expect(col(out, 'high_version')).toEqual([0, 0, 0, 0, 1, 1, 1, 1, 2, 2]);
    expect(col(out, 'low_version')).toEqual([0, 0, 0, 0, 0, 0, 1, 1, 1, 1]);
    // enum ['high', 'low']
    expect(col(out, 'last_confirmed_pivot_type')).toEqual([N, N, N, N, 0, 0, 1, 1, 0, 0]);
    expect(col(out, 'last_confirmed_pivot_idx')).toEqual([N, N, N, N, 2, 2, 4, 4, 6, 6]);
  });

  it('pairs H->L as bearish and L->H as bullish', () => {
    // bar 6: high 15 then low 7 -> bearish pair; bar 8: low 7 then high 18 -> bullish pair
    expect(col(out, 'pair_version')).toEqual([0, 0, 0, 0, 0, 0, 1, 1, 2, 2]);
    expect(col(out, 'pair_direction').slice(6)).toEqual([1, 1, 0, 0]); // enum ['bullish', 'bearish']
    expect(col(out, 'pair_high_level').slice(6)).toEqual([15, 15, 18, 18]);
    expect(col(out, 'pair_low_level').slice(6)).toEqual([7, 7, 7, 7]);
    expect(col(out, 'pair_high_idx').slice(6)).toEqual([2, 2, 6, 6]);
    expect(col(out, 'pair_low_idx').slice(6)).toEqual([4, 4, 4, 4]);
    const hash = col(out, 'pair_anchor_hash');
    expect(hash[5]).toBeNaN();
    expect(hash[6]).toBe(hash[7]);
    expect(hash[8]).not.toBe(hash[7]);
  });

  it('requires a strictly higher high than every neighbour (ties are not pivots)', () => {
    const flatTop = run('swing', fromHighLow([1, 2, 5, 5, 2, 1, 0], [0, 1, 4, 4, 1, 0, -1]), { left: 2, right: 2 });
    expect(col(flatTop, 'high_version').at(-1)).toBe(0);
  });

  it('scores significance in ATRs and flags major pivots', () => {
    const input = fromHighLow(HIGHS, LOWS);
    const sig = run('swing', input, { left: 2, right: 2, atr_key: 'atr', major_threshold: 1.5 }, {}, { atr: constant(10, 2) });
    // second high 18 vs first 15: 3 / 2 = 1.5 ATR -> major; the first pivot of a kind has no reference
    expect(col(sig, 'high_significance')).toEqual([N, N, N, N, N, N, N, N, 1.5, 1.5]);
    expect(col(sig, 'high_is_major')).toEqual([0, 0, 0, 0, 0, 0, 0, 0, 1, 1]);
    const none = run('swing', input, { left: 2, right: 2 });
    expect(col(none, 'high_significance').every(Number.isNaN)).toBe(true);
  });

  it('drops pivots that moved less than min_atr_move / min_pct_move from the previous one', () => {
    const input = fromHighLow(HIGHS, LOWS);
    const atrFiltered = run('swing', input, { left: 2, right: 2, atr_key: 'atr', min_atr_move: 2 }, {}, { atr: constant(10, 2) });
    expect(col(atrFiltered, 'high_level').at(-1)).toBe(15); // 3 < 2 * 2: the 18 is ignored
    const pctFiltered = run('swing', input, { left: 2, right: 2, min_pct_move: 25 });
    expect(col(pctFiltered, 'high_level').at(-1)).toBe(15); // 20% < 25%
    const kept = run('swing', input, { left: 2, right: 2, min_pct_move: 15 });
    expect(col(kept, 'high_level').at(-1)).toBe(18);
  });

  it('strict_alternation drops a lower second high and replaces the pending one with a higher one', () => {
    // Highs at bars 2 (10), 6 (9: lower, dropped), 10 (12: higher, replaces) with no swing low in between.
    const highs = [5, 6, 10, 6, 5, 6, 9, 6, 5, 6, 12, 6, 5];
    const lowsRising = highs.map((_, i) => i - 20); // strictly rising lows: no swing low at all
    const plain = run('swing', fromHighLow(highs, lowsRising), { left: 2, right: 2 });
    expect(barsWhere(plain, 'high_accepted')).toEqual([4, 8, 12]);
    const alt = run('swing', fromHighLow(highs, lowsRising), { left: 2, right: 2, strict_alternation: true });
    expect(barsWhere(alt, 'high_accepted')).toEqual([4, 12]);
    expect(barsWhere(alt, 'high_replaced_pending')).toEqual([12]);
    expect(col(alt, 'high_level').at(-1)).toBe(12);
  });

  it('rejects a play without left/right in fractal mode', () => {
    expect(() => run('swing', fromHighLow(HIGHS, LOWS), { left: 2 })).toThrow(PlayforgeError);
  });
});

describe('swing (atr_zigzag)', () => {
  it('confirms the leg extreme when price reverses by atr_multiplier * ATR', () => {
    // up to 110 (bar 4), down to 100 (bar 8), up to 106 (bar 12); ATR 1, multiplier 3
    const input = zigzag([100, 110, 100, 106], 4, 0.5);
    const out = run('swing', input, { mode: 'atr_zigzag', atr_key: 'atr', atr_multiplier: 3 }, {}, { atr: constant(13, 1) });
    // high extreme 110.5 at bar 4; the first low below 110.5 - 3 = 107.5 is bar 5 (low 107)
    expect(col(out, 'high_idx')[4]).toBeNaN();
    expect(col(out, 'high_idx')[5]).toBe(4);
    expect(col(out, 'high_level')[5]).toBe(110.5);
    // low extreme 99.5 at bar 8; the first high above 99.5 + 3 = 102.5 is bar 10 (high 103.5)
    expect(col(out, 'low_idx')[9]).toBeNaN();
    expect(col(out, 'low_idx')[10]).toBe(8);
    expect(col(out, 'low_level')[10]).toBe(99.5);
    expect(col(out, 'pair_direction')[10]).toBe(1); // high then low: bearish
  });
});
