// Every condition form parses into the typed AST; type rules, states, setups, windows, cases and metadata.
import { describe, it, expect } from 'vitest';
import { locOf, type Condition, type Operand, type Play } from '../../src/dsl/index.ts';
import { fail, ok, play, where } from './helpers/load.ts';

const FEATURES = `features:
  ema_9: { indicator: ema, params: { length: 9 } }
  ema_21: { indicator: ema, params: { length: 21 } }
  rsi_14: { indicator: rsi, params: { length: 14 } }
  atr_14: { indicator: atr, params: { length: 14 } }
  macd: { indicator: macd }
  sq: { indicator: squeeze }
structures:
  exec:
    - { type: swing, key: swing, params: { left: 5, right: 5 } }
    - { type: trend, key: trend, uses: swing }
    - { type: market_structure, key: ms, uses: swing }
    - { type: fibonacci, key: fib, uses: swing, params: { levels: [0.5, 0.618] } }
    - { type: derived_zone, key: zones, uses: swing, params: { levels: [0.5], max_active: 2 } }
    - { type: rolling_window, key: hi_20, params: { size: 20, source: high, mode: max } }
`;
/** A play whose entry_long is `body` (YAML under `entry_long:`), plus extra top-level YAML. */
const withEntry = (body: string, extra = '') => play(`${FEATURES}actions:\n  entry_long:\n${body}${extra}`);
const entry = (p: Play): Condition => (p.actions.form === 'rules' ? p.actions.rules[0].when : p.actions.blocks[0].cases[0].when);
const only = (body: string) => {
  const c = entry(ok(withEntry(body)));
  return c.kind === 'all' && c.items.length === 1 ? c.items[0] : c;
};
const ref = (o: Operand) => (o.kind === 'ref' ? o.ref : undefined);

