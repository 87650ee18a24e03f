import { describe, expect, it } from 'vitest';
import { PlayforgeError } from '../../src/common/errors.ts';
import { barsWhere, candles, col, constant, run, zigzag } from './helpers.ts';

// One zigzag drives every swing dependent below. Turning points every 4 bars (close = value, high/low = +/- 0.5):
//   bar:    0    4    8   12   16   20   24   28
//   value: 100  110  105  115  108  112  100  103
// With swing left = right = 2 the pivots are confirmed 2 bars later, at the wick (value +/- 0.5):
//   H110.5 @ bar 6, L104.5 @ 10, H115.5 @ 14, L107.5 @ 18, H112.5 @ 22, L99.5 @ 26.
// Closes between turning points move linearly (e.g. bars 9..11: 107.5, 110, 112.5; bars 21..23: 109, 106, 103).
const INPUT = zigzag([100, 110, 105, 115, 108, 112, 100, 103], 4, 0.5);
const SWING = run('swing', INPUT, { left: 2, right: 2 });
const N = NaN;

describe('trend (uses: swing)', () => {
  const out = run('trend', INPUT, { transition_bars: 3 }, { swing: SWING });

  it('classifies waves: bearish first wave, HH -> up, HH+HL strong, LH -> ranging, LH+LL -> down', () => {
    // bar 10: wave H110->L105 alone -> -1; bar 14: HH (115 > 110) -> 1; bar 18: HL (108 > 105) keeps 1;
    // bar 22: LH (112 < 115) with HL -> mixed 0; bar 26: LL (100 < 108) with LH -> -1.
    const dir = col(out, 'direction');
    expect(dir.slice(0, 10).every((d) => d === 0)).toBe(true);
    expect(dir.slice(10, 14)).toEqual([-1, -1, -1, -1]);
    expect(dir.slice(14, 22)).toEqual(Array(8).fill(1));
    expect(dir.slice(22, 26)).toEqual([0, 0, 0, 0]);
    expect(dir.slice(26)).toEqual([-1, -1, -1]);
    expect(col(out, 'strength')[14]).toBe(1);
    expect(col(out, 'strength')[18]).toBe(2); // two wave pairs agree
    expect(col(out, 'wave_count')[18]).toBe(2);
    expect(col(out, 'strength')[26]).toBe(1);
    expect(col(out, 'version').at(-1)).toBe(4);
  });

  it('keeps the last HH/HL/LH/LL flags and the last wave direction', () => {
    expect(col(out, 'last_hh')[14]).toBe(1);
    expect(col(out, 'last_hl')[18]).toBe(1);
    expect(col(out, 'last_lh')[22]).toBe(1);
    expect(col(out, 'last_hh')[22]).toBe(0);
    expect(col(out, 'last_ll')[26]).toBe(1);
    expect(col(out, 'last_hl')[26]).toBe(0);
    // enum ['bullish', 'bearish', 'none']
    expect(col(out, 'last_wave_direction')[9]).toBe(2);
    expect(col(out, 'last_wave_direction')[14]).toBe(0);
    expect(col(out, 'last_wave_direction')[18]).toBe(1);
  });

  it('exposes state and a `recent` transition for transition_bars bars after each change', () => {
    // enum state ['trending_up', 'trending_down', 'ranging'], transition ['recent', 'none']
    const state = col(out, 'state');
    expect(state[9]).toBe(2);
    expect(state[10]).toBe(1);
    expect(state[14]).toBe(0);
    expect(state[22]).toBe(2);
    expect(state[26]).toBe(1);
    expect(barsWhere({ t: Float64Array.from(col(out, 'transition'), (v) => (v === 0 ? 1 : 0)) }, 't')).toEqual([
      10, 11, 12, 14, 15, 16, 22, 23, 24, 26, 27, 28,
    ]);
    expect(col(out, 'bars_in_trend')[13]).toBe(3);
    expect(col(out, 'bars_in_trend')[14]).toBe(0);
  });
});

