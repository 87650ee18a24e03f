// Actions -> per-bar signals. Rules (`entry_long: <condition>`) fire when their condition is TRUE. Action
// blocks (`- id: ..., cases: [...], else: ...`) fire the emits of their FIRST case whose condition is TRUE,
// else their `else` emits (a case that is FALSE or UNKNOWN does not match). Several rules or blocks may
// signal the same action: it fires when any does. An exit emitted with `percent:` closes that percent of the
// position; when two emits close different percents on one bar, the larger wins (a plain exit is 100).
import type { ActionBlock, ActionRule, Actions, Emit } from '../../dsl/index.ts';
import { isTrue, T } from './conditions/index.ts';
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
  /** TRUE/not per bar of every rule and case condition, by name. */
  conditions: Map<string, Uint8Array>;
}

const isExit = (a: string): a is ExitName => (EXIT_NAMES as readonly string[]).includes(a);

/** Records one emit at bar i: sets the signal, and the exit percent (max with an exit already set there). */
function emitAt(e: Emit, i: number, out: SignalColumns): void {
  if (e.action === 'no_action') return;
  const sig = out.signals[e.action];
  if (isExit(e.action)) {
    const p = e.percent ?? 100;
    const pct = out.exitPercent[e.action];
    pct[i] = sig[i] ? Math.max(pct[i], p) : p;
  }
  sig[i] = 1;
}

export function evaluateActions(plan: ActionPlan, ev: VectorEvaluator): SignalColumns {
  const n = ev.n;
  const out: SignalColumns = {
    signals: Object.fromEntries(SIGNAL_NAMES.map((a) => [a, new Uint8Array(n)])) as Record<SignalName, Uint8Array>,
    exitPercent: Object.fromEntries(EXIT_NAMES.map((a) => [a, new Float64Array(n).fill(100)])) as Record<ExitName, Float64Array>,
    conditions: new Map(),
  };
  for (const r of plan.rules) {
    const tri = ev.eval(r.node);
    out.conditions.set(r.name, isTrue(tri));
    if (r.action === 'no_action') continue;
    const sig = out.signals[r.action];
    for (let i = 0; i < n; i++) if (tri[i] === T) sig[i] = 1;
  }
  for (const b of plan.blocks) {
    const matched = new Uint8Array(n);
    for (const c of b.cases) {
      const tri = ev.eval(c.node);
      out.conditions.set(c.name, isTrue(tri));
      for (let i = 0; i < n; i++) {
        if (matched[i] || tri[i] !== T) continue;
        matched[i] = 1;
        for (const e of c.emit) emitAt(e, i, out);
      }
    }
    if (b.elseEmit.length) for (let i = 0; i < n; i++) if (!matched[i]) for (const e of b.elseEmit) emitAt(e, i, out);
  }
  return out;
}

/** The same decisions at one bar, through the scalar evaluator. */
export function actionsAtBar(plan: ActionPlan, ev: ScalarEvaluator, i: number): FiredAction[] {
  const fired = new Map<SignalName, number>();
  const add = (e: Emit) => {
    if (e.action === 'no_action') return;
    const p = isExit(e.action) ? (e.percent ?? 100) : 100;
    fired.set(e.action, Math.max(fired.get(e.action) ?? 0, p));
  };
  for (const r of plan.rules) if (r.action !== 'no_action' && ev.at(r.node, i) === T) add({ action: r.action });
  for (const b of plan.blocks) {
    const hit = b.cases.find((c) => ev.at(c.node, i) === T);
    for (const e of hit ? hit.emit : b.elseEmit) add(e);
  }
  return SIGNAL_NAMES.filter((a) => fired.has(a)).map((a) => ({ action: a, percent: fired.get(a)! }));
}
