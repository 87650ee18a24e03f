// Vectorised evaluation of a plan: each node becomes 0/1 columns over all exec bars — where it is TRUE and,
// only when something reads it, where it is FALSE — each built by one tight typed-array loop. Two-valued
// columns carry the three-valued logic exactly (docs/compile.md): UNKNOWN is the bar set in neither, `not`
// swaps the two columns (no pass at all), all/any AND and OR them, and a rule fires where its TRUE column is
// set, so a rule's column is its signal as is. Compared with one tri-state column per node, this drops the
// per-node "is it missing" pass, the TRUE-extraction pass per rule and the FALSE work nobody reads.
//
// Nodes are keyed by structure (operator, columns, constants), so equal sub-conditions — a setup used by
// several actions, `[ema_fast, cross_above, ema_slow]` written for both entry_long and exit_short — are
// computed once. `want` is called for every root before evaluation so a comparison read both as TRUE and as
// FALSE is evaluated in one visit.
import { arith, F, isMissing, T, U } from './tri.ts';
import type { NumNode, PlanNode } from './plan.ts';
import { andInto, orInto } from './bits.ts';
import { isSmallCode } from '../small-codes.ts';
import { codesEqConst, crossRuns, MIRRORED, NEGATED, relColCol, relColConst, triEquals, type RelOp } from './cmp-loops.ts';

/** Polarity bits: which two-valued column of a node is read. */
export const WANT_TRUE = 1;
export const WANT_FALSE = 2;

const REL_OPS = new Set<string>(['gt', 'lt', 'ge', 'le', 'eq', 'ne']);

/** A numeric operand over all bars: `arr[i * stride]` (stride 0 for a constant). */
interface Series {
  arr: Float64Array;
  stride: 0 | 1;
}

type CmpNode = Extract<PlanNode, { kind: 'cmp' }>;
type WindowNode = Extract<PlanNode, { kind: 'window' }>;

/**
 * Comparison columns shared by the compilations of a population (FeatureCache implements it): a comparison
 * of the same operand columns with the same constants is the same column in every variant that has it —
 * the seed example's regime tests are shared by every genome with that regime length.
 */
export interface SharedConditions {
  /** A stable id of an operand column: its identity and length (engine columns are never written once built). */
  columnId(col: Float64Array): string;
  /** The column kept under `key`; on the key's second request `compute()`'s (stored); undefined on its first. */
  condition(key: string, compute: () => Uint8Array): Uint8Array | undefined;
}

export interface VectorOptions {
  /**
   * A column as one byte per bar when it holds small integers (FeatureCache.smallCodes: shared by a
   * population), for equality tests against a constant.
   */
  smallCodes?: (col: Float64Array) => Int8Array | null;
  /** The byte columns this evaluation writes (a ColumnScratch lends reused ones to a scoring loop; by default each is new). */
  alloc?: (n: number, zeroed: boolean) => Uint8Array;
  /** Comparison columns shared across compilations (never written: they come back to every variant). */
  shared?: SharedConditions;
}

export class VectorEvaluator {
  private readonly keys = new Map<PlanNode | NumNode, string>();
  private readonly colIds = new Map<Float64Array, number>();
  private readonly wanted = new Map<string, number>();
  private readonly truths = new Map<string, Uint8Array>();
  private readonly falsities = new Map<string, Uint8Array>();
  private readonly numCols = new Map<string, Float64Array>();

  private readonly smallCodes?: (col: Float64Array) => Int8Array | null;
  private readonly alloc: (n: number, zeroed: boolean) => Uint8Array;
  private readonly shared?: SharedConditions;

  constructor(
    readonly n: number,
    private readonly setups: ReadonlyMap<string, PlanNode>,
    opts: VectorOptions = {},
  ) {
    this.smallCodes = opts.smallCodes;
    this.alloc = opts.alloc ?? ((len) => new Uint8Array(len));
    this.shared = opts.shared;
  }