describe('comparison forms', () => {
  it('3-element list with feature refs', () => {
    expect(only('    - [ema_9, cross_above, ema_21]\n')).toMatchObject({ kind: 'cmp', op: 'cross_above', lhs: { kind: 'ref', offset: 0 }, rhs: { kind: 'ref' } });
  });

  it('4-element proximity list with a tolerance, bracket and underscore fib spellings', () => {
    const a = only('    - [close, near_pct, "fib.level[0.618]", 3]\n');
    const b = only('    - [close, near_pct, { feature_id: fib, field: "level_0.618" }, 3]\n');
    expect(a).toEqual(b);
    expect(a).toMatchObject({ op: 'near_pct', tolerance: 3, rhs: { ref: { source: 'structure', key: 'fib', field: 'level[0.618]', type: 'FLOAT' } } });
  });

  it('verbose dict with offsets', () => {
    const c = only('    - lhs: { feature_id: rsi_14, offset: 1 }\n      op: "<"\n      rhs: 30\n');
    expect(c).toMatchObject({ kind: 'cmp', op: '<', lhs: { kind: 'ref', offset: 1, ref: { key: 'rsi_14' } }, rhs: { kind: 'const', value: 30 } });
    expect(only('    - lhs: close\n      op: cross_above\n      rhs: ema_21\n')).toMatchObject({ rhs: { kind: 'ref', ref: { key: 'ema_21' } } });
  });

  it('arithmetic in list and dict form, nested', () => {
    const c = only('    - lhs: [[ema_9, "-", ema_21], "/", atr_14]\n      op: ">"\n      rhs: 0.5\n');
    expect(c).toMatchObject({ lhs: { kind: 'arith', op: '/', left: { kind: 'arith', op: '-' }, right: { kind: 'ref' } } });
    expect(only('    - [close, ">", { "-": [swing.high_level, 10] }]\n')).toMatchObject({ rhs: { kind: 'arith', op: '-', right: { kind: 'const', value: 10 } } });
  });

  it('between, in, = as ==, multi-output fields, bare single-output keys, built-ins', () => {
    expect(only('    - [rsi_14, between, [30, 70]]\n')).toMatchObject({ op: 'between', rhs: { kind: 'range', low: 30, high: 70 } });
    expect(only('    - lhs: rsi_14\n      op: between\n      rhs: { low: 30, high: 70 }\n')).toMatchObject({ rhs: { kind: 'range', low: 30, high: 70 } });
    expect(only('    - [trend.direction, in, [1, 0]]\n')).toMatchObject({ op: 'in', rhs: { kind: 'list', values: [1, 0] } });
    expect(only('    - [trend.direction, "=", 1]\n')).toMatchObject({ op: '==' });
    const hist = only('    - [macd.histogram, ">", 0]\n') as Extract<Condition, { kind: 'cmp' }>;
    expect(ref(hist.lhs)).toEqual({ source: 'feature', key: 'macd', field: 'histogram', type: 'FLOAT' });
    expect(only('    - [close, ">", hi_20]\n')).toMatchObject({ rhs: { ref: { source: 'structure', key: 'hi_20', field: 'value' } } });
    expect(only('    - [last_price, ">", mark_price]\n')).toMatchObject({ lhs: { ref: { source: 'builtin', name: 'last_price' } } });
  });

  it('BOOL fields compare with 1/0 and true/false', () => {
    expect(only('    - [ms.bos_this_bar, "==", 1]\n')).toMatchObject({ rhs: { kind: 'const', value: 1 } });
    expect(only('    - [ms.bos_this_bar, "==", true]\n')).toMatchObject({ rhs: { kind: 'const', value: true } });
    expect(only('    - [sq.on, "!=", false]\n')).toMatchObject({ op: '!=' });
    expect(where(withEntry('    - [ms.bos_this_bar, "==", 2]\n'))[0]).toBe('DSL_TYPE_MISMATCH');
    expect(where(withEntry('    - [ms.bos_this_bar, ">", 0]\n'))[0]).toBe('DSL_OPERATOR_TYPE');
  });

  it('ENUM fields compare with their states (case-insensitive, canonicalized)', () => {
    expect(only('    - [ms.bos_direction, "==", bullish]\n')).toMatchObject({ rhs: { kind: 'const', value: 'bullish' } });
    expect(only('    - ["zones.zone[0].state", "==", ACTIVE]\n')).toMatchObject({ lhs: { ref: { field: 'zone[0].state', type: 'ENUM' } }, rhs: { value: 'active' } });
    expect(only('    - lhs: { feature_id: ms, field: bos_direction }\n      op: in\n      rhs: [bullish, none]\n')).toMatchObject({ rhs: { kind: 'list', values: ['bullish', 'none'] } });
  });

  it('keeps a source position on AST nodes', () => {
    const c = only('    - [ema_9, ">", ema_21]\n');
    expect(locOf(c)).toMatchObject({ file: 'test.yml', line: 19, column: 7 });
    expect(locOf((c as { rhs: Operand }).rhs)).toMatchObject({ line: 19, column: 20 });
  });
});

