// features: and structures: against the registries — params, defaults, ranges, tf/source, uses: order and types.
import { describe, it, expect } from 'vitest';
import { INDICATORS, STRUCTURES, structureField } from '../../src/dsl/index.ts';
import { fail, ok, play, where } from './helpers/load.ts';

const withFeatures = (features: string, cond = '[close, ">", 0]') => play(`features:\n${features}actions:\n  entry_long:\n    - ${cond}\n`);

describe('registries', () => {
  it('has TRADE\'s 47 indicators, single-output ones with one `value` output', () => {
    expect(Object.keys(INDICATORS)).toHaveLength(47);
    for (const spec of Object.values(INDICATORS)) {
      if (!spec.multiOutput) expect(Object.keys(spec.outputs)).toEqual(['value']);
      else expect(Object.keys(spec.outputs).length).toBeGreaterThan(1);
    }
    expect(INDICATORS.supertrend.outputs.direction.type).toBe('INT');
    expect(INDICATORS.squeeze.outputs.on.type).toBe('BOOL');
  });

  it('has the 13 structures plus hmm_regime, with trend state/transition', () => {
    expect(Object.keys(STRUCTURES).sort()).toEqual([
      'breaker_block', 'derived_zone', 'displacement', 'fair_value_gap', 'fibonacci', 'hmm_regime', 'liquidity_zones',
      'market_structure', 'order_block', 'premium_discount', 'rolling_window', 'swing', 'trend', 'zone',
    ]);
    expect(STRUCTURES.trend.outputs.state.values).toEqual(['trending_up', 'trending_down', 'ranging']);
    expect(STRUCTURES.trend.outputs.transition.values).toEqual(['recent', 'none']);
    expect(STRUCTURES.trend.params.ema_length.default).toBeDefined();
    expect(STRUCTURES.hmm_regime.outputs.state.values).toEqual(['bull', 'bear', 'sideways', 'high_volatility']);
    expect(STRUCTURES.hmm_regime.outputs.probability.type).toBe('FLOAT');
    expect(STRUCTURES.hmm_regime.params.n_states).toMatchObject({ kind: 'int', min: 2, max: 4, default: 3 });
  });

  it('resolves dynamic structure fields in TRADE\'s spellings', () => {
    const fib = { levels: [0.382, 0.618, 1] };
    expect(structureField('fibonacci', fib, 'level[0.618]')?.field).toBe('level[0.618]');
    expect(structureField('fibonacci', fib, 'level_0.618')?.field).toBe('level[0.618]');
    expect(structureField('fibonacci', fib, 'level[1.0]')?.field).toBe('level[1]');
    expect(structureField('fibonacci', fib, 'level[0.5]')).toBeUndefined();
    const dz = { levels: [0.5], max_active: 3 };
    expect(structureField('derived_zone', dz, 'zone[2].state')?.spec.values).toEqual(['none', 'active', 'broken']);
    expect(structureField('derived_zone', dz, 'zone2_inside')?.field).toBe('zone[2].inside');
    expect(structureField('derived_zone', dz, 'zone[3].state')).toBeUndefined();
    expect(STRUCTURES.derived_zone.outputsFor(dz)['zone[0].touch_count'].type).toBe('INT');
  });
});

