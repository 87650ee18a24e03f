// Actions -> per-bar signals. Rules (`entry_long: <condition>`) fire when their condition is TRUE. Action
// blocks (`- id: ..., cases: [...], else: ...`) fire the emits of their FIRST case whose condition is TRUE,
// else their `else` emits (a case that is FALSE or UNKNOWN does not match). Several rules or blocks may
// signal the same action: it fires when any does. An exit emitted with `percent:` closes that percent of the
// position; when two emits close different percents on one bar, the larger wins (a plain exit is 100).
import { defineLazy } from '../../common/index.ts';
import type { ActionBlock, ActionRule, Actions, Emit } from '../../dsl/index.ts';
import { orInto } from './conditions/bits.ts';
import { T, WANT_TRUE } from './conditions/index.ts';
import type { PlanNode, Planner, ScalarEvaluator, VectorEvaluator } from './conditions/index.ts';
import { EXIT_NAMES, SIGNAL_NAMES, type ExitName, type FiredAction, type SignalName } from './types.ts';

interface PlannedRule {
  action: ActionRule['action'];
  name: string;
  node: PlanNode;
}

interface PlannedBlock {
  id: string;
  cases: { name: string; node: PlanNode; emit: Emit[] }[];
  elseEmit: Emit[];
}

export interface ActionPlan {
  rules: PlannedRule[];
  blocks: PlannedBlock[];
}