describe('trend (standalone, ema_length)', () => {
  it('is trending_up on a steady rise, trending_down on a steady fall, ranging when flat', () => {
    const values = [...Array(30).fill(100), ...Array.from({ length: 30 }, (_, i) => 100 + i), ...Array.from({ length: 30 }, (_, i) => 129 - i)];
    const input = candles(values.map((v) => [v, v + 0.5, v - 0.5, v] as const));
    const out = run('trend', input, { ema_length: 8, transition_bars: 2 });
    const state = col(out, 'state');
    // EMA(8) is seeded at bar 7 and its slope needs 2 more bars: NaN through bar 8
    expect(state.slice(0, 9).every(Number.isNaN)).toBe(true);
    expect(state[9]).toBe(2); // flat: ranging
    expect(state[40]).toBe(0); // rising: close > EMA and EMA rising
    expect(state[80]).toBe(1); // falling
    expect(col(out, 'direction')[40]).toBe(1);
    expect(col(out, 'direction')[80]).toBe(-1);
    // the first rising bar after the flat part flips the state: transition recent there and one bar after
    const firstUp = state.indexOf(0);
    expect(firstUp).toBeGreaterThan(30);
    expect(col(out, 'transition').slice(firstUp, firstUp + 3)).toEqual([0, 0, 1]);
    expect(col(out, 'transition')[9]).toBe(1); // the first state after warm-up is not a change
  });
});

describe('market_structure', () => {
  const out = run('market_structure', INPUT, { confirmation_close: true }, { swing: SWING });

  it('fires a bullish BOS when the close breaks the first swing high, then a bearish CHoCH below the last HL', () => {
    // break level 110.5 from bar 6; closes 110 (bar 10, not above) then 112.5 (bar 11): BOS at 11.
    // the HL 107.5 is the low level from bar 18; the close 106 at bar 22 breaks it: CHoCH at 22.
    expect(barsWhere(out, 'bos_this_bar')).toEqual([11]);
    expect(barsWhere(out, 'choch_this_bar')).toEqual([22]);
    expect(col(out, 'event_type')[11]).toBe(1);
    expect(col(out, 'event_type')[22]).toBe(2);
    expect(barsWhere(out, 'event_type')).toEqual([11, 22]);
    expect(col(out, 'last_bos_level')[11]).toBe(110.5);
    expect(col(out, 'last_bos_idx')[20]).toBe(11);
    expect(col(out, 'last_choch_level')[22]).toBe(107.5);
    expect(col(out, 'bos_direction')[11]).toBe(0); // bullish
    expect(col(out, 'choch_direction')[22]).toBe(1); // bearish
  });

  it('tracks bias/direction and the levels to watch', () => {
    const bias = col(out, 'bias');
    expect(bias.slice(0, 11).every((b) => b === 0)).toBe(true);
    expect(bias.slice(11, 22).every((b) => b === 1)).toBe(true);
    expect(bias.slice(22).every((b) => b === -1)).toBe(true);
    expect(col(out, 'direction')).toEqual(bias);
    expect(col(out, 'break_level_high')[10]).toBe(110.5);
    expect(col(out, 'break_level_high')[11]).toBeNaN(); // broken: cleared until a new swing high
    expect(col(out, 'break_level_high')[14]).toBe(115.5);
    expect(col(out, 'break_level_high')[22]).toBe(112.5);
    expect(col(out, 'break_level_low')[18]).toBe(107.5);
    expect(col(out, 'break_level_low')[22]).toBeNaN();
    expect(col(out, 'break_level_low')[26]).toBe(99.5);
    expect(col(out, 'version').at(-1)).toBe(2);
  });

  it('by default (confirmation_close: false) the wick breaks the level, here one bar earlier than the close', () => {
    // swing high 111 (110 + spread 1) at bar 4; the rise 105 -> 112.4 closes 110.55 at bar 11 (wick 111.55)
    // and 112.4 at bar 12.
    const input = zigzag([100, 110, 105, 112.4, 104], 4, 1);
    const swing = run('swing', input, { left: 2, right: 2 });
    const byClose = run('market_structure', input, { confirmation_close: true }, { swing });
    const byWick = run('market_structure', input, {}, { swing });
    expect(barsWhere(byClose, 'bos_this_bar')).toEqual([12]);
    expect(barsWhere(byWick, 'bos_this_bar')).toEqual([11]);
  });

  it('needs a swing dependency', () => {
    expect(() => run('market_structure', INPUT, {}, {})).toThrow(PlayforgeError);
  });
});

