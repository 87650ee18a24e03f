// The vectorised evaluator's two-valued fast paths (comparisons of a column with a constant or another column,
// crosses, the one-pass pair of opposite crosses, all/any/not as AND/OR of TRUE and FALSE columns) against the
// scalar evaluator, on columns full of the values those paths must get right: NaN, +-Infinity, equal values,
// zero. Every bar's TRUE/FALSE/UNKNOWN must agree, whichever polarity a node is read with.
import { describe, expect, it } from 'vitest';
import { createRng } from '../../../src/common/rng.ts';
import type { Condition, Operand, ResolvedRef } from '../../../src/dsl/index.ts';
import type { ColumnResolver } from '../../../src/engine/compile/columns.ts';
import { Planner, ScalarEvaluator, VectorEvaluator, WANT_TRUE } from '../../../src/engine/compile/conditions/index.ts';
import { toSmallCodes } from '../../../src/engine/compile/small-codes.ts';

const N = 403; // not a multiple of 4: the AND/OR tails
const SPECIAL = [NaN, Infinity, -Infinity, 0, 1, 1, 2, -1];

/** A column mixing ordinary values with the special ones (runs of equal values make == and crosses at ties happen). */
function column(seed: number): Float64Array {
  const rng = createRng(seed);
  const out = new Float64Array(N);
  let x = 0;
  for (let i = 0; i < N; i++) {
    const u = rng.next();
    if (u < 0.15) out[i] = SPECIAL[Math.floor(rng.next() * SPECIAL.length)];
    else if (u < 0.3) out[i] = i > 0 ? out[i - 1] : 0;
    else out[i] = x += Math.round(rng.normal() * 2) / 2;
  }
  return out;
}

/** A state-like column: small integers (codes -1..3) with NaN and infinities among them. */
function codes(seed: number): Float64Array {
  const rng = createRng(seed);
  return Float64Array.from({ length: N }, () => (rng.next() < 0.1 ? SPECIAL[rng.int(3)] : rng.int(5) - 1));
}

const refs: ResolvedRef[] = ['a', 'b', 'c'].map((key) => ({ source: 'feature', key, field: 'value', type: 'FLOAT' }));
const cols = new Map([['a', column(1)], ['b', column(2)], ['c', codes(3)]]);
const resolver = {
  column: (ref: ResolvedRef) => cols.get((ref as { key: string }).key)!,
  labels: () => undefined,
  firstWarmBar: () => 0,
} as unknown as ColumnResolver;

const A: Operand = { kind: 'ref', ref: refs[0], offset: 0 };
const B: Operand = { kind: 'ref', ref: refs[1], offset: 0 };
const C: Operand = { kind: 'ref', ref: refs[2], offset: 0 };
const k = (value: number): Operand => ({ kind: 'const', value });
type Op = Extract<Condition, { kind: 'cmp' }>['op'];
const cmp = (lhs: Operand, op: Op, rhs: Operand): Condition => ({ kind: 'cmp', op, lhs, rhs });

/** Vectorised (each root declared with `pols`, then read) against scalar, bar by bar. */
function agree(roots: Condition[], pols = WANT_TRUE, byteCodes = false): void {
  const planner = new Planner({ resolver, execInterval: '1h', setups: {} });
  const nodes = roots.map((c) => planner.plan(c));
  const vec = new VectorEvaluator(N, planner.setups, { smallCodes: byteCodes ? toSmallCodes : undefined });
  for (const node of nodes) vec.want(node, pols);
  const scalar = new ScalarEvaluator(N, planner.setups);
  for (const [j, node] of nodes.entries()) {
    const t = vec.truth(node), f = vec.falsity(node);
    for (let i = 0; i < N; i++) {
      const s = scalar.at(node, i);
      const v = t[i] ? 2 : f[i] ? 0 : 1;
      if (v !== s) expect({ root: j, bar: i, vectorised: v }).toEqual({ root: j, bar: i, vectorised: s });
      expect(t[i] & f[i]).toBe(0);
    }
  }
}

const OPS: Op[] = ['>', '<', '>=', '<=', '==', '!=', 'cross_above', 'cross_below'];

describe('fast comparison paths agree with the scalar evaluator on NaN, Infinity and ties', () => {
  for (const op of OPS) {
    it(`${op}: column-column, column-constant, constant-column, constant-constant, missing constant`, () => {
      const shapes = [cmp(A, op, B), cmp(B, op, A), cmp(A, op, k(1)), cmp(A, op, k(0)), cmp(k(1), op, A), cmp(k(1), op, k(2)), cmp(A, op, k(NaN)), cmp(A, op, A)];
      agree(shapes); // read as TRUE first (FALSE computed afterwards, on demand)
      agree(shapes, WANT_TRUE | 2); // both declared up front
      agree(shapes.map((c) => ({ kind: 'not', item: c })));
    });
  }

  it('== and != against a constant on byte codes (small-integer columns) equal the scalar path; other columns fall back', () => {
    const shapes = [-1, 0, 1, 3, 7, 200, 0.5, -128].flatMap((v) => [cmp(C, '==', k(v)), cmp(C, '!=', k(v)), cmp(k(v), '==', C), cmp(A, '==', k(v))]);
    agree(shapes, WANT_TRUE, true);
    agree(shapes, WANT_TRUE | 2, true);
    agree(shapes.map((c) => ({ kind: 'not', item: c })), WANT_TRUE, true);
    expect(toSmallCodes(cols.get('c')!)).not.toBeNull();
    expect(toSmallCodes(cols.get('a')!)).toBeNull();
  });

  it('both crosses of one pair in one pass (and either alone) equal the scalar crosses', () => {
    agree([cmp(A, 'cross_above', B), cmp(A, 'cross_below', B)]);
    agree([cmp(A, 'cross_below', B), cmp(A, 'cross_above', B)]);
    agree([cmp(A, 'cross_above', k(1)), cmp(A, 'cross_below', k(1))]);
  });

  it('all / any / not nest as AND and OR of TRUE and FALSE columns (lengths not a multiple of 4 included)', () => {
    const x = cmp(A, '>', B), y = cmp(A, '<=', k(1)), z = cmp(B, 'cross_above', k(0));
    agree([
      { kind: 'all', items: [x, y, z] },
      { kind: 'any', items: [x, y, z] },
      { kind: 'not', item: { kind: 'all', items: [x, { kind: 'not', item: y }] } },
      { kind: 'any', items: [{ kind: 'not', item: { kind: 'any', items: [y, z] } }, x] },
      { kind: 'all', items: [x] },
    ]);
  });
});