describe('type rules', () => {
  it('rejects == and != on FLOAT', () => {
    expect(where(withEntry('    - [close, "==", "fib.level[0.618]"]\n'))).toEqual(['DSL_FLOAT_EQUALITY', 19, 15]);
    expect(where(withEntry('    - [rsi_14, "!=", 50]\n'))[0]).toBe('DSL_FLOAT_EQUALITY');
  });

  it('checks operators per output type', () => {
    expect(where(withEntry('    - [ms.bos_direction, cross_above, bullish]\n'))[0]).toBe('DSL_OPERATOR_TYPE');
    expect(where(withEntry('    - [rsi_14, in, [30, 70]]\n'))[0]).toBe('DSL_OPERATOR_TYPE');
    expect(where(withEntry('    - [trend.direction, cross_above, 0]\n'))[0]).toBe('DSL_OPERATOR_TYPE');
    expect(where(withEntry('    - [ms.bos_direction, "==", 1]\n'))[0]).toBe('DSL_TYPE_MISMATCH');
    expect(where(withEntry('    - [close, ">", ms.bos_this_bar]\n'))[0]).toBe('DSL_TYPE_MISMATCH');
  });

  it('rejects ENUM states a field never emits', () => {
    expect(where(withEntry('    - [trend.last_wave_direction, "==", sideways]\n'))).toEqual(['DSL_UNKNOWN_STATE', 19, 41]);
    expect(fail(withEntry('    - [ms.choch_direction, in, [bullish, up]]\n')).code).toBe('DSL_UNKNOWN_STATE');
  });

  it('rejects undefined references and unknown fields', () => {
    expect(where(withEntry('    - [ema_9, ">", ema_50]\n'))).toEqual(['DSL_UNDEFINED_REFERENCE', 19, 20]);
    expect(where(withEntry('    - [macd.hist, ">", 0]\n'))[0]).toBe('DSL_UNKNOWN_FIELD');
    expect(where(withEntry('    - [macd, ">", 0]\n'))[0]).toBe('DSL_UNKNOWN_FIELD');
    expect(where(withEntry('    - [swing.top, ">", 0]\n'))[0]).toBe('DSL_UNKNOWN_FIELD');
    expect(where(withEntry('    - [close, ">", "fib.level[0.7]"]\n'))[0]).toBe('DSL_UNKNOWN_FIELD');
    expect(where(withEntry('    - [ema_9.value2, ">", 0]\n'))[0]).toBe('DSL_UNKNOWN_FIELD');
  });

  it('rejects malformed comparisons', () => {
    expect(where(withEntry('    - [ema_9, crosses, ema_21]\n'))).toEqual(['DSL_UNKNOWN_OPERATOR', 19, 15]);
    expect(where(withEntry('    - [ema_9, ">"]\n'))[0]).toBe('DSL_BAD_CONDITION');
    expect(where(withEntry('    - [close, near_pct, ema_9]\n'))[0]).toBe('DSL_BAD_CONDITION');
    expect(where(withEntry('    - [close, ">", ema_9, 3]\n'))[0]).toBe('DSL_BAD_CONDITION');
    expect(where(withEntry('    - [rsi_14, between, 30]\n'))[0]).toBe('DSL_BAD_CONDITION');
    expect(where(withEntry('    - [rsi_14, between, [70, 30]]\n'))[0]).toBe('DSL_INVALID_VALUE');
    expect(where(withEntry('    - [30, "<", 40]\n'))[0]).toBe('DSL_BAD_CONDITION');
    expect(where(withEntry('    - lhs: { feature_id: rsi_14, offset: -1 }\n      op: "<"\n      rhs: 30\n'))[0]).toBe('DSL_OUT_OF_BOUNDS');
    expect(where(withEntry('    - lhs: { feature_id: mark_price, offset: 1 }\n      op: ">"\n      rhs: 0\n'))[0]).toBe('DSL_INVALID_VALUE');
    expect(where(withEntry('    - { lhs: close, op: ">" }\n'))[0]).toBe('DSL_MISSING_FIELD');
    expect(where(withEntry('    - { every: [] }\n'))[0]).toBe('DSL_BAD_CONDITION');
  });
});