describe('features', () => {
  it('fills registry defaults and keeps written params', () => {
    const p = ok(withFeatures('  m: { indicator: macd, params: { fast: 8 } }\n'));
    expect(p.features[0].params).toEqual({ fast: 8, slow: 26, signal: 9 });
  });

  it('resolves tf roles and concrete intervals; source defaults to close', () => {
    const p = ok(withFeatures('  a: { indicator: ema, tf: med_tf }\n  b: { indicator: ema, tf: 4h, source: hl2 }\n  c: { indicator: sma, tf: exec, source: volume }\n'));
    expect(p.features.map((f) => [f.tf, f.source])).toEqual([['1h', 'close'], ['4h', 'hl2'], ['15m', 'volume']]);
  });

  it('rejects unknown indicators, params, keys and bad values at the offending node', () => {
    expect(where(withFeatures('  x: { indicator: hull_ma }\n'))).toEqual(['DSL_UNKNOWN_INDICATOR', 3, 19]);
    expect(fail(withFeatures('  x: { indicator: emaa }\n')).message).toMatch(/did you mean 'ema'/);
    expect(where(withFeatures('  p: { indicator: psar, params: { af_start: 0.02 } }\n'))).toEqual(['DSL_UNKNOWN_PARAM', 3, 35]);
    expect(where(withFeatures('  x: { indicator: ema, period: 9 }\n'))).toEqual(['DSL_UNKNOWN_KEY', 3, 24]);
    expect(where(withFeatures('  x: { indicator: ema, params: { length: abc } }\n'))).toEqual(['DSL_TYPE_MISMATCH', 3, 42]);
    expect(where(withFeatures('  x: { indicator: ema, params: { length: 9.5 } }\n'))[0]).toBe('DSL_TYPE_MISMATCH');
    expect(where(withFeatures('  x: { indicator: ema, params: { length: 0 } }\n'))[0]).toBe('DSL_OUT_OF_BOUNDS');
    expect(where(withFeatures('  x: { indicator: ema, source: typical }\n'))[0]).toBe('DSL_INVALID_VALUE');
    expect(where(withFeatures('  x: { indicator: ema, tf: 8h }\n'))).toEqual(['DSL_INVALID_TIMEFRAME', 3, 28]);
    expect(where(withFeatures('  x: { params: { length: 9 } }\n'))[0]).toBe('DSL_MISSING_FIELD');
  });

  it('rejects keys that cannot be referenced or shadow a built-in price', () => {
    expect(where(withFeatures('  ema.fast: { indicator: ema }\n'))[0]).toBe('DSL_INVALID_VALUE');
    expect(where(withFeatures('  close: { indicator: ema }\n'))[0]).toBe('DSL_DUPLICATE_KEY');
  });

  it('takes a list for a scalar param as choices and a list-typed param as its value', () => {
    const p = ok(play(`features:\n  e: { indicator: ema, params: { length: [8, 13] } }\nstructures:\n  exec:\n    - { type: swing, key: s, params: { left: 5, right: 5 } }\n    - { type: fibonacci, key: f, uses: s, params: { levels: [0.382, 0.5, 0.618] } }\nactions:\n  entry_long: [[close, near_pct, "f.level[0.5]", 1]]\n`));
    expect(p.features[0].params.length).toEqual({ choices: [8, 13] });
    expect(p.structures[1].params.levels).toEqual([0.382, 0.5, 0.618]);
  });

  it('checks ranges: empty, min > max, step <= 0, bounds, duplicates, unknown range keys', () => {
    const f = (v: string) => withFeatures(`  x: { indicator: ema, params: { length: ${v} } }\n`);
    expect(where(f('[]'))).toEqual(['DSL_EMPTY_RANGE', 3, 42]);
    expect(where(f('{ min: 50, max: 10 }'))).toEqual(['DSL_RANGE_MIN_GT_MAX', 3, 42]);
    expect(where(f('{ min: 10, max: 50, step: 0 }'))).toEqual(['DSL_BAD_RANGE', 3, 68]);
    expect(where(f('{ min: -5, max: 50 }'))).toEqual(['DSL_OUT_OF_BOUNDS', 3, 49]);
    expect(where(f('[9, 0]'))).toEqual(['DSL_OUT_OF_BOUNDS', 3, 46]);
    expect(where(f('[9, 9]'))[0]).toBe('DSL_BAD_RANGE');
    expect(where(f('{ min: 10, max: 50, stride: 5 }'))).toEqual(['DSL_UNKNOWN_KEY', 3, 62]);
    expect(where(f('{ min: 10.5, max: 50 }'))[0]).toBe('DSL_BAD_RANGE');
    expect(ok(f('{ min: 10, max: 50, step: 10 }')).features[0].params.length).toEqual({ min: 10, max: 50, step: 10 });
  });

  it('allows choices for enum params but no range where a parameter cannot be ranged', () => {
    ok(withFeatures('  v: { indicator: vwap, params: { anchor: [D, W] } }\n'));
    expect(where(withFeatures('  v: { indicator: vwap, params: { anchor: { min: 1, max: 2 } } }\n'))[0]).toBe('DSL_RANGE_NOT_ALLOWED');
    const s = play('structures:\n  exec:\n    - { type: displacement, key: d, params: { atr_key: [a, b] } }\nactions:\n  entry_long: [[close, ">", 0]]\n');
    expect(where(s)[0]).toBe('DSL_RANGE_NOT_ALLOWED');
  });
});

