// Scalar evaluation of a plan at one bar, for paper and live trading: reads columns only at indexes <= i
// (windows and crosses look back, never ahead). Setups are cached per (setup, bar).
import { arith, F, isMissing, T, U, type Tri } from './tri.ts';
import type { NumNode, PlanNode } from './plan.ts';

export class ScalarEvaluator {
  /** Per setup: -1 not evaluated yet, else the Tri at that bar. */
  private readonly setupMemo = new Map<string, Int8Array>();

  constructor(
    readonly n: number,
    private readonly setups: ReadonlyMap<string, PlanNode>,
  ) {}

  at(node: PlanNode, i: number): Tri {
    switch (node.kind) {
      case 'cmp':
        return this.cmp(node, i);
      case 'all': {
        let r: Tri = T;
        for (const item of node.items) {
          const v = this.at(item, i);
          if (v === F) return F;
          if (v === U) r = U;
        }
        return r;
      }
      case 'any': {
        let r: Tri = F;
        for (const item of node.items) {
          const v = this.at(item, i);
          if (v === T) return T;
          if (v === U) r = U;
        }
        return r;
      }
      case 'not':
        return (2 - this.at(node.item, i)) as Tri;
      case 'setup':
        return this.setup(node.name, i);
      case 'window':
        return this.window(node, i);
    }
  }

  setup(name: string, i: number): Tri {
    let memo = this.setupMemo.get(name);
    if (!memo) {
      memo = new Int8Array(this.n).fill(-1);
      this.setupMemo.set(name, memo);
    }
    if (memo[i] < 0) memo[i] = this.at(this.setups.get(name)!, i);
    return memo[i] as Tri;
  }

  private window(node: Extract<PlanNode, { kind: 'window' }>, i: number): Tri {
    let t = 0, f = 0;
    for (let k = 0; k < node.bars; k++) {
      const j = i - k * node.stride;
      if (j < 0) break; // the rest are before the first bar: UNKNOWN
      const v = this.at(node.expr, j);
      if (v === T) t++;
      else if (v === F) f++;
    }
    if (node.op === 'holds_for') return f > 0 ? F : t === node.bars ? T : U;
    if (node.op === 'occurred_within') return t > 0 ? T : f === node.bars ? F : U;
    return t >= node.minTrue ? T : node.bars - f < node.minTrue ? F : U;
  }

  num(node: NumNode, i: number): number {
    switch (node.kind) {
      case 'col':
        return node.col[i];
      case 'const':
        return node.value;
      case 'recode': {
        const c = node.col[i];
        return c >= 0 && c < node.table.length ? node.table[c] : NaN;
      }
      case 'arith':
        return arith(node.op, this.num(node.left, i), this.num(node.right, i));
    }
  }

  private cmp(node: Extract<PlanNode, { kind: 'cmp' }>, i: number): Tri {
    const l = this.num(node.lhs, i);
    if (node.op === 'between') return isMissing(l) ? U : l >= node.low && l <= node.high ? T : F;
    if (node.op === 'in') return isMissing(l) ? U : node.set.includes(l) ? T : F;
    const r = this.num(node.rhs, i);
    if (isMissing(l) || isMissing(r)) return U;
    switch (node.op) {
      case 'gt':
        return l > r ? T : F;
      case 'lt':
        return l < r ? T : F;
      case 'ge':
        return l >= r ? T : F;
      case 'le':
        return l <= r ? T : F;
      case 'eq':
        return l === r ? T : F;
      case 'ne':
        return l !== r ? T : F;
      case 'near_abs':
        return Math.abs(l - r) <= node.tol ? T : F;
      case 'near_pct':
        if (r === 0) return U;
        return Math.abs(l - r) / Math.abs(r) <= node.tol ? T : F;
      default: {
        // cross_above / cross_below: the previous bar's values against this bar's.
        if (i === 0) return U;
        const l0 = this.num(node.lhs, i - 1), r0 = this.num(node.rhs, i - 1);
        if (isMissing(l0) || isMissing(r0)) return U;
        const crossed = node.op === 'cross_above' ? l0 <= r0 && l > r : l0 >= r0 && l < r;
        return crossed ? T : F;
      }
    }
  }
}
