// Compiles the condition AST once into a plan: every reference bound to its exec-aligned column, ENUM labels
// turned into codes, window lengths turned into exec-bar counts, and the first warm bar of each node.
// Both evaluators (vectorised over all bars, and scalar at one bar) run the same plan.
import { PlayforgeError } from '../../../common/errors.ts';
import { durationMinutes, INTERVAL_MINUTES, locOf, type Condition, type Interval, type Operand, type Scalar } from '../../../dsl/index.ts';
import type { ColumnResolver } from '../columns.ts';

export type CmpKind = 'gt' | 'lt' | 'ge' | 'le' | 'eq' | 'ne' | 'between' | 'near_pct' | 'near_abs' | 'in' | 'cross_above' | 'cross_below';

const CMP_KIND: Record<string, CmpKind> = {
  '>': 'gt', '<': 'lt', '>=': 'ge', '<=': 'le', '==': 'eq', '!=': 'ne', between: 'between', near_pct: 'near_pct', near_abs: 'near_abs',
  in: 'in', cross_above: 'cross_above', cross_below: 'cross_below',
};

/** A numeric operand: an exec-aligned column, a constant, arithmetic, or an ENUM column re-coded into another's labels. */
export type NumNode =
  | { kind: 'col'; col: Float64Array }
  | { kind: 'const'; value: number }
  | { kind: 'arith'; op: string; left: NumNode; right: NumNode }
  | { kind: 'recode'; col: Float64Array; table: Float64Array };

export type PlanNode =
  | { kind: 'cmp'; op: CmpKind; lhs: NumNode; rhs: NumNode; low: number; high: number; tol: number; set: number[]; need: number }
  | { kind: 'all' | 'any'; items: PlanNode[]; need: number }
  | { kind: 'not'; item: PlanNode; need: number }
  | { kind: 'setup'; name: string; need: number }
  | { kind: 'window'; op: 'holds_for' | 'occurred_within' | 'count_true'; bars: number; stride: number; minTrue: number; expr: PlanNode; need: number };

export interface PlanContext {
  resolver: ColumnResolver;
  execInterval: Interval;
  setups: Record<string, Condition>;
}

/** Builds plans for conditions of one play; setups are planned once and shared by name. */
export class Planner {
  readonly setups = new Map<string, PlanNode>();
  private readonly inProgress = new Set<string>();

  constructor(private readonly ctx: PlanContext) {}

  plan(c: Condition): PlanNode {
    switch (c.kind) {
      case 'cmp':
        return this.cmp(c);
      case 'all':
      case 'any': {
        const items = c.items.map((x) => this.plan(x));
        return { kind: c.kind, items, need: Math.max(0, ...items.map((x) => x.need)) };
      }
      case 'not': {
        const item = this.plan(c.item);
        return { kind: 'not', item, need: item.need };
      }
      case 'setup':
        return { kind: 'setup', name: c.name, need: this.setup(c.name).need };
      case 'window':
        return this.window(c);
    }
  }

  setup(name: string): PlanNode {
    const done = this.setups.get(name);
    if (done) return done;
    const cond = this.ctx.setups[name];
    if (!cond) throw new PlayforgeError('ENGINE_UNKNOWN_SETUP', `setup '${name}' is not defined under setups:`, { path: `setups.${name}` });
    if (this.inProgress.has(name)) throw new PlayforgeError('ENGINE_CIRCULAR_SETUP', `setup '${name}' refers to itself`, { path: `setups.${name}` });
    this.inProgress.add(name);
    const node = this.plan(cond);
    this.inProgress.delete(name);
    this.setups.set(name, node);
    return node;
  }