export function planActions(actions: Actions, planner: Planner): ActionPlan {
  if (actions.form === 'rules') {
    const seen = new Map<string, number>();
    const rules = actions.rules.map((r) => {
      const count = (seen.get(r.action) ?? 0) + 1;
      seen.set(r.action, count);
      return { action: r.action, name: `when.${r.action}${count > 1 ? `#${count}` : ''}`, node: planner.plan(r.when) };
    });
    return { rules, blocks: [] };
  }
  const blocks = actions.blocks.map((b: ActionBlock) => ({
    id: b.id,
    cases: b.cases.map((c, k) => ({ name: `${b.id}.case[${k}]`, node: planner.plan(c.when), emit: c.emit })),
    elseEmit: b.else?.emit ?? [],
  }));
  return { rules: [], blocks };
}

export interface SignalColumns {
  signals: Record<SignalName, Uint8Array>;
  exitPercent: Record<ExitName, Float64Array>;
  /** No partial exit anywhere: every exit percent column is still the shared all-100 one. */
  wholeExits: boolean;
  /** TRUE/not per bar of every rule and case condition, by name. */
  conditions: Map<string, Uint8Array>;
}

const isExit = (a: string): a is ExitName => (EXIT_NAMES as readonly string[]).includes(a);

/**
 * Signals from the rules' and cases' TRUE columns. A signal with one rule is that rule's column itself (shared,
 * read-only), several rules OR into a column of their own, and an action nothing signals reads one shared
 * all-zero column `zero`; blocks write into a signal only after giving it its own copy. `hundred` gives the
 * shared all-100 exit percent column.
 */
export function evaluateActions(plan: ActionPlan, ev: VectorEvaluator, hundred: () => Float64Array, zero: Uint8Array): SignalColumns {
  const n = ev.n;
  // Every read declared first: a comparison read by several rules (or as TRUE and FALSE) is evaluated once.
  for (const r of plan.rules) ev.want(r.node, WANT_TRUE);
  for (const b of plan.blocks) for (const c of b.cases) ev.want(c.node, WANT_TRUE);
  const out: SignalColumns = {
    signals: Object.fromEntries(SIGNAL_NAMES.map((a) => [a, zero])) as Record<SignalName, Uint8Array>,
    exitPercent: {} as Record<ExitName, Float64Array>,
    conditions: new Map(),
    wholeExits: true,
  };
  const owned = new Set<SignalName>();
  /** Exit percent columns of their own (a partial exit was emitted on that action). */
  const partial: Partial<Record<ExitName, Float64Array>> = {};
  const own = (a: SignalName): Uint8Array => {
    if (!owned.has(a)) {
      const copy = ev.column(false);
      copy.set(out.signals[a]);
      out.signals[a] = copy;
      owned.add(a);
    }
    return out.signals[a];
  };
  for (const r of plan.rules) {
    const bits = ev.truth(r.node);
    out.conditions.set(r.name, bits);
    if (r.action === 'no_action') continue;
    const cur = out.signals[r.action];
    if (cur === zero) out.signals[r.action] = bits;
    else if (cur !== bits) {
      const sig = owned.has(r.action) ? cur : ev.column(false); // orInto writes every byte
      orInto(cur, bits, sig);
      out.signals[r.action] = sig;
      owned.add(r.action);
    }
  }
  for (const b of plan.blocks) {
    const matched = ev.column(true);
    const hit = ev.column(false); // written for every bar of each case
    for (const c of b.cases) {
      const t = ev.truth(c.node);
      out.conditions.set(c.name, t);
      // The bars this case wins: TRUE here and no earlier case of the block matched.
      let any = 0;
      for (let i = 0; i < n; i++) {
        const h = t[i] & (matched[i] ^ 1);
        hit[i] = h;
        matched[i] |= h;
        any |= h;
      }
      if (any) for (const e of c.emit) emitWhere(e, hit, out.signals, partial, own);
    }
    if (b.elseEmit.length) {
      for (let i = 0; i < n; i++) hit[i] = matched[i] ^ 1;
      for (const e of b.elseEmit) emitWhere(e, hit, out.signals, partial, own);
    }
  }
  // Read-only for consumers: an exit without partial emits reads the shared all-100 column, built only
  // when someone reads it (the bar loop does not when every exit is whole). defineLazy, not a getter
  // closure per compilation: see lazy-props.ts.
  const shared: ExitName[] = [];
  for (const a of EXIT_NAMES) {
    const own = partial[a];
    if (own) out.exitPercent[a] = own;
    else shared.push(a);
  }
  defineLazy(out.exitPercent, shared, hundred);
  out.wholeExits = EXIT_NAMES.every((a) => partial[a] === undefined);
  return out;
}

/**
 * Records one emit at every bar set in `hit`: sets the signal and the exit percent (max with an exit already
 * set there, a plain exit being 100). An exit action gets its own percent column, starting all 100, on its
 * first partial emit; until then it reads the shared all-100 column.
 */
function emitWhere(
  e: Emit, hit: Uint8Array, signals: Record<SignalName, Uint8Array>, partial: Partial<Record<ExitName, Float64Array>>,
  own: (a: SignalName) => Uint8Array,
): void {
  if (e.action === 'no_action') return;
  const sig = own(e.action);
  const p = e.percent ?? 100;
  if (isExit(e.action) && (p !== 100 || partial[e.action] !== undefined)) {
    const pct = (partial[e.action] ??= new Float64Array(hit.length).fill(100));
    for (let i = 0; i < hit.length; i++) if (hit[i]) pct[i] = sig[i] ? Math.max(pct[i], p) : p;
  }
  orInto(sig, hit, sig);
}

const SIGNAL_INDEX: Readonly<Record<string, number>> = Object.fromEntries(SIGNAL_NAMES.map((a, k) => [a, k]));

/** Notes one emit in `fired` (percent per signal, SIGNAL_NAMES order; 0 = not fired). */
function noteEmit(action: Emit['action'], percent: number | undefined, fired: number[]): void {
  if (action === 'no_action') return;
  const k = SIGNAL_INDEX[action];
  const p = isExit(action) ? (percent ?? 100) : 100;
  if (p > fired[k]) fired[k] = p;
}

/**
 * The same decisions at one bar, through the scalar evaluator. Plain loops, no closures: it runs once per
 * bar in paper and live trading (and per bar in the parity tests).
 */
export function actionsAtBar(plan: ActionPlan, ev: ScalarEvaluator, i: number): FiredAction[] {
  const fired = [0, 0, 0, 0, 0];
  for (const r of plan.rules) if (r.action !== 'no_action' && ev.at(r.node, i) === T) noteEmit(r.action, undefined, fired);
  for (const b of plan.blocks) {
    let emits = b.elseEmit;
    for (const c of b.cases) {
      if (ev.at(c.node, i) === T) {
        emits = c.emit;
        break;
      }
    }
    for (const e of emits) noteEmit(e.action, e.percent, fired);
  }
  const out: FiredAction[] = [];
  for (let k = 0; k < fired.length; k++) if (fired[k] > 0) out.push({ action: SIGNAL_NAMES[k], percent: fired[k] });
  return out;
}
