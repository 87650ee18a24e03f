// Discrete operators (== != in, and the numeric ones on INT) on ENUM, INT and BOOL columns, through the
// condition planner with hand-made columns: ENUM labels become codes, BOOL true/false become 1/0, an ENUM
// compared with an ENUM of another field compares labels. Vectorised and scalar results must agree.
import { describe, expect, it } from 'vitest';
import type { Condition, Operand, ResolvedRef, Scalar } from '../../../src/dsl/index.ts';
import type { ColumnResolver } from '../../../src/engine/compile/columns.ts';
import { Planner, ScalarEvaluator, VectorEvaluator } from '../../../src/engine/compile/conditions/index.ts';

interface StubColumn {
  ref: ResolvedRef;
  values: number[];
  labels?: string[];
}

const enumRef = (key: string, values: string[]): ResolvedRef => ({ source: 'structure', key, field: 'state', type: 'ENUM', values });
const intRef: ResolvedRef = { source: 'structure', key: 'ms', field: 'bias', type: 'INT' };
const boolRef: ResolvedRef = { source: 'structure', key: 'ms', field: 'bos_this_bar', type: 'BOOL' };
const hashRef: ResolvedRef = { source: 'structure', key: 'fib', field: 'anchor_hash', type: 'ENUM' };

/** Evaluates `cond` over stub columns; returns T/F/U per bar after checking the scalar path agrees. */
function run(cond: Condition, cols: StubColumn[]): string {
  const byKey = new Map(cols.map((c) => [`${c.ref.source === 'builtin' ? c.ref.name : `${c.ref.key}.${c.ref.field}`}`, c]));
  const find = (ref: ResolvedRef) => byKey.get(ref.source === 'builtin' ? ref.name : `${ref.key}.${ref.field}`)!;
  const resolver = {
    column: (ref: ResolvedRef) => Float64Array.from(find(ref).values),
    labels: (ref: ResolvedRef) => find(ref).labels,
    firstWarmBar: () => 0,
  } as unknown as ColumnResolver;
  const planner = new Planner({ resolver, execInterval: '1h', setups: {} });
  const node = planner.plan(cond);
  const n = cols[0].values.length;
  const vec = new VectorEvaluator(n, planner.setups).eval(node);
  const scalar = new ScalarEvaluator(n, planner.setups);
  let s = '';
  for (let i = 0; i < n; i++) {
    expect(scalar.at(node, i)).toBe(vec[i]);
    s += 'FUT'[vec[i]];
  }
  return s;
}

const ref = (r: ResolvedRef): Operand => ({ kind: 'ref', ref: r, offset: 0 });
const k = (value: Scalar): Operand => ({ kind: 'const', value });
const cmp = (lhs: Operand, op: Extract<Condition, { kind: 'cmp' }>['op'], rhs: Operand): Condition => ({ kind: 'cmp', op, lhs, rhs });

describe('ENUM fields', () => {
  const labels = ['up', 'down', 'flat'];
  const state = enumRef('s', labels);
  const col: StubColumn = { ref: state, values: [0, 1, 2, NaN, 1], labels };

  it('== and != compare with a label (codes are indexes into the labels); a missing code is unknown', () => {
    expect(run(cmp(ref(state), '==', k('down')), [col])).toBe('FTFUT');
    expect(run(cmp(ref(state), '!=', k('down')), [col])).toBe('TFTUF');
    expect(run(cmp(ref(state), '==', k('DOWN')), [col])).toBe('FTFUT');
  });

  it('in takes a list of labels', () => {
    expect(run(cmp(ref(state), 'in', { kind: 'list', values: ['up', 'flat'] }), [col])).toBe('TFTUF');
  });

  it('an ENUM of another field compares by label, whatever the codes', () => {
    const otherLabels = ['flat', 'up', 'down'];
    const other = enumRef('t', otherLabels);
    const a: StubColumn = { ref: state, values: [0, 1, 2, 0, NaN], labels };
    const b: StubColumn = { ref: other, values: [1, 2, 0, 0, 1], labels: otherLabels };
    // a: up, down, flat, up, ?   b: up, down, flat, flat, up
    expect(run(cmp(ref(state), '==', ref(other)), [a, b])).toBe('TTTFU');
    expect(run(cmp(ref(state), '!=', ref(other)), [a, b])).toBe('FFFTU');
  });

  it('an open ENUM (a hash) compares with its numeric text', () => {
    const hash: StubColumn = { ref: hashRef, values: [123, 456, NaN] };
    expect(run(cmp(ref(hashRef), '==', k('123')), [hash])).toBe('TFU');
  });
});

describe('INT fields', () => {
  const col: StubColumn = { ref: intRef, values: [1, -1, 0, NaN, 2] };
  it('==, !=, in and the numeric comparisons', () => {
    expect(run(cmp(ref(intRef), '==', k(1)), [col])).toBe('TFFUF');
    expect(run(cmp(ref(intRef), '!=', k(1)), [col])).toBe('FTTUT');
    expect(run(cmp(ref(intRef), 'in', { kind: 'list', values: [1, 0] }), [col])).toBe('TFTUF');
    expect(run(cmp(ref(intRef), '>', k(0)), [col])).toBe('TFFUT');
    expect(run(cmp(ref(intRef), 'between', { kind: 'range', low: 0, high: 1 }), [col])).toBe('TFTUF');
  });
});

describe('BOOL fields', () => {
  const col: StubColumn = { ref: boolRef, values: [1, 0, NaN] };
  it('compare with 1/0 or true/false', () => {
    expect(run(cmp(ref(boolRef), '==', k(1)), [col])).toBe('TFU');
    expect(run(cmp(ref(boolRef), '==', k(true)), [col])).toBe('TFU');
    expect(run(cmp(ref(boolRef), '!=', k(false)), [col])).toBe('TFU');
  });
});
