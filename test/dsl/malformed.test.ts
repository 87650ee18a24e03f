// Table-driven: every malformed play under test/dsl/malformed/ must fail to load with a precise error.
// For each file the FIRST error loadPlay returns must carry the expected code and the 1-based line and
// column where the offending YAML node starts (line 1 of every file is a comment saying what is wrong).
import { describe, it, expect } from 'vitest';
import { readFileSync, readdirSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { loadPlay } from '../../src/dsl/index.ts';

const DIR = path.join(path.dirname(fileURLToPath(import.meta.url)), 'malformed');

/** The error codes of INTERFACES.md; anything else means a check threw its own kind of error. */
const DSL_CODES = new Set([
  'DSL_YAML_SYNTAX', 'DSL_NOT_A_MAPPING', 'DSL_UNKNOWN_KEY', 'DSL_MISSING_FIELD', 'DSL_TYPE_MISMATCH',
  'DSL_INVALID_VALUE', 'DSL_UNKNOWN_INDICATOR', 'DSL_UNKNOWN_STRUCTURE', 'DSL_UNKNOWN_PARAM', 'DSL_UNKNOWN_FIELD',
  'DSL_UNKNOWN_STATE', 'DSL_UNDEFINED_REFERENCE', 'DSL_CIRCULAR_SETUP', 'DSL_DEPENDENCY_ORDER', 'DSL_DUPLICATE_KEY',
  'DSL_EXEC_NOT_ROLE', 'DSL_BAD_TIMEFRAME_KEY', 'DSL_INVALID_TIMEFRAME', 'DSL_TIMEFRAME_ORDER', 'DSL_FLOAT_EQUALITY',
  'DSL_OPERATOR_TYPE', 'DSL_BAD_CONDITION', 'DSL_UNKNOWN_OPERATOR', 'DSL_RESERVED_FIELD', 'DSL_EMPTY_RANGE',
  'DSL_RANGE_MIN_GT_MAX', 'DSL_BAD_RANGE', 'DSL_OUT_OF_BOUNDS', 'DSL_RANGE_NOT_ALLOWED',
]);

interface Case {
  /** File name without `.yml`. */
  file: string;
  code: string;
  line: number;
  column: number;
  /** The node the position points at, so a failing row says what was meant. */
  at: string;
  /** Set when the case is one of TRADE's documented pitfalls (docs/dsl/pitfalls.md). */
  pitfall?: string;
}

const CASES: Case[] = [
  // document level
  { file: 'yaml_syntax_error', code: 'DSL_YAML_SYNTAX', line: 5, column: 1, at: 'where the unclosed flow map had to end' },
  { file: 'not_a_mapping', code: 'DSL_NOT_A_MAPPING', line: 2, column: 1, at: 'the top-level sequence' },
  { file: 'missing_name', code: 'DSL_MISSING_FIELD', line: 2, column: 1, at: 'the play mapping without name' },
  { file: 'unsupported_version', code: 'DSL_INVALID_VALUE', line: 2, column: 10, at: 'value "2.0.0" of version' },
  { file: 'duplicate_yaml_key', code: 'DSL_DUPLICATE_KEY', line: 5, column: 1, at: 'the second `features` key' },
  { file: 'unknown_top_level_key', code: 'DSL_UNKNOWN_KEY', line: 3, column: 1, at: 'key `strategy`' },
  // timeframes
  { file: 'exec_raw_interval', code: 'DSL_EXEC_NOT_ROLE', line: 7, column: 9, at: 'value "15m" of exec', pitfall: 'exec is a pointer, never a raw interval' },
  { file: 'htf_key', code: 'DSL_BAD_TIMEFRAME_KEY', line: 6, column: 3, at: 'key `htf`', pitfall: 'htf/ltf keys instead of high_tf/low_tf' },
  { file: 'ltf_key', code: 'DSL_BAD_TIMEFRAME_KEY', line: 4, column: 3, at: 'key `ltf`', pitfall: 'htf/ltf keys instead of high_tf/low_tf' },
  { file: 'invalid_interval_8h', code: 'DSL_INVALID_TIMEFRAME', line: 6, column: 12, at: 'value "8h" of high_tf' },
  { file: 'timeframe_hierarchy', code: 'DSL_TIMEFRAME_ORDER', line: 5, column: 11, at: 'value "5m" of med_tf (faster than low_tf)' },
  { file: 'feature_tf_invalid', code: 'DSL_INVALID_TIMEFRAME', line: 4, column: 60, at: 'value "8h" of the feature tf' },
  // features
  { file: 'features_not_mapping', code: 'DSL_TYPE_MISMATCH', line: 4, column: 3, at: 'the sequence under features' },
  { file: 'unknown_feature_key', code: 'DSL_UNKNOWN_KEY', line: 4, column: 28, at: 'key `period`' },
  { file: 'missing_indicator', code: 'DSL_MISSING_FIELD', line: 4, column: 10, at: 'the feature mapping without indicator' },
  { file: 'unknown_indicator', code: 'DSL_UNKNOWN_INDICATOR', line: 5, column: 16, at: 'value hull_ma' },
  { file: 'unknown_indicator_param_psar', code: 'DSL_UNKNOWN_PARAM', line: 6, column: 15, at: 'key `af_start`' },
  { file: 'wrong_type_length', code: 'DSL_TYPE_MISMATCH', line: 4, column: 46, at: 'value "abc"' },
  { file: 'float_for_int_param', code: 'DSL_TYPE_MISMATCH', line: 4, column: 46, at: 'value 9.5' },
  { file: 'invalid_source', code: 'DSL_INVALID_VALUE', line: 4, column: 36, at: 'value typical of source' },
  { file: 'duplicate_feature_structure_key', code: 'DSL_DUPLICATE_KEY', line: 8, column: 12, at: 'structure key value swing (also a feature)' },
  // parameter ranges
  { file: 'empty_choice_list', code: 'DSL_EMPTY_RANGE', line: 4, column: 49, at: 'the empty list []' },
  { file: 'range_min_gt_max', code: 'DSL_RANGE_MIN_GT_MAX', line: 4, column: 49, at: 'the {min, max, step} mapping' },
  { file: 'range_step_zero', code: 'DSL_BAD_RANGE', line: 4, column: 76, at: 'step value 0' },
  { file: 'range_step_negative', code: 'DSL_BAD_RANGE', line: 4, column: 66, at: 'step value -0.5' },
  { file: 'range_negative_length', code: 'DSL_OUT_OF_BOUNDS', line: 4, column: 53, at: 'min value -5' },
  { file: 'choice_out_of_bounds', code: 'DSL_OUT_OF_BOUNDS', line: 4, column: 51, at: 'the choice 0' },
  { file: 'range_not_rangeable', code: 'DSL_RANGE_NOT_ALLOWED', line: 7, column: 35, at: 'the range given for source' },
  { file: 'range_unknown_key', code: 'DSL_UNKNOWN_KEY', line: 4, column: 66, at: 'key `stride`' },
  { file: 'duplicate_choice', code: 'DSL_BAD_RANGE', line: 4, column: 54, at: 'the second choice 9' },
  { file: 'window_bars_range_over_500', code: 'DSL_OUT_OF_BOUNDS', line: 8, column: 32, at: 'max value 600 of the ranged bars' },
  // structures
  { file: 'unknown_structure_type', code: 'DSL_UNKNOWN_STRUCTURE', line: 5, column: 13, at: 'value order_flow' },
  { file: 'structures_bad_role', code: 'DSL_BAD_TIMEFRAME_KEY', line: 4, column: 3, at: 'key `mtf`' },
  { file: 'missing_required_param', code: 'DSL_MISSING_FIELD', line: 7, column: 15, at: 'the params mapping without size' },
  { file: 'dependency_declared_below', code: 'DSL_DEPENDENCY_ORDER', line: 7, column: 13, at: 'uses value swing', pitfall: 'structure dependency declared below its dependent' },
  { file: 'uses_missing_structure', code: 'DSL_UNDEFINED_REFERENCE', line: 10, column: 13, at: 'uses value pivots' },
  { file: 'uses_wrong_type', code: 'DSL_TYPE_MISMATCH', line: 10, column: 13, at: 'uses value range_low (a rolling_window)' },
  { file: 'uses_other_timeframe', code: 'DSL_INVALID_VALUE', line: 11, column: 13, at: 'uses value swing_4h (declared on high_tf)' },
  { file: 'trend_ema_length_with_uses', code: 'DSL_INVALID_VALUE', line: 11, column: 29, at: 'value of ema_length on a trend with uses:' },
  { file: 'structure_atr_key_undeclared', code: 'DSL_UNDEFINED_REFERENCE', line: 9, column: 26, at: 'atr_key value atr_20' },
  // conditions
  { file: 'undeclared_feature', code: 'DSL_UNDEFINED_REFERENCE', line: 7, column: 20, at: 'operand ema_21', pitfall: 'condition names an undeclared feature' },
  { file: 'unknown_output_field', code: 'DSL_UNKNOWN_FIELD', line: 7, column: 8, at: 'operand macd_12_26_9.hist' },
  { file: 'fib_level_not_declared', code: 'DSL_UNKNOWN_FIELD', line: 14, column: 25, at: 'operand "fib.level[0.7]"' },
  { file: 'float_equality_fib', code: 'DSL_FLOAT_EQUALITY', line: 14, column: 15, at: 'operator "=="', pitfall: '== on a float (close == fib level)' },
  { file: 'cross_above_on_enum', code: 'DSL_OPERATOR_TYPE', line: 13, column: 26, at: 'operator cross_above' },
  { file: 'in_on_float', code: 'DSL_OPERATOR_TYPE', line: 7, column: 16, at: 'operator in' },
  { file: 'unknown_state', code: 'DSL_UNKNOWN_STATE', line: 11, column: 29, at: 'value trending_sideways' },
  { file: 'unknown_enum_value_bos', code: 'DSL_UNKNOWN_STATE', line: 13, column: 32, at: 'value up' },
  { file: 'hmm_unknown_state', code: 'DSL_UNKNOWN_STATE', line: 10, column: 25, at: 'value trending_up (not an hmm_regime state)' },
  { file: 'bool_compared_to_fraction', code: 'DSL_TYPE_MISMATCH', line: 13, column: 30, at: 'value 0.5 compared with a BOOL' },
  { file: 'unknown_operator', code: 'DSL_UNKNOWN_OPERATOR', line: 8, column: 15, at: 'operator crosses' },
  { file: 'condition_two_elements', code: 'DSL_BAD_CONDITION', line: 7, column: 7, at: 'the 2-element condition list' },
  { file: 'between_without_pair', code: 'DSL_BAD_CONDITION', line: 7, column: 25, at: 'rhs 30 (not a [low, high] pair)' },
  { file: 'near_pct_without_tolerance', code: 'DSL_BAD_CONDITION', line: 7, column: 7, at: 'the 3-element near_pct condition' },
  { file: 'between_low_gt_high', code: 'DSL_INVALID_VALUE', line: 7, column: 25, at: 'the pair [70, 30]' },
  { file: 'offset_negative', code: 'DSL_OUT_OF_BOUNDS', line: 7, column: 42, at: 'offset value -1' },
  { file: 'window_bars_over_500', code: 'DSL_OUT_OF_BOUNDS', line: 8, column: 15, at: 'bars value 600' },
  { file: 'window_duration_over_24h', code: 'DSL_OUT_OF_BOUNDS', line: 8, column: 19, at: 'duration value "48h"' },
  { file: 'window_without_expr', code: 'DSL_MISSING_FIELD', line: 8, column: 9, at: 'the holds_for mapping without expr' },
  { file: 'count_true_min_gt_bars', code: 'DSL_OUT_OF_BOUNDS', line: 9, column: 19, at: 'min_true value 8 (> bars 5)' },
  // setups
  { file: 'undefined_setup', code: 'DSL_UNDEFINED_REFERENCE', line: 12, column: 16, at: 'setup value trend_down' },
  { file: 'circular_setup_2', code: 'DSL_CIRCULAR_SETUP', line: 11, column: 16, at: 'the reference `setup: a` that closes a -> b -> a', pitfall: 'circular setup references' },
  { file: 'circular_setup_3', code: 'DSL_CIRCULAR_SETUP', line: 15, column: 16, at: 'the reference `setup: a` that closes a -> b -> c -> a', pitfall: 'circular setup references' },
  { file: 'circular_setup_self', code: 'DSL_CIRCULAR_SETUP', line: 9, column: 16, at: 'the reference `setup: a` inside a' },
  // actions
  { file: 'unknown_action', code: 'DSL_UNKNOWN_KEY', line: 6, column: 3, at: 'key `buy`' },
  { file: 'unknown_emit_action', code: 'DSL_INVALID_VALUE', line: 12, column: 21, at: 'action value go_long' },
  { file: 'cases_without_when', code: 'DSL_MISSING_FIELD', line: 8, column: 9, at: 'the case mapping without when' },
  // position policy and risk
  { file: 'reserved_allow_flip', code: 'DSL_RESERVED_FIELD', line: 11, column: 3, at: 'key `allow_flip`' },
  { file: 'reserved_allow_scale_in', code: 'DSL_RESERVED_FIELD', line: 10, column: 3, at: 'key `allow_scale_in`' },
  { file: 'invalid_position_mode', code: 'DSL_INVALID_VALUE', line: 9, column: 9, at: 'value both_ways' },
  { file: 'invalid_exit_mode', code: 'DSL_INVALID_VALUE', line: 10, column: 14, at: 'value trailing' },
  { file: 'risk_model_unknown_sl_type', code: 'DSL_INVALID_VALUE', line: 9, column: 22, at: 'value chandelier' },
  { file: 'atr_feature_id_undeclared', code: 'DSL_UNDEFINED_REFERENCE', line: 9, column: 64, at: 'value atr_20' },
  { file: 'atr_feature_id_not_atr', code: 'DSL_TYPE_MISMATCH', line: 9, column: 64, at: 'value rsi_14 (an rsi feature)' },
  { file: 'risk_model_missing_take_profit', code: 'DSL_MISSING_FIELD', line: 9, column: 3, at: 'the risk_model mapping without take_profit' },
];

function load(file: string) {
  const rel = `test/dsl/malformed/${file}.yml`;
  return { rel, result: loadPlay(readFileSync(path.join(DIR, `${file}.yml`), 'utf8'), rel) };
}

describe('malformed plays', () => {
  it('the table covers every file in test/dsl/malformed and nothing else', () => {
    const onDisk = readdirSync(DIR).filter((f) => f.endsWith('.yml')).map((f) => f.slice(0, -4)).sort();
    const inTable = CASES.map((c) => c.file).sort();
    expect(inTable).toEqual(onDisk);
    expect(new Set(inTable).size).toBe(inTable.length);
    expect(inTable.length).toBeGreaterThanOrEqual(45);
  });

  it('covers every TRADE pitfall that a validator can catch', () => {
    const pitfalls = new Set(CASES.flatMap((c) => (c.pitfall ? [c.pitfall] : [])));
    expect([...pitfalls].sort()).toEqual([
      '== on a float (close == fib level)',
      'circular setup references',
      'condition names an undeclared feature',
      'exec is a pointer, never a raw interval',
      'htf/ltf keys instead of high_tf/low_tf',
      'structure dependency declared below its dependent',
    ]);
  });

  for (const c of CASES) {
    const title = `${c.file}: ${c.code} at ${c.line}:${c.column} (${c.at})${c.pitfall ? ` [TRADE pitfall: ${c.pitfall}]` : ''}`;
    it(title, () => {
      const { rel, result } = load(c.file);
      expect(result.play).toBeUndefined();
      expect(result.errors.length).toBeGreaterThan(0);
      const first = result.errors[0];
      expect({ code: first.code, line: first.location.line, column: first.location.column }).toEqual({
        code: c.code,
        line: c.line,
        column: c.column,
      });
      expect(first.location.file).toBe(rel);
      expect(first.message.length).toBeGreaterThan(10);
      // Every error (not just the first) is a located DSL error: no check crashed or escaped its family.
      for (const e of result.errors) {
        expect(DSL_CODES.has(e.code), `unexpected code ${e.code}: ${e.message}`).toBe(true);
        expect(e.location.line).toBeGreaterThanOrEqual(1);
        expect(e.location.column).toBeGreaterThanOrEqual(1);
      }
    });
  }
});