  /** A byte column of n bars for a caller combining this evaluator's columns (zeroed, or every byte to be written). */
  column(zeroed: boolean): Uint8Array {
    return this.alloc(this.n, zeroed);
  }

  /** Declares that `node` will be read with polarity `pol` (WANT_TRUE | WANT_FALSE), down to its comparisons. */
  want(node: PlanNode, pol: number): void {
    const x = this.resolve(node);
    const key = this.key(x);
    const had = this.wanted.get(key) ?? 0;
    if ((had & pol) === pol) return;
    this.wanted.set(key, had | pol);
    switch (x.kind) {
      case 'all':
      case 'any':
        for (const item of x.items) this.want(item, pol);
        return;
      case 'not':
        this.want(x.item, swap(pol));
        return;
      case 'window':
        this.want(x.expr, WANT_TRUE | WANT_FALSE);
        return;
      default:
        return;
    }
  }

  /** 1 where the condition is TRUE. Shared with other nodes and the signals: never write to it. */
  truth(node: PlanNode): Uint8Array {
    return this.bits(node, WANT_TRUE);
  }

  /** 1 where the condition is FALSE (defined and not holding). Read-only like `truth`. */
  falsity(node: PlanNode): Uint8Array {
    return this.bits(node, WANT_FALSE);
  }

  /** The tri-state column (F=0, U=1, T=2) of a node: for tests and tools; the engine reads `truth`. */
  eval(node: PlanNode): Uint8Array {
    this.want(node, WANT_TRUE | WANT_FALSE);
    const t = this.truth(node), f = this.falsity(node);
    const out = new Uint8Array(this.n);
    for (let i = 0; i < this.n; i++) out[i] = U + t[i] - f[i];
    return out;
  }

  private bits(node: PlanNode, pol: number): Uint8Array {
    const x = this.resolve(node);
    const key = this.key(x);
    const memo = pol === WANT_TRUE ? this.truths : this.falsities;
    const hit = memo.get(key);
    if (hit) return hit;
    this.want(x, pol); // a read nobody declared (a setup's column asked for later): evaluate it now
    let out: Uint8Array;
    switch (x.kind) {
      case 'cmp':
        this.cmp(x, key);
        return memo.get(key)!;
      case 'window':
        this.window(x, key);
        return memo.get(key)!;
      case 'not':
        out = this.bits(x.item, swap(pol));
        break;
      case 'setup': // resolve() followed every alias: not reached
        return this.bits(x, pol);
      case 'all':
      case 'any': {
        // TRUE of all / FALSE of any: every item; FALSE of all / TRUE of any: some item.
        const every = (x.kind === 'all') === (pol === WANT_TRUE);
        out = this.bits(x.items[0], pol);
        if (x.items.length > 1) {
          const acc = this.column(false); // the first AND/OR writes every byte
          for (let k = 1; k < x.items.length; k++) {
            const b = this.bits(x.items[k], pol);
            if (every) andInto(k === 1 ? out : acc, b, acc);
            else orInto(k === 1 ? out : acc, b, acc);
          }
          out = acc;
        }
      }
    }
    memo.set(key, out);
    return out;
  }

