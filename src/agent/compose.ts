// Template slot filling: a template plus one primitive per filled slot -> a raw play (YAML-shaped object).
// Fragments are merged under one key namespace: identical declarations are shared (every SMC primitive
// declares the same `swing`), a clash renames the newcomer's key and every reference to it.
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

/** Replaces references to renamed keys: `key`, `key.field` (strings anywhere in the fragment). */
function renameRefs<T>(v: T, renames: ReadonlyMap<string, string>): T {
  if (renames.size === 0) return v;
  const walk = (x: unknown): unknown => {
    if (typeof x === 'string') {
      const direct = renames.get(x);
      if (direct) return direct;
      const dot = x.indexOf('.');
      const head = dot > 0 ? renames.get(x.slice(0, dot)) : undefined;
      return head ? `${head}${x.slice(dot)}` : x;
    }
    if (Array.isArray(x)) return x.map(walk);
    if (x && typeof x === 'object') return Object.fromEntries(Object.entries(x).map(([k, y]) => [renames.get(k) ?? k, walk(y)]));
    return x;
  };
  return walk(v) as T;
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
      const def = canonical({ kind: d.kind, role: d.role, def: renameRefs(d.def, renames) });
      const have = this.defs.get(d.key);
      if (have === undefined || have === def) continue;
      let n = 2;
      while (this.defs.has(`${d.key}_${n}`) || local.has(`${d.key}_${n}`)) n++;
      renames.set(d.key, `${d.key}_${n}`);
    }
    const renamed = renameRefs(fragment, renames);
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
