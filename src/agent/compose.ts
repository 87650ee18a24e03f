// Template slot filling: a template plus one primitive per filled slot -> a raw play (YAML-shaped object).
// Fragments are merged under one key namespace: identical declarations are shared (every SMC primitive
// declares the same `swing`), a clash renames the newcomer's key and every reference to it.
import { STRUCTURES } from '../dsl/index.ts';
import { GENERATED_TIMEFRAMES, type Fragment, type Primitive, type Template } from '../knowledge/catalog/index.ts';

export interface SlotFill {
  slot: string;
  primitive: Primitive;
}

export interface Composition {
  template: Template;
  /** In the template's slot order. */
  fills: SlotFill[];
}

export interface ComposeMeta {
  name: string;
  description: string;
  symbol?: string;
}

/** Account of every generated play: the example plays' realistic Bybit perpetual defaults. */
export const GENERATED_ACCOUNT = {
  starting_equity_usdt: 10000.0,
  max_leverage: 3.0,
  max_drawdown_pct: 20.0,
  margin_mode: 'isolated_usdt',
  fee_model: { taker_bps: 5.5, maker_bps: 2.0 },
  slippage_bps: 2.0,
} as const;

export interface Directions {
  long: boolean;
  short: boolean;
}

/** A primitive with no entry conditions (risk, pure exits) is neutral; others allow the sides they define. */
export function directionsOf(comp: Composition): Directions {
  let long = comp.template.directions !== 'short_only';
  let short = comp.template.directions !== 'long_only';
  for (const { primitive } of comp.fills) {
    const f = primitive.fragment;
    if (!f.entry_long && !f.entry_short) continue;
    long &&= Boolean(f.entry_long);
    short &&= Boolean(f.entry_short);
  }
  return { long, short };
}

/** Deterministic JSON (sorted keys) for comparing declarations and conditions. */
export function canonical(v: unknown): string {
  if (Array.isArray(v)) return `[${v.map(canonical).join(',')}]`;
  if (v && typeof v === 'object') {
    return `{${Object.keys(v).sort().map((k) => `${JSON.stringify(k)}:${canonical((v as Record<string, unknown>)[k])}`).join(',')}}`;
  }
  return JSON.stringify(v);
}

const ARITH = new Set(['+', '-', '*', '/', '%']);
const COMPARISONS = new Set(['>', '<', '>=', '<=', '==', '=', '!=', 'between', 'near_pct', 'near_abs', 'in', 'cross_above', 'cross_below']);
const WINDOWS = new Set(['holds_for', 'occurred_within', 'count_true', 'holds_for_duration', 'occurred_within_duration', 'count_true_duration']);

/**
 * Renames declared keys where the DSL reads them as references (condition operands, `feature_id`, `setup:`,
 * `uses:`, ref-typed structure params such as atr_key, risk `atr_feature_id`), and nowhere else: a structure
 * `type: swing` stays a type even when the key `swing` is renamed.
 */
