// Every condition form, one by one, on small hand-made 1h series whose expected result is obvious.
// Each condition is compiled as `entry_long: X` and `entry_short: not X`, so a bar reads T (X true),
// F (X false) or U (unknown: a value is missing, so neither X nor `not X` fires). Every bar is also checked
// through the scalar path (actionsAt) against the vectorised signals.
import { describe, expect, it } from 'vitest';
import type { Candles } from '../../../src/data/index.ts';
import { compile1h, handCandles } from './helpers.ts';

function tri(cond: string, c: Candles, extra = ''): string {
  const body = `${extra}\nactions:\n  entry_long:\n    - ${cond}\n  entry_short:\n    - not: ${cond}\n`;
  const compiled = compile1h(body, c);
  const t = compiled.signals.entry_long;
  const f = compiled.signals.entry_short;
  let s = '';
  for (let i = 0; i < compiled.n; i++) {
    expect(t[i] && f[i]).toBe(0);
    const fired = compiled.actionsAt(i).map((a) => a.action);
    expect(fired).toEqual([...(t[i] ? ['entry_long'] : []), ...(f[i] ? ['entry_short'] : [])]);
    s += t[i] ? 'T' : f[i] ? 'F' : 'U';
  }
  return s;
}

const closes = (...close: number[]) => handCandles({ close });

describe('comparison operators', () => {
  const c = closes(9, 10, 11);
  it('> < >= <= against a constant', () => {
    expect(tri('[close, ">", 10]', c)).toBe('FFT');
    expect(tri('[close, ">=", 10]', c)).toBe('FTT');
    expect(tri('[close, "<", 10]', c)).toBe('TFF');
    expect(tri('[close, "<=", 10]', c)).toBe('TTF');
  });

  it('against another series, and with the constant on the left', () => {
    const oc = handCandles({ open: [10, 10, 10], close: [9, 10, 11] });
    expect(tri('[close, ">", open]', oc)).toBe('FFT');
    expect(tri('[10, "<", close]', oc)).toBe('FFT');
  });

  it('between is inclusive at both ends', () => {
    expect(tri('[close, between, [10, 12]]', closes(9, 10, 11, 12, 13))).toBe('FTTTF');
    expect(tri('[close, between, {low: 10, high: 12}]', closes(9, 10, 12.5))).toBe('FTF');
  });

  it('near_pct tolerance is a percent (1 = 1%), relative to the right side', () => {
    const oc = handCandles({ open: [100, 100, 100, 100, 100], close: [100, 101, 101.5, 99, 98.9] });
    expect(tri('[close, near_pct, open, 1]', oc)).toBe('TTFTF');
    // 0.03 means 0.03 %, not 3 % (TRADE's pitfall): 101 is not within 0.03 % of 100.
    expect(tri('[close, near_pct, open, 0.03]', oc)).toBe('TFFFF');
  });

  it('near_pct against zero cannot be computed: unknown', () => {
    expect(tri('[close, near_pct, 0, 5]', closes(0, 1))).toBe('UU');
  });

  it('near_abs is an absolute distance', () => {
    const oc = handCandles({ open: [100, 100, 100, 100, 100], close: [100, 102, 103, 98, 97.5] });
    expect(tri('[close, near_abs, open, 2]', oc)).toBe('TTFTF');
  });

  it('cross_above / cross_below: previous bar on or beyond, this bar strictly past; bar 0 has no previous bar', () => {
    const c2 = closes(9, 11, 12, 9, 10, 11);
    expect(tri('[close, cross_above, 10]', c2)).toBe('UTFFFT');
    expect(tri('[close, cross_below, 10]', c2)).toBe('UFFTFF');
    const oc = handCandles({ open: [10, 10, 10, 12], close: [9, 11, 11, 11] });
    expect(tri('[close, cross_above, open]', oc)).toBe('UTFF');
    expect(tri('[close, cross_below, open]', oc)).toBe('UFFT');
  });

  it('a cross reading a missing previous value is unknown', () => {
    expect(tri('[close, cross_above, 10]', closes(9, NaN, 11, 12))).toBe('UUUF');
  });
});