describe('logic, windows and setups', () => {
  it('all / any / not nest; a bare list is an implicit all', () => {
    const c = entry(ok(withEntry('    any:\n      - all:\n          - [ema_9, ">", ema_21]\n          - [rsi_14, "<", 70]\n      - not:\n          - [rsi_14, ">", 80]\n')));
    expect(c).toMatchObject({ kind: 'any', items: [{ kind: 'all', items: [{ kind: 'cmp' }, { kind: 'cmp' }] }, { kind: 'not', item: { kind: 'cmp', op: '>' } }] });
    expect(entry(ok(withEntry('    - [ema_9, ">", ema_21]\n')))).toMatchObject({ kind: 'all', items: [{ kind: 'cmp' }] });
    expect(entry(ok(withEntry('    not: [[rsi_14, ">", 70], [rsi_14, "<", 20]]\n')))).toMatchObject({ kind: 'not', item: { kind: 'all' } });
  });

  it('bar windows with ranges and anchor_tf; duration windows', () => {
    const c = entry(ok(withEntry('    all:\n      - holds_for: { bars: [3, 5], anchor_tf: 15m, expr: [[close, ">", ema_21]] }\n      - occurred_within: { bars: 10, expr: [ema_9, cross_above, ema_21] }\n      - count_true: { bars: { min: 10, max: 20, step: 5 }, min_true: 8, expr: [[close, ">", ema_9]] }\n      - holds_for_duration: { duration: 30m, expr: [[rsi_14, ">", 50]] }\n      - count_true_duration: { duration: 1d, min_true: 5, expr: [[close, ">", ema_9]] }\n')));
    expect(c).toMatchObject({
      kind: 'all',
      items: [
        { kind: 'window', op: 'holds_for', bars: { choices: [3, 5] }, anchor_tf: '15m', expr: { kind: 'cmp' } },
        { kind: 'window', op: 'occurred_within', bars: 10, expr: { kind: 'cmp', op: 'cross_above' } },
        { kind: 'window', op: 'count_true', bars: { min: 10, max: 20, step: 5 }, min_true: 8 },
        { kind: 'window', op: 'holds_for', duration: '30m' },
        { kind: 'window', op: 'count_true', duration: '1d', min_true: 5 },
      ],
    });
  });

  it('checks window bounds and shape', () => {
    const w = (body: string) => withEntry(`    - ${body}\n`);
    expect(where(w('holds_for: { bars: 600, expr: [[close, ">", ema_9]] }'))[0]).toBe('DSL_OUT_OF_BOUNDS');
    expect(where(w('holds_for: { bars: 5 }'))[0]).toBe('DSL_MISSING_FIELD');
    expect(where(w('holds_for_duration: { duration: 48h, expr: [[close, ">", ema_9]] }'))[0]).toBe('DSL_OUT_OF_BOUNDS');
    expect(where(w('holds_for_duration: { duration: soon, expr: [[close, ">", ema_9]] }'))[0]).toBe('DSL_INVALID_VALUE');
    expect(where(w('count_true: { bars: 5, min_true: 8, expr: [[close, ">", ema_9]] }'))[0]).toBe('DSL_OUT_OF_BOUNDS');
    expect(where(w('holds_for: { bars: 5, anchor_tf: 8h, expr: [[close, ">", ema_9]] }'))[0]).toBe('DSL_INVALID_TIMEFRAME');
    expect(where(w('holds_for: { bars: 5, every: 2, expr: [[close, ">", ema_9]] }'))[0]).toBe('DSL_UNKNOWN_KEY');
    // 1d of 1m exec bars is 1440 bars: over the 500-bar limit.
    expect(where(`timeframes: { low_tf: 1m, med_tf: 1h, high_tf: D, exec: low_tf }\n${w('holds_for_duration: { duration: 1d, expr: [[close, ">", ema_9]] }')}`)[0]).toBe('DSL_OUT_OF_BOUNDS');
  });

  it('setups are referenced, nest, and may not be circular or undefined', () => {
    const setups = 'setups:\n  up: { all: [[close, ">", ema_21]] }\n  pull: { all: [{ setup: up }, [rsi_14, "<", 40]] }\n';
    const p = ok(withEntry('    all:\n      - setup: pull\n', setups));
    expect(p.setups.pull).toMatchObject({ kind: 'all', items: [{ kind: 'setup', name: 'up' }, { kind: 'cmp' }] });
    expect(entry(p)).toMatchObject({ kind: 'all', items: [{ kind: 'setup', name: 'pull' }] });
    expect(where(withEntry('    - setup: nope\n'))[0]).toBe('DSL_UNDEFINED_REFERENCE');
    const circular = 'setups:\n  a: { all: [{ setup: b }] }\n  b: { all: [{ setup: c }] }\n  c: { all: [{ setup: a }] }\n';
    const e = fail(withEntry('    - setup: a\n', circular));
    expect(e.code).toBe('DSL_CIRCULAR_SETUP');
    expect(e.message).toContain('a -> b -> c -> a');
    expect(where(withEntry('    - [close, ">", 0]\n', 'setups:\n  s: { all: [{ setup: s }] }\n'))[0]).toBe('DSL_CIRCULAR_SETUP');
  });
});