function renameFragment(f: Fragment, renames: ReadonlyMap<string, string>): Fragment {
  if (renames.size === 0) return f;
  const ref = (x: unknown): unknown => {
    if (typeof x !== 'string') return x;
    const direct = renames.get(x);
    if (direct) return direct;
    const dot = x.indexOf('.');
    const head = dot > 0 ? renames.get(x.slice(0, dot)) : undefined;
    return head ? `${head}${x.slice(dot)}` : x;
  };
  const operand = (o: unknown): unknown => {
    if (typeof o === 'string') return ref(o);
    if (Array.isArray(o) && o.length === 3 && typeof o[1] === 'string' && ARITH.has(o[1])) return [operand(o[0]), o[1], operand(o[2])];
    if (o && typeof o === 'object' && !Array.isArray(o) && 'feature_id' in o) return { ...o, feature_id: ref((o as { feature_id: unknown }).feature_id) };
    return o;
  };
  const cond = (c: unknown): unknown => {
    if (Array.isArray(c)) {
      // [lhs, op, rhs] (or with a tolerance) versus a list of conditions.
      const compact = (c.length === 3 || c.length === 4) && typeof c[1] === 'string' && COMPARISONS.has(c[1]);
      return compact ? [operand(c[0]), c[1], operand(c[2]), ...c.slice(3)] : c.map(cond);
    }
    if (!c || typeof c !== 'object') return c;
    const out: Record<string, unknown> = {};
    for (const [k, v] of Object.entries(c)) {
      if (k === 'all' || k === 'any' || k === 'not') out[k] = cond(v);
      else if (k === 'setup') out[k] = ref(v);
      else if (k === 'lhs' || k === 'rhs') out[k] = operand(v);
      else if (WINDOWS.has(k) && v && typeof v === 'object') out[k] = { ...v, expr: cond((v as { expr?: unknown }).expr) };
      else out[k] = v;
    }
    return out;
  };
  const structure = (d: Record<string, unknown>): Record<string, unknown> => {
    const spec = STRUCTURES[String(d.type)];
    const params = d.params && typeof d.params === 'object' ? { ...(d.params as Record<string, unknown>) } : undefined;
    if (params) for (const name of Object.keys(params)) if (spec?.params[name]?.kind === 'ref') params[name] = ref(params[name]);
    return {
      ...d,
      key: ref(d.key),
      ...(d.uses !== undefined ? { uses: Array.isArray(d.uses) ? d.uses.map(ref) : ref(d.uses) } : {}),
      ...(params ? { params } : {}),
    };
  };
  const renameKeys = <T>(m: Record<string, T> | undefined, value: (v: T) => T = (v) => v) =>
    m && Object.fromEntries(Object.entries(m).map(([k, v]) => [String(ref(k)), value(v)]));
  const risk = f.risk_model && Object.fromEntries(
    Object.entries(f.risk_model).map(([k, v]) => [k, v && typeof v === 'object' && 'atr_feature_id' in v ? { ...v, atr_feature_id: ref((v as { atr_feature_id: unknown }).atr_feature_id) } : v]),
  );
  const list = (l: unknown[] | undefined) => l && (l.map(cond) as unknown[]);
  return {
    ...f,
    ...(f.features ? { features: renameKeys(f.features) } : {}),
    ...(f.structures ? { structures: Object.fromEntries(Object.entries(f.structures).map(([role, l]) => [role, (l ?? []).map(structure)])) } : {}),
    ...(f.setups ? { setups: renameKeys(f.setups, cond) } : {}),
    ...(f.entry_long ? { entry_long: list(f.entry_long) } : {}),
    ...(f.entry_short ? { entry_short: list(f.entry_short) } : {}),
    ...(f.exit_long ? { exit_long: list(f.exit_long) } : {}),
    ...(f.exit_short ? { exit_short: list(f.exit_short) } : {}),
    ...(risk ? { risk_model: risk } : {}),
  };
}

interface Declared {
  kind: 'feature' | 'structure' | 'setup';
  key: string;
  def: unknown;
  role?: string;
}

function declarationsOf(f: Fragment): Declared[] {
  const out: Declared[] = [];
  for (const [key, def] of Object.entries(f.features ?? {})) out.push({ kind: 'feature', key, def });
  for (const [role, list] of Object.entries(f.structures ?? {})) {
    for (const def of list ?? []) out.push({ kind: 'structure', key: String(def.key), def, role });
  }
  for (const [key, def] of Object.entries(f.setups ?? {})) out.push({ kind: 'setup', key, def });
  return out;
}

/** A fragment holding one declaration, so it can go through renameFragment on its own. */
function fragmentOf(d: Declared): Fragment {
  if (d.kind === 'feature') return { features: { [d.key]: d.def as Record<string, unknown> } };
  if (d.kind === 'setup') return { setups: { [d.key]: d.def } };
  return { structures: { [d.role as 'exec']: [d.def as Record<string, unknown>] } };
}

export class FragmentMerger {
  readonly features: Record<string, unknown> = {};
  readonly structures: Record<string, Record<string, unknown>[]> = {};
  readonly setups: Record<string, unknown> = {};
  private readonly defs = new Map<string, string>();