describe('fibonacci', () => {
  it('places retracement levels on the latest swing pair', () => {
    const out = run('fibonacci', INPUT, { levels: [0.5, 0.618], mode: 'retracement' }, { swing: SWING });
    // bar 10: bearish pair H110.5/L104.5; bar 14: bullish pair L104.5/H115.5
    expect(col(out, 'level[0.5]').slice(9, 11)).toEqual([N, 107.5]);
    expect(col(out, 'level[0.5]')[14]).toBe(110);
    expect(col(out, 'level[0.618]')[14]).toBeCloseTo(115.5 - 0.618 * 11, 10);
    expect(col(out, 'anchor_high')[14]).toBe(115.5);
    expect(col(out, 'anchor_low')[14]).toBe(104.5);
    expect(col(out, 'range')[14]).toBe(11);
    expect(col(out, 'anchor_direction')[9]).toBe(2); // '' before any anchor
    expect(col(out, 'anchor_direction')[10]).toBe(1); // bearish
    expect(col(out, 'anchor_direction')[14]).toBe(0); // bullish
    expect(col(out, 'anchor_hash')[14]).toBe(col(SWING, 'pair_anchor_hash')[14]);
  });

  it('extension projects above a bullish pair and below a bearish one', () => {
    const out = run('fibonacci', INPUT, { levels: [1, 0.272], mode: 'extension' }, { swing: SWING });
    expect(col(out, 'level[1]')[14]).toBe(126.5); // bullish 104.5/115.5: 115.5 + 11
    expect(col(out, 'level[1]')[18]).toBe(99.5); // bearish 115.5/107.5: 107.5 - 8
    const up = run('fibonacci', INPUT, { levels: [1], mode: 'extension_up' }, { swing: SWING });
    expect(col(up, 'level[1]')[18]).toBe(123.5);
    const down = run('fibonacci', INPUT, { levels: [1], mode: 'extension_down' }, { swing: SWING });
    expect(col(down, 'level[1]')[14]).toBe(93.5);
  });

  it('unpaired mode uses the latest individual high and low', () => {
    const out = run('fibonacci', INPUT, { levels: [0.5], use_paired_anchor: false }, { swing: SWING });
    expect(col(out, 'level[0.5]')[6]).toBeNaN(); // only a high so far
    expect(col(out, 'level[0.5]')[10]).toBe(107.5);
    expect(col(out, 'level[0.5]')[22]).toBe(110); // high 112.5, low 107.5
    expect(col(out, 'anchor_direction')[22]).toBe(2);
    expect(col(out, 'anchor_hash')[22]).toBeNaN();
  });

  it('trend anchoring freezes while the trend is ranging', () => {
    const trend = run('trend', INPUT, {}, { swing: SWING });
    const out = run('fibonacci', INPUT, { levels: [0.5], use_trend_anchor: true, use_paired_anchor: false }, { swing: SWING, trend });
    expect(col(out, 'level[0.5]')[14]).toBe(110);
    expect(col(out, 'anchor_trend_direction')[14]).toBe(1);
    // bar 22: the pair becomes L107.5/H112.5 but the trend turns ranging -> anchors stay at 115.5/107.5
    expect(col(out, 'anchor_high')[22]).toBe(115.5);
    expect(col(out, 'anchor_low')[22]).toBe(107.5);
    // bar 26: trend down, pair H112.5/L99.5
    expect(col(out, 'anchor_high')[26]).toBe(112.5);
    expect(col(out, 'anchor_direction')[26]).toBe(1);
    // both anchorings at once is a contradiction (TRADE rejects it too)
    const both = { levels: [0.5], use_trend_anchor: true, use_paired_anchor: true };
    expect(() => run('fibonacci', INPUT, both, { swing: SWING, trend })).toThrow(PlayforgeError);
    expect(() => run('fibonacci', INPUT, { levels: [0.5], use_trend_anchor: true, use_paired_anchor: false }, { swing: SWING })).toThrow(
      PlayforgeError,
    ); // no trend dependency
  });
});

describe('zone', () => {
  const atr = { atr: constant(INPUT.length, 2) };

  it('demand: [low - width, low] from each swing low, broken by a close below', () => {
    const out = run('zone', INPUT, { zone_type: 'demand', width_atr: 1, atr_key: 'atr' }, { swing: SWING }, atr);
    // enum ['none', 'active', 'broken']
    expect(col(out, 'state')[9]).toBe(0);
    expect([col(out, 'lower')[10], col(out, 'upper')[10], col(out, 'state')[10]]).toEqual([102.5, 104.5, 1]);
    expect([col(out, 'lower')[18], col(out, 'upper')[18]]).toEqual([105.5, 107.5]); // from L108 (low 107.5)
    // closes: bar 22 = 106 (inside), bar 23 = 103 < 105.5 -> broken
    expect(col(out, 'state').slice(22, 24)).toEqual([1, 2]);
    expect(col(out, 'anchor_idx')[18]).toBe(16);
    expect(col(out, 'version').slice(9, 11)).toEqual([0, 1]);
    expect(col(out, 'version')[23]).toBe(3);
  });

  it('supply: [high, high + width], broken by a close above', () => {
    const out = run('zone', INPUT, { zone_type: 'supply', width_atr: 1, atr_key: 'atr' }, { swing: SWING }, atr);
    expect([col(out, 'lower')[6], col(out, 'upper')[6]]).toEqual([110.5, 112.5]);
    // close 112.5 at bar 11 is not above 112.5; 115 at bar 12 is
    expect(col(out, 'state').slice(11, 13)).toEqual([1, 2]);
    expect(col(out, 'state')[14]).toBe(1); // the H115 zone
  });
});