  /** Evaluates a comparison for every polarity wanted of it, in one visit. */
  private cmp(node: CmpNode, key: string): void {
    const pol = this.wanted.get(key) ?? WANT_TRUE;
    let needT = (pol & WANT_TRUE) !== 0 && !this.truths.has(key);
    let needF = (pol & WANT_FALSE) !== 0 && !this.falsities.has(key);
    const shared = this.shared !== undefined ? this.sharedKey(node) : undefined;
    if (shared !== undefined) {
      // A column computed for sharing is new (not lent): it outlives this compilation.
      const fresh = (want: number) => () => {
        const c = new Uint8Array(this.n);
        this.compute(node, key, want === WANT_TRUE ? c : undefined, want === WANT_FALSE ? c : undefined);
        return c;
      };
      const t = needT ? this.shared!.condition(`${shared}|T`, fresh(WANT_TRUE)) : undefined;
      const f = needF ? this.shared!.condition(`${shared}|F`, fresh(WANT_FALSE)) : undefined;
      if (t) this.truths.set(key, t);
      if (f) this.falsities.set(key, f);
      needT &&= t === undefined;
      needF &&= f === undefined;
    }
    // Zeroed: a cross writes only its crossing bars, and a missing constant writes none.
    const t = needT ? this.column(true) : undefined;
    const f = needF ? this.column(true) : undefined;
    this.compute(node, key, t, f);
    if (t) this.truths.set(key, t);
    if (f) this.falsities.set(key, f);
  }

  /** TRUE into `t` and FALSE into `f` (either may be omitted; both zeroed). */
  private compute(node: CmpNode, key: string, t: Uint8Array | undefined, f: Uint8Array | undefined): void {
    if (!t && !f) return;
    if (!this.cmpFast(node, key, t, f)) {
      const tri = this.cmpTri(node);
      if (t) triEquals(tri, T, t);
      if (f) triEquals(tri, F, f);
    }
  }

  /** The comparison's key across compilations: undefined when an operand is a column of this compilation only. */
  private sharedKey(node: CmpNode): string | undefined {
    const l = this.operandKey(node.lhs), r = this.operandKey(node.rhs);
    if (l === undefined || r === undefined) return undefined;
    return `${this.n}:${node.op}(${l},${r},${node.low},${node.high},${node.tol},[${node.set.join(',')}])`;
  }

  private operandKey(x: NumNode): string | undefined {
    if (x.kind === 'const') return `k${x.value}`;
    if (x.kind === 'col') return `c${this.shared!.columnId(x.col)}`;
    return undefined; // arithmetic and recodes are built per compilation
  }

  /**
   * The common shapes as two-valued loops: > < >= <= == != of a column against a constant or another column,
   * and cross_above/below (TRUE only). False when the node needs the general tri-state loop.
   */
  private cmpFast(node: CmpNode, key: string, t: Uint8Array | undefined, f: Uint8Array | undefined): boolean {
    const L = this.series(node.lhs), R = this.series(node.rhs);
    if (REL_OPS.has(node.op)) {
      const op = node.op as RelOp;
      if (L.stride === 0 && R.stride === 0) return false;
      if (L.stride === 0 || R.stride === 0) {
        // Column against a constant (a constant on the left is the mirrored comparison).
        const col = L.stride === 1 ? L.arr : R.arr;
        const c = L.stride === 1 ? R.arr[0] : L.arr[0];
        const o = L.stride === 1 ? op : MIRRORED[op];
        if (isMissing(c)) return true; // every bar unknown: both columns stay 0
        if ((o === 'eq' || o === 'ne') && isSmallCode(c) && this.smallCodes !== undefined) {
          // An ENUM state, BOOL or INT field against a constant: compare its byte codes.
          const codes = this.smallCodes(col);
          if (codes !== null) {
            if (t) codesEqConst(o, codes, c, t);
            if (f) codesEqConst(o === 'eq' ? 'ne' : 'eq', codes, c, f);
            return true;
          }
        }
        if (t) relColConst(o, col, c, t);
        if (f) relColConst(NEGATED[o], col, c, f);
        return true;
      }
      if (t) relColCol(op, L.arr, R.arr, t);
      if (f) relColCol(NEGATED[op], L.arr, R.arr, f);
      return true;
    }
    if ((node.op === 'cross_above' || node.op === 'cross_below') && !f && L.stride + R.stride > 0) {
      // A constant on the left crosses a column the other way: c above r  <=>  r below c.
      const above = (node.op === 'cross_above') === (L.stride === 1);
      const [col, other] = L.stride === 1 ? [L, R] : [R, L];
      // The opposite cross of the same operands, when read too, comes from the same pass.
      const twin = L.stride === 1 ? this.crossTwin(node, key) : undefined;
      const both = twin !== undefined ? this.column(true) : undefined;
      crossRuns(col.arr, other.arr, other.stride, above ? t : both, above ? both : t);
      if (twin !== undefined) this.truths.set(twin, both!);
      return true;
    }
    return false;
  }