  /** Adds a fragment's declarations; returns the fragment with clashing keys renamed. */
  add(fragment: Fragment): Fragment {
    const renames = new Map<string, string>();
    const local = new Set(declarationsOf(fragment).map((d) => d.key));
    // Declarations come in dependency order (features, then structures, then setups), so renaming as we go
    // makes a dependant of a renamed key differ too (and be renamed in turn) instead of silently sharing.
    for (const d of declarationsOf(fragment)) {
      const def = canonical({ kind: d.kind, role: d.role, def: declarationsOf(renameFragment(fragmentOf(d), renames))[0].def });
      const have = this.defs.get(d.key);
      if (have === undefined || have === def) continue;
      let n = 2;
      while (this.defs.has(`${d.key}_${n}`) || local.has(`${d.key}_${n}`)) n++;
      renames.set(d.key, `${d.key}_${n}`);
    }
    const renamed = renameFragment(fragment, renames);
    for (const d of declarationsOf(renamed)) {
      const def = canonical({ kind: d.kind, role: d.role, def: d.def });
      if (this.defs.get(d.key) === def) continue;
      this.defs.set(d.key, def);
      if (d.kind === 'feature') this.features[d.key] = structuredClone(d.def);
      else if (d.kind === 'setup') this.setups[d.key] = structuredClone(d.def);
      else (this.structures[d.role!] ??= []).push(structuredClone(d.def) as Record<string, unknown>);
    }
    return renamed;
  }
}

/** Appends the items not already in the list; returns how many were new. */
function pushUnique(list: unknown[], items: readonly unknown[] | undefined): number {
  let added = 0;
  for (const item of items ?? []) {
    if (list.some((x) => canonical(x) === canonical(item))) continue;
    list.push(structuredClone(item));
    added++;
  }
  return added;
}

/**
 * The raw play of a composition, or undefined when its primitives agree on no trading direction (a long-only
 * spring with a short-only filter, say), when one of them adds nothing, or when no primitive gives a risk model.
 */
export function composeRaw(comp: Composition, meta: ComposeMeta): Record<string, unknown> | undefined {
  const dirs = directionsOf(comp);
  if (!dirs.long && !dirs.short) return undefined;
  const merger = new FragmentMerger();
  const entryLong: unknown[] = [], entryShort: unknown[] = [], exitLong: unknown[] = [], exitShort: unknown[] = [];
  let riskModel: Record<string, unknown> | undefined;
  for (const { slot, primitive } of comp.fills) {
    const f = merger.add(primitive.fragment);
    let added = 0;
    if (dirs.long) added += pushUnique(entryLong, f.entry_long);
    if (dirs.short) added += pushUnique(entryShort, f.entry_short);
    const slotSpec = comp.template.slots.find((s) => s.name === slot);
    if (slotSpec?.exits) {
      if (dirs.long) added += pushUnique(exitLong, f.exit_long);
      if (dirs.short) added += pushUnique(exitShort, f.exit_short);
    }
    if (f.risk_model) {
      riskModel = structuredClone(f.risk_model);
      added++;
    }
    // A primitive whose conditions are already there (a volume filter next to a spring that checks volume)
    // would be credited in the provenance for nothing: such a composition is not a distinct idea.
    if (added === 0) return undefined;
  }
  if (!riskModel) return undefined;
  const actions: Record<string, unknown> = {};
  if (entryLong.length) actions.entry_long = { all: entryLong };
  if (entryShort.length) actions.entry_short = { all: entryShort };
  if (exitLong.length) actions.exit_long = exitLong.length === 1 ? exitLong : { any: exitLong };
  if (exitShort.length) actions.exit_short = exitShort.length === 1 ? exitShort : { any: exitShort };
  const hasExits = exitLong.length + exitShort.length > 0;
  const maxLeverage = (riskModel.sizing as { max_leverage?: unknown } | undefined)?.max_leverage;
  return {
    version: '3.0.0',
    name: meta.name,
    description: meta.description,
    symbol: meta.symbol ?? 'BTCUSDT',
    timeframes: { ...GENERATED_TIMEFRAMES, exec: comp.template.exec },
    account: { ...GENERATED_ACCOUNT, ...(typeof maxLeverage === 'number' ? { max_leverage: maxLeverage } : {}), fee_model: { ...GENERATED_ACCOUNT.fee_model } },
    ...(Object.keys(merger.features).length ? { features: merger.features } : {}),
    ...(Object.keys(merger.structures).length ? { structures: merger.structures } : {}),
    ...(Object.keys(merger.setups).length ? { setups: merger.setups } : {}),
    actions,
    position_policy: {
      mode: dirs.long && dirs.short ? 'long_short' : dirs.long ? 'long_only' : 'short_only',
      exit_mode: hasExits ? comp.template.exit_mode : 'sl_tp_only',
      max_positions_per_symbol: 1,
    },
    risk_model: riskModel,
    ...(comp.template.validation_pattern ? { validation: { pattern: comp.template.validation_pattern } } : {}),
  };
}