describe('premium_discount', () => {
  it('splits the pair range at 25/50/75% and classifies the close', () => {
    const out = run('premium_discount', INPUT, {}, { swing: SWING });
    // enum ['premium', 'discount', 'equilibrium', 'none']
    expect(col(out, 'zone')[9]).toBe(3);
    expect(col(out, 'equilibrium')[9]).toBeNaN();
    // bar 14: pair 104.5..115.5 (eq 110, premium 112.75, discount 107.25), close 111.5 -> equilibrium
    expect([col(out, 'equilibrium')[14], col(out, 'premium_level')[14], col(out, 'discount_level')[14]]).toEqual([110, 112.75, 107.25]);
    expect(col(out, 'zone')[14]).toBe(2);
    expect(col(out, 'depth_pct')[14]).toBeCloseTo(7 / 11, 12);
    // bar 10: pair 104.5..110.5, close 110 -> premium (>= 109), depth 5.5 / 6
    expect(col(out, 'zone')[10]).toBe(0);
    expect(col(out, 'depth_pct')[10]).toBeCloseTo(5.5 / 6, 12);
    // bar 26: pair 99.5..112.5, close 101.5 -> discount (<= 102.75)
    expect(col(out, 'zone')[26]).toBe(1);
  });
});

describe('derived_zone', () => {
  const out = run('derived_zone', INPUT, { levels: [0.5], max_active: 2, width_pct: 0.01 }, { swing: SWING });
  const z = (n: number, f: string) => col(out, `zone[${n}].${f}`);

  it('creates one zone per level on each new pair, newest in slot 0', () => {
    // bar 10: pair 110.5/104.5 -> centre 107.5, width 1% -> [106.9625, 108.0375]
    expect(z(0, 'state')[9]).toBe(0); // none
    expect(z(0, 'lower')[10]).toBeCloseTo(106.9625, 10);
    expect(z(0, 'upper')[10]).toBeCloseTo(108.0375, 10);
    expect(z(0, 'state')[10]).toBe(1);
    expect(z(1, 'state')[10]).toBe(0);
    expect(z(1, 'lower')[10]).toBeNaN();
    // bar 14: pair 115.5/104.5 -> centre 110 in slot 0, the 107.5 zone moves to slot 1
    expect(z(0, 'lower')[14]).toBeCloseTo(109.45, 10);
    expect(z(1, 'lower')[14]).toBeCloseTo(106.9625, 10);
    expect(z(1, 'age_bars')[14]).toBe(4);
    expect(z(1, 'anchor_idx')[14]).toBe(10);
  });

  it('breaks a support zone when price closes through it, and counts touches and inside bars', () => {
    // the 110 zone was born below the close (support); bar 16 closes at 108 < 109.45 * 0.999 -> broken
    expect(z(0, 'state').slice(15, 17)).toEqual([1, 2]);
    // bar 16 (low 107.5, high 108.5, close 108) touches the 107.5 zone and closes inside it
    expect(z(1, 'touched_this_bar')[16]).toBe(1);
    expect(z(1, 'inside')[16]).toBe(1);
    expect(z(1, 'touch_count')[16]).toBe(1);
    expect(z(1, 'touched_this_bar')[17]).toBe(0); // low 108.5 stays above the zone
    expect(z(1, 'last_touch_age')[17]).toBe(1);
    expect(col(out, 'active_count')[16]).toBe(1);
    expect(col(out, 'first_active_idx')[16]).toBe(1);
    expect(col(out, 'first_active_lower')[16]).toBeCloseTo(106.9625, 10);
    expect(col(out, 'any_touched')[16]).toBe(1);
    expect(col(out, 'any_inside')[16]).toBe(1);
  });

  it('drops the oldest zone beyond max_active', () => {
    // bar 18: pair 115.5/107.5 -> centre 111.5 enters slot 0; the 107.5 zone falls out
    expect(z(0, 'lower')[18]).toBeCloseTo(111.5 * 0.995, 10);
    expect(z(1, 'state')[18]).toBe(2); // the broken 110 zone
    expect(col(out, 'source_version')[18]).toBe(3);
  });
});
