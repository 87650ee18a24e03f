// Vectorised evaluation of a plan: every node becomes one tri-state Uint8Array over all exec bars, each built
// by one tight typed-array loop (no per-bar walk of the tree). Setups are evaluated once and shared.
import { arith, F, isMissing, T, U } from './tri.ts';
import type { NumNode, PlanNode } from './plan.ts';

/** A numeric operand over all bars: `arr[i * stride]` (stride 0 for a constant). */
interface Series {
  arr: Float64Array;
  stride: 0 | 1;
}

export class VectorEvaluator {
  private readonly setupCols = new Map<string, Uint8Array>();
  private readonly numCols = new Map<NumNode, Series>();

  constructor(
    readonly n: number,
    private readonly setups: ReadonlyMap<string, PlanNode>,
  ) {}

  setup(name: string): Uint8Array {
    let col = this.setupCols.get(name);
    if (!col) {
      col = this.eval(this.setups.get(name)!);
      this.setupCols.set(name, col);
    }
    return col;
  }

  eval(node: PlanNode): Uint8Array {
    switch (node.kind) {
      case 'cmp':
        return this.cmp(node);
      case 'all':
      case 'any':
        return this.combine(node.kind, node.items);
      case 'not': {
        const x = this.eval(node.item);
        const out = new Uint8Array(this.n);
        for (let i = 0; i < this.n; i++) out[i] = 2 - x[i];
        return out;
      }
      case 'setup':
        return this.setup(node.name);
      case 'window':
        return windowed(node.op, this.eval(node.expr), node.bars, node.stride, node.minTrue);
    }
  }

  private combine(kind: 'all' | 'any', items: PlanNode[]): Uint8Array {
    const n = this.n;
    const first = this.eval(items[0]);
    if (items.length === 1) return first;
    const out = new Uint8Array(n);
    let a = first;
    for (let k = 1; k < items.length; k++) {
      const x = this.eval(items[k]);
      if (kind === 'all') for (let i = 0; i < n; i++) out[i] = x[i] < a[i] ? x[i] : a[i];
      else for (let i = 0; i < n; i++) out[i] = x[i] > a[i] ? x[i] : a[i];
      a = out;
    }
    return out;
  }

  series(node: NumNode): Series {
    let s = this.numCols.get(node);
    if (s) return s;
    const n = this.n;
    switch (node.kind) {
      case 'col':
        s = { arr: node.col, stride: 1 };
        break;
      case 'const':
        s = { arr: Float64Array.of(node.value), stride: 0 };
        break;
      case 'recode': {
        const out = new Float64Array(n);
        const { col, table } = node;
        for (let i = 0; i < n; i++) {
          const c = col[i];
          out[i] = c >= 0 && c < table.length ? table[c] : NaN;
        }
        s = { arr: out, stride: 1 };
        break;
      }
      case 'arith': {
        const a = this.series(node.left);
        const b = this.series(node.right);
        const out = new Float64Array(n);
        const op = node.op;
        for (let i = 0; i < n; i++) out[i] = arith(op, a.arr[i * a.stride], b.arr[i * b.stride]);
        s = { arr: out, stride: 1 };
        break;
      }
    }
    this.numCols.set(node, s);
    return s;
  }

