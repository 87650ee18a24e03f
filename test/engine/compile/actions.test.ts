// Actions: rules, cases (first match, else), partial exits, several blocks, and setups evaluated once.
import { afterEach, describe, expect, it, vi } from 'vitest';
import { ScalarEvaluator, VectorEvaluator } from '../../../src/engine/compile/conditions/index.ts';
import { bits, compile1h, handCandles } from './helpers.ts';

afterEach(() => {
  vi.restoreAllMocks();
});

const CASES = `
actions:
  - id: entry
    cases:
      - when: [[close, ">", 10]]
        emit:
          - action: entry_long
      - when: [[close, ">", 5]]
        emit:
          - action: entry_short
    else:
      emit:
        - action: no_action
  - id: exits
    cases:
      - when: [[close, "<", 3]]
        emit:
          - action: exit_long
            percent: 50
      - when: [[close, "<", 4]]
        emit:
          - action: exit_long
    else:
      emit:
        - action: exit_short
`;

describe('action blocks (cases)', () => {
  const c = handCandles({ close: [12, 7, 2, 3.5, NaN] });
  const compiled = compile1h(CASES, c);

  it('the first TRUE case wins, else the else branch (an unknown case does not match)', () => {
    expect(bits(compiled.signals.entry_long)).toEqual([1, 0, 0, 0, 0]);
    expect(bits(compiled.signals.entry_short)).toEqual([0, 1, 0, 0, 0]);
    expect(bits(compiled.signals.exit_long)).toEqual([0, 0, 1, 1, 0]);
    expect(bits(compiled.signals.exit_short)).toEqual([1, 1, 0, 0, 1]);
    expect(bits(compiled.signals.exit_all)).toEqual([0, 0, 0, 0, 0]);
  });

  it('percent exits carry their percent; other bars say 100', () => {
    expect(bits(compiled.exitPercent.exit_long)).toEqual([100, 100, 50, 100, 100]);
    expect(bits(compiled.exitPercent.exit_short)).toEqual([100, 100, 100, 100, 100]);
  });

  it('each case condition is a column of its own (its raw value, not whether it matched)', () => {
    const cols = compiled.conditionColumns();
    expect(Object.keys(cols)).toEqual(['entry.case[0]', 'entry.case[1]', 'exits.case[0]', 'exits.case[1]']);
    expect(bits(cols['entry.case[1]'])).toEqual([1, 1, 0, 0, 0]);
    expect(bits(cols['exits.case[1]'])).toEqual([0, 0, 1, 1, 0]);
  });

  it('actionsAt gives the same decisions with their percents', () => {
    expect(compiled.actionsAt(0)).toEqual([{ action: 'entry_long', percent: 100 }, { action: 'exit_short', percent: 100 }]);
    expect(compiled.actionsAt(2)).toEqual([{ action: 'exit_long', percent: 50 }]);
    expect(compiled.actionsAt(3)).toEqual([{ action: 'exit_long', percent: 100 }]);
    expect(compiled.actionsAt(4)).toEqual([{ action: 'exit_short', percent: 100 }]);
    expect(() => compiled.actionsAt(5)).toThrow(/outside/);
  });
});

describe('several emitters of one exit', () => {
  it('the largest percent wins on a bar where two blocks close different shares', () => {
    const body = `
actions:
  - id: a
    cases:
      - when: [[close, "<", 3]]
        emit:
          - action: exit_all
            percent: 25
  - id: b
    cases:
      - when: [[close, "<", 5]]
        emit:
          - action: exit_all
            percent: 60
`;
    const compiled = compile1h(body, handCandles({ close: [2, 4, 6] }));
    expect(bits(compiled.signals.exit_all)).toEqual([1, 1, 0]);
    expect(bits(compiled.exitPercent.exit_all)).toEqual([60, 60, 100]);
    expect(compiled.actionsAt(0)).toEqual([{ action: 'exit_all', percent: 60 }]);
  });
});

describe('rules', () => {
  it('each action fires where its condition is TRUE; condition columns are named when.<action>', () => {
    const body = `
actions:
  entry_long: [[close, ">", 10]]
  exit_all: [[close, "<", 5]]
`;
    const compiled = compile1h(body, handCandles({ close: [12, 4, 7] }));
    expect(bits(compiled.signals.entry_long)).toEqual([1, 0, 0]);
    expect(bits(compiled.signals.exit_all)).toEqual([0, 1, 0]);
    expect(Object.keys(compiled.conditionColumns())).toEqual(['when.entry_long', 'when.exit_all']);
  });
});

describe('setups are evaluated once', () => {
  const body = `
setups:
  up: [[close, ">", 10]]
actions:
  entry_long: [{ setup: up }]
  entry_short: [{ setup: up }, [close, "<", 100]]
  exit_long: [{ not: { setup: up } }]
`;

  it('vectorised: one comparison pass for the setup, however many actions use it', () => {
    const spy = vi.spyOn(VectorEvaluator.prototype as unknown as { cmp: () => Uint8Array }, 'cmp');
    const compiled = compile1h(body, handCandles({ close: [12, 4, 7] }));
    expect(spy).toHaveBeenCalledTimes(2); // close > 10 (the setup), close < 100
    expect(bits(compiled.conditionColumns()['setup.up'])).toEqual([1, 0, 0]);
    expect(bits(compiled.signals.exit_long)).toEqual([0, 1, 1]);
  });

  it('scalar: cached per bar', () => {
    const compiled = compile1h(body, handCandles({ close: [12, 4, 7] }));
    const spy = vi.spyOn(ScalarEvaluator.prototype as unknown as { cmp: () => number }, 'cmp');
    // bar 0: the setup (close > 10) is compared once for three actions, plus close < 100
    expect(compiled.actionsAt(0)).toEqual([{ action: 'entry_long', percent: 100 }, { action: 'entry_short', percent: 100 }]);
    expect(spy).toHaveBeenCalledTimes(2);
  });
});