  private window(c: Extract<Condition, { kind: 'window' }>): PlanNode {
    const execMin = INTERVAL_MINUTES[this.ctx.execInterval];
    let bars: number;
    let stride = 1;
    if (c.duration !== undefined) {
      const minutes = durationMinutes(c.duration);
      if (minutes === undefined) throw notConcrete(c, `window duration '${c.duration}' is not like 30m, 4h or 1d`);
      // A duration covers the exec bars inside it; a duration shorter than one bar is the current bar.
      bars = Math.max(1, Math.ceil(minutes / execMin));
    } else {
      if (typeof c.bars !== 'number') throw notConcrete(c, `window bars must be a number (resolve the play's ranges first)`);
      bars = c.bars;
      // anchor_tf counts the window in bars of that timeframe: the expression is sampled every
      // anchor/exec exec bars (a timeframe at or below exec samples every bar).
      if (c.anchor_tf) stride = Math.max(1, Math.round(INTERVAL_MINUTES[c.anchor_tf] / execMin));
    }
    let minTrue = 1;
    if (c.op === 'count_true') {
      if (typeof c.min_true !== 'number') throw notConcrete(c, 'count_true min_true must be a number');
      minTrue = c.min_true;
    }
    const expr = this.plan(c.expr);
    return { kind: 'window', op: c.op, bars, stride, minTrue, expr, need: expr.need + (bars - 1) * stride };
  }

  private cmp(c: Extract<Condition, { kind: 'cmp' }>): PlanNode {
    const { resolver } = this.ctx;
    const op = CMP_KIND[c.op];
    // Labels of whichever side is an ENUM reference: constants on the other side are coded with them.
    const labelsOf = (o: Operand) => (o.kind === 'ref' ? resolver.labels(o.ref) : undefined);
    const lLabels = labelsOf(c.lhs);
    const rLabels = labelsOf(c.rhs);
    const lhs = this.num(c.lhs, rLabels);
    let rhs: NumNode;
    if (c.rhs.kind === 'ref' && lLabels && rLabels && lLabels !== rLabels) {
      // ENUM vs ENUM of another field: compare labels, by re-coding the right side into the left's codes.
      const table = Float64Array.from(rLabels, (label) => codeOf(label, lLabels));
      rhs = { kind: 'recode', col: resolver.column(c.rhs.ref, c.rhs.offset), table };
    } else rhs = this.num(c.rhs, lLabels);
    let low = NaN, high = NaN;
    let set: number[] = [];
    if (c.rhs.kind === 'range') ({ low, high } = c.rhs);
    if (c.rhs.kind === 'list') set = c.rhs.values.map((v) => constCode(v, lLabels));
    const refs = [c.lhs, c.rhs].flatMap(refsOf);
    const need = Math.max(0, ...refs.map((r) => resolver.firstWarmBar(r.ref, r.offset))) + (op === 'cross_above' || op === 'cross_below' ? 1 : 0);
    const tol = op === 'near_pct' ? (c.tolerance ?? 0) / 100 : (c.tolerance ?? 0);
    return { kind: 'cmp', op, lhs, rhs, low, high, tol, set, need };
  }

  private num(o: Operand, labels: readonly string[] | undefined): NumNode {
    switch (o.kind) {
      case 'ref':
        return { kind: 'col', col: this.ctx.resolver.column(o.ref, o.offset) };
      case 'const':
        return { kind: 'const', value: constCode(o.value, labels) };
      case 'arith':
        return { kind: 'arith', op: o.op, left: this.num(o.left, undefined), right: this.num(o.right, undefined) };
      default:
        // Ranges (between) and lists (in) are held on the cmp node itself.
        return { kind: 'const', value: NaN };
    }
  }
}

function refsOf(o: Operand): Extract<Operand, { kind: 'ref' }>[] {
  if (o.kind === 'ref') return [o];
  if (o.kind === 'arith') return [...refsOf(o.left), ...refsOf(o.right)];
  return [];
}

/** A constant as the column would hold it: ENUM label -> its code, true/false -> 1/0, numbers as they are. */
function constCode(v: Scalar, labels: readonly string[] | undefined): number {
  if (typeof v === 'number') return v;
  if (typeof v === 'boolean') return v ? 1 : 0;
  if (labels) return codeOf(v, labels);
  const x = Number(v); // an open ENUM (hash) written as text
  return v.trim() !== '' && Number.isFinite(x) ? x : -1;
}

/** Index of `label` (case-insensitive, as the DSL accepts it), or -1, which no column ever holds. */
function codeOf(label: string, labels: readonly string[]): number {
  const l = label.toLowerCase();
  return labels.findIndex((x) => x.toLowerCase() === l);
}

function notConcrete(c: Condition, message: string): PlayforgeError {
  return new PlayforgeError('ENGINE_PLAY_NOT_CONCRETE', message, locOf(c) ?? {});
}