describe('arithmetic', () => {
  it('list and dict forms, on either side', () => {
    const oc = handCandles({ open: [10, 10, 10], close: [10.5, 11, 12] });
    expect(tri('{lhs: [close, "-", open], op: ">", rhs: 1}', oc)).toBe('FFT');
    expect(tri('[close, ">", {"+": [open, 1]}]', oc)).toBe('FFT');
    expect(tri('{lhs: [close, "*", 2], op: ">=", rhs: 22}', oc)).toBe('FTT');
  });

  it('division by zero (and modulo by zero) is unknown, not false', () => {
    const cv = handCandles({ close: [10, 10, 10], volume: [5, 0, 20] });
    expect(tri('{lhs: [close, "/", volume], op: ">", rhs: 1}', cv)).toBe('TUF');
    expect(tri('{lhs: [close, "%", [volume, "-", 5]], op: ">=", rhs: 0}', cv)).toBe('UTT');
  });

  it('% takes the sign of the divisor (as TRADE, in Python, does)', () => {
    // 4 % -3 = -2 and -4 % 3 = 2 in Python; JavaScript's remainder gives 1 and -1.
    expect(tri('{lhs: [close, "%", -3], op: "<", rhs: 0}', closes(4, 3))).toBe('TF');
    expect(tri('{lhs: [close, "%", 3], op: ">", rhs: 1.5}', closes(-4, -3))).toBe('TF');
  });

  it('an overflow to Infinity is missing', () => {
    expect(tri('{lhs: [close, "*", 1e308], op: ">", rhs: 0}', closes(1, 10))).toBe('TU');
  });
});

describe('offsets', () => {
  it('offset 1 is the previous bar; beyond the history is unknown', () => {
    const c = closes(1, 2, 2, 3);
    expect(tri('{lhs: close, op: ">", rhs: {feature_id: close, offset: 1}}', c)).toBe('UTFT');
    expect(tri('{lhs: close, op: ">", rhs: {feature_id: close, offset: 2}}', c)).toBe('UUTT');
    expect(tri('{lhs: {feature_id: close, offset: 3}, op: ">", rhs: 0}', c)).toBe('UUUT');
  });

  it('on a feature', () => {
    const c = closes(1, 2, 3, 4, 5);
    const features = 'features:\n  sma_2: { indicator: sma, params: { length: 2 } }';
    // sma_2 = NaN, 1.5, 2.5, 3.5, 4.5; sma_2 one bar back = NaN, NaN, 1.5, 2.5, 3.5
    expect(tri('{lhs: close, op: ">", rhs: {feature_id: sma_2, offset: 1}}', c, features)).toBe('UUTTT');
    expect(tri('{lhs: {feature_id: sma_2, offset: 1}, op: ">", rhs: 2}', c, features)).toBe('UUFTT');
  });
});

describe('boolean logic and missing values', () => {
  // close: missing (NaN), 5, 15, Infinity, 15; volume 1, 1, 1, 1, 200
  const c = handCandles({ close: [NaN, 5, 15, Infinity, 15], volume: [1, 1, 1, 1, 200] });

  it('NaN and Infinity make a comparison unknown: neither it nor its negation fires', () => {
    expect(tri('[close, ">", 10]', c)).toBe('UFTUT');
    expect(tri('[close, "<=", 10]', c)).toBe('UTFUF');
  });

  it('all: false as soon as one item is false, else unknown if one is unknown', () => {
    expect(tri('{all: [[close, ">", 10], [volume, ">", 100]]}', c)).toBe('FFFFT');
    expect(tri('{all: [[close, ">", 10], [volume, ">", 0]]}', c)).toBe('UFTUT');
  });

  it('any: true as soon as one item is true, else unknown if one is unknown', () => {
    expect(tri('{any: [[close, ">", 10], [volume, ">", 100]]}', c)).toBe('UFTUT');
    expect(tri('{any: [[close, ">", 10], [volume, ">", 0]]}', c)).toBe('TTTTT');
  });

  it('not keeps unknown unknown; nesting', () => {
    expect(tri('{not: {not: [close, ">", 10]}}', c)).toBe('UFTUT');
    expect(tri('{any: [{all: [[close, ">", 10], [volume, ">", 100]]}, [close, "<", 6]]}', c)).toBe('UTFUT');
  });

  it('open_interest has no data: every condition on it is unknown', () => {
    expect(tri('[open_interest, ">", 0]', closes(1, 2))).toBe('UU');
  });
});