describe('structures', () => {
  const st = (body: string, feats = '  atr_14: { indicator: atr }\n', cond = '[close, ">", 0]') =>
    play(`features:\n${feats}structures:\n${body}actions:\n  entry_long:\n    - ${cond}\n`);

  it('flattens roles in order, resolving each role\'s timeframe', () => {
    const p = ok(st('  exec:\n    - { type: swing, key: sw, params: { left: 5, right: 5 } }\n    - { type: trend, key: tr, uses: sw }\n  high_tf:\n    - { type: swing, key: sw_d, params: { left: 3, right: 3 } }\n'));
    expect(p.structures.map((s) => [s.key, s.role, s.tf, s.uses])).toEqual([['sw', 'exec', '15m', []], ['tr', 'exec', '15m', ['sw']], ['sw_d', 'high_tf', 'D', []]]);
    expect(p.structures[1].params).toEqual({ transition_bars: 5 });
  });

  it('accepts structures keyed by a concrete timeframe under a role, referenced as role_tf.key.field', () => {
    const p = ok(st('  med_tf:\n    "4h":\n      - { type: swing, key: swing_4h, params: { left: 3, right: 3 } }\n      - { type: market_structure, key: ms_4h, uses: swing_4h }\n', undefined,
      '["med_tf_4h.ms_4h.direction", "==", 1]\n    - ["med_tf_4h.ms_4h.event_type", "!=", 0]\n    - [ms_4h.bos_direction, "==", bullish]'));
    expect(p.structures.map((s) => [s.key, s.role, s.tf, s.tf_key])).toEqual([['swing_4h', 'med_tf', '4h', '4h'], ['ms_4h', 'med_tf', '4h', '4h']]);
    expect(where(st('  med_tf:\n    "4h":\n      - { type: swing, key: s4, params: { left: 3, right: 3 } }\n', undefined, '["high_tf_4h.s4.low_level", ">", 0]'))[0]).toBe('DSL_UNDEFINED_REFERENCE');
  });

  it('checks uses: declared above, existing, of the right type, on the same timeframe', () => {
    expect(where(st('  exec:\n    - { type: trend, key: tr, uses: sw }\n    - { type: swing, key: sw, params: { left: 5, right: 5 } }\n'))).toEqual(['DSL_DEPENDENCY_ORDER', 6, 37]);
    expect(where(st('  exec:\n    - { type: market_structure, key: ms, uses: pivots }\n'))).toEqual(['DSL_UNDEFINED_REFERENCE', 6, 48]);
    expect(where(st('  exec:\n    - { type: rolling_window, key: rw, params: { size: 20, source: low, mode: min } }\n    - { type: market_structure, key: ms, uses: rw }\n'))[0]).toBe('DSL_TYPE_MISMATCH');
    expect(where(st('  exec:\n    - { type: market_structure, key: ms }\n'))[0]).toBe('DSL_MISSING_FIELD');
    expect(where(st('  exec:\n    - { type: swing, key: sw, params: { left: 5, right: 5 } }\n  high_tf:\n    - { type: trend, key: tr, uses: sw }\n'))[0]).toBe('DSL_INVALID_VALUE');
  });

  it('checks required and mode-dependent params and ref params', () => {
    expect(where(st('  exec:\n    - { type: rolling_window, key: rw, params: { source: low, mode: min } }\n'))[0]).toBe('DSL_MISSING_FIELD');
    expect(where(st('  exec:\n    - { type: swing, key: sw }\n'))[0]).toBe('DSL_MISSING_FIELD');
    ok(st('  exec:\n    - { type: swing, key: sw, params: { mode: atr_zigzag, atr_key: atr_14, atr_multiplier: 2.0 } }\n'));
    expect(where(st('  exec:\n    - { type: swing, key: sw, params: { mode: atr_zigzag } }\n'))[0]).toBe('DSL_MISSING_FIELD');
    expect(where(st('  exec:\n    - { type: displacement, key: d, params: { atr_key: atr_20 } }\n'))[0]).toBe('DSL_UNDEFINED_REFERENCE');
    expect(where(st('  exec:\n    - { type: displacement, key: d, params: { atr_key: e } }\n', '  e: { indicator: ema }\n'))[0]).toBe('DSL_TYPE_MISMATCH');
  });

  it('lets trend stand alone with ema_length, and rejects ema_length when it uses a swing', () => {
    const p = ok(st('  exec:\n    - { type: trend, key: regime, params: { ema_length: 30 } }\n'));
    expect(p.structures[0].params).toEqual({ ema_length: 30, transition_bars: 5 });
    expect(where(st('  exec:\n    - { type: swing, key: sw, params: { left: 5, right: 5 } }\n    - { type: trend, key: tr, uses: sw, params: { ema_length: 30 } }\n'))[0]).toBe('DSL_INVALID_VALUE');
  });

  it('checks fibonacci trend anchoring needs use_paired_anchor false and a trend dependency', () => {
    const sw = '  exec:\n    - { type: swing, key: sw, params: { left: 5, right: 5 } }\n    - { type: trend, key: tr, uses: sw }\n';
    ok(st(`${sw}    - { type: fibonacci, key: fib, uses: [sw, tr], params: { levels: [0.618], use_trend_anchor: true, use_paired_anchor: false } }\n`));
    expect(where(st(`${sw}    - { type: fibonacci, key: fib, uses: [sw, tr], params: { levels: [0.618], use_trend_anchor: true } }\n`))[0]).toBe('DSL_INVALID_VALUE');
    expect(where(st(`${sw}    - { type: fibonacci, key: fib, uses: sw, params: { levels: [0.618], use_trend_anchor: true, use_paired_anchor: false } }\n`))[0]).toBe('DSL_MISSING_FIELD');
  });

  it('rejects unknown types, bad roles, unknown keys and duplicate keys', () => {
    expect(where(st('  exec:\n    - { type: order_flow, key: of }\n'))).toEqual(['DSL_UNKNOWN_STRUCTURE', 6, 15]);
    expect(where(st('  htf:\n    - { type: swing, key: sw, params: { left: 5, right: 5 } }\n'))).toEqual(['DSL_BAD_TIMEFRAME_KEY', 5, 3]);
    expect(where(st('  fast:\n    - { type: swing, key: sw, params: { left: 5, right: 5 } }\n'))[0]).toBe('DSL_UNKNOWN_KEY');
    expect(where(st('  exec:\n    - { type: swing, key: sw, depends_on: x, params: { left: 5, right: 5 } }\n'))[0]).toBe('DSL_UNKNOWN_KEY');
    expect(where(st('  exec:\n    - { type: swing, key: atr_14, params: { left: 5, right: 5 } }\n'))[0]).toBe('DSL_DUPLICATE_KEY');
    expect(where(st('  exec:\n    - { type: swing, key: s, params: { left: 5, right: 5 } }\n    - { type: swing, key: s, params: { left: 3, right: 3 } }\n'))[0]).toBe('DSL_DUPLICATE_KEY');
  });

  it('registers hmm_regime with its params and outputs', () => {
    const p = ok(st('  exec:\n    - { type: hmm_regime, key: hmm, params: { n_states: [2, 3, 4], train_bars: 500 } }\n', undefined,
      '[hmm.state, "==", high_volatility]\n    - [hmm.probability, ">", 0.7]\n    - [hmm.transition, "!=", recent]'));
    expect(p.structures[0].params).toEqual({ n_states: { choices: [2, 3, 4] }, train_bars: 500, refit_every: 100, transition_bars: 5 });
    expect(where(st('  exec:\n    - { type: hmm_regime, key: hmm, params: { n_states: 5 } }\n'))[0]).toBe('DSL_OUT_OF_BOUNDS');
  });
});