  /** Key of the opposite cross of the same operands when it is wanted as TRUE and not computed yet. */
  private crossTwin(node: CmpNode, key: string): string | undefined {
    const twin = (node.op === 'cross_above' ? 'cross_below' : 'cross_above') + key.slice(node.op.length);
    return (this.wanted.get(twin) ?? 0) & WANT_TRUE && !this.truths.has(twin) ? twin : undefined;
  }

  /** The general comparison: a tri-state column (between, in, near_*, crosses read as FALSE, constants). */
  private cmpTri(node: CmpNode): Uint8Array {
    const n = this.n;
    const out = this.column(false); // every bar written
    const { arr: L, stride: ls } = this.series(node.lhs);
    const { arr: R, stride: rs } = this.series(node.rhs);
    const op = node.op;
    if (op === 'between' || op === 'in') {
      const { low, high, set } = node;
      for (let i = 0; i < n; i++) {
        const l = L[i * ls];
        out[i] = isMissing(l) ? U : (op === 'between' ? l >= low && l <= high : set.includes(l)) ? T : F;
      }
      return out;
    }
    if (op === 'cross_above' || op === 'cross_below') {
      const above = op === 'cross_above';
      if (n > 0) out[0] = U; // no previous bar
      for (let i = 1; i < n; i++) {
        const l0 = L[(i - 1) * ls], r0 = R[(i - 1) * rs], l1 = L[i * ls], r1 = R[i * rs];
        if (isMissing(l0) || isMissing(r0) || isMissing(l1) || isMissing(r1)) out[i] = U;
        else out[i] = (above ? l0 <= r0 && l1 > r1 : l0 >= r0 && l1 < r1) ? T : F;
      }
      return out;
    }
    const tol = node.tol;
    for (let i = 0; i < n; i++) {
      const l = L[i * ls], r = R[i * rs];
      if (isMissing(l) || isMissing(r)) out[i] = U;
      else out[i] = holds(op, l, r, tol);
    }
    return out;
  }

  private window(node: WindowNode, key: string): void {
    const t = this.truth(node.expr), f = this.falsity(node.expr);
    const outT = this.column(false), outF = this.column(false); // windowed writes every bar
    windowed(node.op, t, f, node.bars, node.stride, node.minTrue, outT, outF);
    this.truths.set(key, outT);
    this.falsities.set(key, outF);
  }

  private series(node: NumNode): Series {
    if (node.kind === 'col') return { arr: node.col, stride: 1 };
    if (node.kind === 'const') return { arr: Float64Array.of(node.value), stride: 0 };
    const key = this.key(node);
    let arr = this.numCols.get(key);
    if (!arr) {
      const n = this.n;
      arr = new Float64Array(n);
      if (node.kind === 'recode') {
        const { col, table } = node;
        for (let i = 0; i < n; i++) {
          const c = col[i];
          arr[i] = c >= 0 && c < table.length ? table[c] : NaN;
        }
      } else {
        const a = this.series(node.left), b = this.series(node.right);
        const op = node.op;
        for (let i = 0; i < n; i++) arr[i] = arith(op, a.arr[i * a.stride], b.arr[i * b.stride]);
      }
      this.numCols.set(key, arr);
    }
    return { arr, stride: 1 };
  }

  /** A setup reference as the setup's own plan (following a setup that is just another setup). */
  private resolve(node: PlanNode): PlanNode {
    let x = node;
    while (x.kind === 'setup') x = this.setups.get(x.name)!;
    return x;
  }