describe('window operators', () => {
  it('holds_for: every one of the last N bars', () => {
    expect(tri('{holds_for: {bars: 3, expr: [[close, ">", 10]]}}', closes(11, 12, 13, 9, 14, 15, 16))).toBe('UUTFFFT');
  });

  it('occurred_within: at least one of the last N bars', () => {
    expect(tri('{occurred_within: {bars: 3, expr: [[close, ">", 10]]}}', closes(9, 9, 11, 9, 9, 9, 9))).toBe('UUTTTFF');
  });

  it('count_true: at least min_true of the last N bars', () => {
    expect(tri('{count_true: {bars: 4, min_true: 2, expr: [[close, ">", 10]]}}', closes(11, 9, 11, 9, 9, 9, 11, 11))).toBe('UUTTFFFT');
  });

  it('a missing bar inside the window counts as unknown', () => {
    expect(tri('{holds_for: {bars: 2, expr: [[close, ">", 10]]}}', closes(11, NaN, 12, 13))).toBe('UUUT');
    expect(tri('{occurred_within: {bars: 2, expr: [[close, ">", 10]]}}', closes(9, NaN, 9, 11))).toBe('UUUT');
  });

  it('duration forms count exec bars: "3h" on 1h bars is 3 bars, "30m" is the current bar', () => {
    const c = closes(11, 12, 13, 9, 14, 15, 16);
    expect(tri('{holds_for_duration: {duration: "3h", expr: [[close, ">", 10]]}}', c)).toBe('UUTFFFT');
    expect(tri('{holds_for_duration: {duration: "30m", expr: [[close, ">", 10]]}}', c)).toBe('TTTFTTT');
    expect(tri('{occurred_within_duration: {duration: "2h", expr: [[close, "<", 10]]}}', c)).toBe('UFFTTFF');
    expect(tri('{count_true_duration: {duration: "4h", min_true: 3, expr: [[close, ">", 10]]}}', c)).toBe('UUTTTTT');
  });

  it('anchor_tf counts the window in bars of that timeframe (4h on 1h: every 4th bar)', () => {
    // samples at i and i-4
    const c = closes(11, 9, 9, 9, 11, 9, 9, 9, 9);
    expect(tri('{holds_for: {bars: 2, anchor_tf: "4h", expr: [[close, ">", 10]]}}', c)).toBe('UFFFTFFFF');
    expect(tri('{occurred_within: {bars: 2, anchor_tf: "4h", expr: [[close, ">", 10]]}}', c)).toBe('TUUUTFFFT');
  });

  it('a cross inside a window, and nested windows', () => {
    const c = closes(9, 11, 12, 9, 9, 9, 9);
    expect(tri('{occurred_within: {bars: 3, expr: [[close, cross_above, 10]]}}', c)).toBe('UTTTFFF');
    expect(tri('{holds_for: {bars: 2, expr: {occurred_within: {bars: 2, expr: [[close, ">", 10]]}}}}', c)).toBe('UUTTFFF');
  });
});

describe('setups', () => {
  it('a setup is the condition it names, nested setups included', () => {
    const extra = 'setups:\n  up: { all: [[close, ">", 10]] }\n  up_and_volume: { all: [{setup: up}, [volume, ">", 1]] }';
    const c = handCandles({ close: [9, 11, 12], volume: [5, 5, 1] });
    expect(tri('{setup: up}', c, extra)).toBe('FTT');
    expect(tri('{setup: up_and_volume}', c, extra)).toBe('FTF');
  });
});