  private cmp(node: Extract<PlanNode, { kind: 'cmp' }>): Uint8Array {
    const n = this.n;
    const out = new Uint8Array(n);
    const { arr: L, stride: ls } = this.series(node.lhs);
    const { arr: R, stride: rs } = this.series(node.rhs);
    if (ls === 1 && rs === 0 && node.rhs.kind === 'const' && cmpConst(node.op, L, node.rhs.value, out)) return out;
    switch (node.op) {
      case 'gt':
        for (let i = 0; i < n; i++) {
          const l = L[i * ls], r = R[i * rs];
          out[i] = isMissing(l) || isMissing(r) ? U : l > r ? T : F;
        }
        break;
      case 'lt':
        for (let i = 0; i < n; i++) {
          const l = L[i * ls], r = R[i * rs];
          out[i] = isMissing(l) || isMissing(r) ? U : l < r ? T : F;
        }
        break;
      case 'ge':
        for (let i = 0; i < n; i++) {
          const l = L[i * ls], r = R[i * rs];
          out[i] = isMissing(l) || isMissing(r) ? U : l >= r ? T : F;
        }
        break;
      case 'le':
        for (let i = 0; i < n; i++) {
          const l = L[i * ls], r = R[i * rs];
          out[i] = isMissing(l) || isMissing(r) ? U : l <= r ? T : F;
        }
        break;
      case 'eq':
        for (let i = 0; i < n; i++) {
          const l = L[i * ls], r = R[i * rs];
          out[i] = isMissing(l) || isMissing(r) ? U : l === r ? T : F;
        }
        break;
      case 'ne':
        for (let i = 0; i < n; i++) {
          const l = L[i * ls], r = R[i * rs];
          out[i] = isMissing(l) || isMissing(r) ? U : l !== r ? T : F;
        }
        break;
      case 'between': {
        const { low, high } = node;
        for (let i = 0; i < n; i++) {
          const l = L[i * ls];
          out[i] = isMissing(l) ? U : l >= low && l <= high ? T : F;
        }
        break;
      }
      case 'near_abs': {
        const tol = node.tol;
        for (let i = 0; i < n; i++) {
          const l = L[i * ls], r = R[i * rs];
          out[i] = isMissing(l) || isMissing(r) ? U : Math.abs(l - r) <= tol ? T : F;
        }
        break;
      }
      case 'near_pct': {
        const tol = node.tol;
        for (let i = 0; i < n; i++) {
          const l = L[i * ls], r = R[i * rs];
          out[i] = isMissing(l) || isMissing(r) || r === 0 ? U : Math.abs(l - r) / Math.abs(r) <= tol ? T : F;
        }
        break;
      }
      case 'in': {
        const set = node.set;
        for (let i = 0; i < n; i++) {
          const l = L[i * ls];
          out[i] = isMissing(l) ? U : set.includes(l) ? T : F;
        }
        break;
      }
      case 'cross_above':
      case 'cross_below': {
        const above = node.op === 'cross_above';
        if (n > 0) out[0] = U; // no previous bar
        for (let i = 1; i < n; i++) {
          const l0 = L[(i - 1) * ls], r0 = R[(i - 1) * rs], l1 = L[i * ls], r1 = R[i * rs];
          if (isMissing(l0) || isMissing(r0) || isMissing(l1) || isMissing(r1)) out[i] = U;
          else out[i] = (above ? l0 <= r0 && l1 > r1 : l0 >= r0 && l1 < r1) ? T : F;
        }
        break;
      }
    }
    return out;
  }
}

/**
 * The common case, a column against a constant, without the stride arithmetic: true when handled. A missing
 * constant (NaN) makes every bar unknown, which the general loops handle.
 */
function cmpConst(op: string, L: Float64Array, r: number, out: Uint8Array): boolean {
  if (isMissing(r)) return false;
  const n = out.length;
  switch (op) {
    case 'gt':
      for (let i = 0; i < n; i++) {
        const l = L[i];
        out[i] = l - l !== 0 ? U : l > r ? T : F;
      }
      return true;
    case 'lt':
      for (let i = 0; i < n; i++) {
        const l = L[i];
        out[i] = l - l !== 0 ? U : l < r ? T : F;
      }
      return true;
    case 'ge':
      for (let i = 0; i < n; i++) {
        const l = L[i];
        out[i] = l - l !== 0 ? U : l >= r ? T : F;
      }
      return true;
    case 'le':
      for (let i = 0; i < n; i++) {
        const l = L[i];
        out[i] = l - l !== 0 ? U : l <= r ? T : F;
      }
      return true;
    case 'eq':
      for (let i = 0; i < n; i++) {
        const l = L[i];
        out[i] = l - l !== 0 ? U : l === r ? T : F;
      }
      return true;
    case 'ne':
      for (let i = 0; i < n; i++) {
        const l = L[i];
        out[i] = l - l !== 0 ? U : l !== r ? T : F;
      }
      return true;
    default:
      return false;
  }
}

/**
 * Window operators over a tri-state column: the samples at bars i, i-s, ..., i-(bars-1)*s (s = stride), a
 * sample before the first bar being UNKNOWN. holds_for = all samples, occurred_within = any sample,
 * count_true = at least minTrue TRUE samples (FALSE once too few can still be TRUE, UNKNOWN in between).
 * Counted with strided prefix sums: O(n) whatever the window length.
 */
export function windowed(op: 'holds_for' | 'occurred_within' | 'count_true', x: Uint8Array, bars: number, stride: number, minTrue: number): Uint8Array {
  const n = x.length;
  const cT = new Int32Array(n);
  const cF = new Int32Array(n);
  for (let i = 0; i < n; i++) {
    const prevT = i >= stride ? cT[i - stride] : 0;
    const prevF = i >= stride ? cF[i - stride] : 0;
    cT[i] = prevT + (x[i] === T ? 1 : 0);
    cF[i] = prevF + (x[i] === F ? 1 : 0);
  }
  const span = bars * stride;
  const out = new Uint8Array(n);
  for (let i = 0; i < n; i++) {
    const j = i - span;
    const t = cT[i] - (j >= 0 ? cT[j] : 0);
    const f = cF[i] - (j >= 0 ? cF[j] : 0);
    if (op === 'holds_for') out[i] = f > 0 ? F : t === bars ? T : U;
    else if (op === 'occurred_within') out[i] = t > 0 ? T : f === bars ? F : U;
    else out[i] = t >= minTrue ? T : bars - f < minTrue ? F : U;
  }
  return out;
}