describe('actions', () => {
  it('maps action names to conditions and rejects unknown names', () => {
    const p = ok(play(`${FEATURES}actions:\n  entry_long: [[ema_9, ">", ema_21]]\n  exit_long: { any: [[rsi_14, ">", 70]] }\n  entry_short: [[ema_9, "<", ema_21]]\n  exit_all: [[rsi_14, "<", 5]]\n`));
    expect(p.actions.form === 'rules' && p.actions.rules.map((r) => r.action)).toEqual(['entry_long', 'exit_long', 'entry_short', 'exit_all']);
    expect(where(play(`${FEATURES}actions:\n  buy: [[ema_9, ">", ema_21]]\n`))).toEqual(['DSL_UNKNOWN_KEY', 18, 3]);
    expect(where(play(`${FEATURES}actions: {}\n`))[0]).toBe('DSL_MISSING_FIELD');
  });

  it('records action metadata as references or labels', () => {
    const p = ok(withEntry('    all: [[rsi_14, "<", 30]]\n    metadata:\n      entry_rsi: rsi_14\n      trend_strength: trend.strength\n      reason: oversold_bounce\n      atr: { feature_id: atr_14 }\n'));
    const rule = p.actions.form === 'rules' ? p.actions.rules[0] : undefined;
    expect(rule?.metadata).toEqual({
      entry_rsi: { kind: 'ref', ref: { source: 'feature', key: 'rsi_14', field: 'value', type: 'FLOAT' } },
      trend_strength: { kind: 'ref', ref: { source: 'structure', key: 'trend', field: 'strength', type: 'INT' } },
      reason: { kind: 'const', value: 'oversold_bounce' },
      atr: { kind: 'ref', ref: { source: 'feature', key: 'atr_14', field: 'value', type: 'FLOAT' } },
    });
  });

  it('parses case blocks with emit, percent, metadata and else', () => {
    const p = ok(play(`${FEATURES}actions:\n  - id: entry\n    cases:\n      - when: { all: [[rsi_14, "<", 30], [ema_9, ">", ema_21]] }\n        emit: [{ action: entry_long }]\n      - when: { all: [[rsi_14, ">", 70]] }\n        emit:\n          - { action: exit_long, percent: 50 }\n          - { action: entry_short, metadata: { why: overbought } }\n    else:\n      emit: [{ action: no_action }]\n`));
    expect(p.actions.form).toBe('blocks');
    const b = p.actions.form === 'blocks' ? p.actions.blocks[0] : undefined;
    expect(b?.id).toBe('entry');
    expect(b?.cases.map((c) => c.emit)).toEqual([[{ action: 'entry_long' }], [{ action: 'exit_long', percent: 50 }, { action: 'entry_short', metadata: { why: { kind: 'const', value: 'overbought' } } }]]);
    expect(b?.else).toEqual({ emit: [{ action: 'no_action' }] });
    expect(where(play(`${FEATURES}actions:\n  - id: e\n    cases:\n      - emit: [{ action: entry_long }]\n`))[0]).toBe('DSL_MISSING_FIELD');
    expect(where(play(`${FEATURES}actions:\n  - id: e\n    cases:\n      - { when: [[close, ">", 0]], emit: [{ action: go_long }] }\n`))[0]).toBe('DSL_INVALID_VALUE');
    expect(where(play(`${FEATURES}actions:\n  - id: e\n    cases:\n      - { when: [[close, ">", 0]], emit: [{ action: exit_long, percent: 150 }] }\n`))[0]).toBe('DSL_OUT_OF_BOUNDS');
  });
});

describe('ranges where none is allowed', () => {
  it('rejects ranged condition constants and header numbers', () => {
    expect(where(withEntry('    - [rsi_14, "<", [30, 40]]\n'))).toEqual(['DSL_RANGE_NOT_ALLOWED', 19, 21]);
    expect(where(withEntry('    - [rsi_14, "<", { min: 30, max: 40 }]\n'))[0]).toBe('DSL_RANGE_NOT_ALLOWED');
    expect(where(play(`account:\n  max_leverage: [1, 2]\n${FEATURES}actions:\n  entry_long: [[close, ">", 0]]\n`))).toEqual(['DSL_RANGE_NOT_ALLOWED', 3, 17]);
  });
});