  /** Structural key: equal keys mean equal columns (same operator, columns by identity, constants). */
  private key(node: PlanNode | NumNode): string {
    let k = this.keys.get(node);
    if (k !== undefined) return k;
    switch (node.kind) {
      case 'col':
        k = `c${this.colId(node.col)}`;
        break;
      case 'const':
        k = `k${node.value}`;
        break;
      case 'recode':
        k = `r${this.colId(node.col)}[${node.table.join(',')}]`;
        break;
      case 'arith':
        k = `(${this.key(node.left)}${node.op}${this.key(node.right)})`;
        break;
      case 'cmp':
        k = `${node.op}(${this.key(node.lhs)},${this.key(node.rhs)},${node.low},${node.high},${node.tol},[${node.set.join(',')}])`;
        break;
      case 'all':
      case 'any':
        k = `${node.kind}[${node.items.map((x) => this.key(x)).join(';')}]`;
        break;
      case 'not':
        k = `!${this.key(node.item)}`;
        break;
      case 'setup':
        k = this.key(this.resolve(node));
        break;
      case 'window':
        k = `${node.op}/${node.bars}/${node.stride}/${node.minTrue}(${this.key(node.expr)})`;
        break;
    }
    this.keys.set(node, k);
    return k;
  }

  private colId(col: Float64Array): number {
    let id = this.colIds.get(col);
    if (id === undefined) {
      id = this.colIds.size;
      this.colIds.set(col, id);
    }
    return id;
  }
}

const swap = (pol: number): number => ((pol & WANT_TRUE) << 1) | ((pol & WANT_FALSE) >> 1);

/** A comparison of two defined values, for the general loop. */
function holds(op: string, l: number, r: number, tol: number): 0 | 1 | 2 {
  switch (op) {
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
      return Math.abs(l - r) <= tol ? T : F;
    default: // near_pct
      if (r === 0) return U;
      return Math.abs(l - r) / Math.abs(r) <= tol ? T : F;
  }
}

/**
 * Window operators over a condition's TRUE (`t`) and FALSE (`f`) columns: the samples at bars i, i-s, ...,
 * i-(bars-1)*s (s = stride), a sample before the first bar being UNKNOWN. holds_for = all samples, occurred_within
 * = any sample, count_true = at least minTrue TRUE samples (FALSE once too few can still be TRUE, UNKNOWN in
 * between). Counted with strided prefix sums: O(n) whatever the window length. Writes TRUE and FALSE columns.
 */
export function windowed(
  op: 'holds_for' | 'occurred_within' | 'count_true', t: Uint8Array, f: Uint8Array, bars: number, stride: number, minTrue: number,
  outT: Uint8Array, outF: Uint8Array,
): void {
  const n = t.length;
  const cT = new Int32Array(n);
  const cF = new Int32Array(n);
  for (let i = 0; i < n; i++) {
    cT[i] = (i >= stride ? cT[i - stride] : 0) + t[i];
    cF[i] = (i >= stride ? cF[i - stride] : 0) + f[i];
  }
  const span = bars * stride;
  for (let i = 0; i < n; i++) {
    const j = i - span;
    const nt = cT[i] - (j >= 0 ? cT[j] : 0);
    const nf = cF[i] - (j >= 0 ? cF[j] : 0);
    if (op === 'holds_for') {
      outT[i] = nf === 0 && nt === bars ? 1 : 0;
      outF[i] = nf > 0 ? 1 : 0;
    } else if (op === 'occurred_within') {
      outT[i] = nt > 0 ? 1 : 0;
      outF[i] = nt === 0 && nf === bars ? 1 : 0;
    } else {
      outT[i] = nt >= minTrue ? 1 : 0;
      outF[i] = nt < minTrue && bars - nf < minTrue ? 1 : 0;
    }
  }
}
