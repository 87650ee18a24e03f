// loadPlay: YAML text -> validated, normalized Play, or every error with its file:line:column.
// Stages run in order and stop at the first stage with errors, so one mistake does not cascade into
// misleading follow-ups (an unknown indicator would otherwise also make every reference to it fail).
import { readFile } from 'node:fs/promises';
import { PlayforgeError } from '../common/errors.ts';
import { parseCondition, type CondEnv } from './conditions.ts';
import { normalizeFeatures, normalizeStructures } from './declarations.ts';
import {
  DEFAULT_ACCOUNT, DEFAULT_ENTRY, DEFAULT_POSITION_POLICY, DEFAULT_RISK, DEFAULT_SYMBOL, DEFAULT_TIMEFRAMES, DEFAULT_VERSION,
} from './defaults.ts';
import { setLoc } from './loc.ts';
import { normalizeParam } from './params.ts';
import { makeRefTable, resolveKeyField, resolveRef } from './references.ts';
import { INTERVAL_MINUTES } from './registry/types.ts';
import { isMapping, Reporter } from './reporter.ts';
import { buildPlaySchema } from './schema/play.ts';
import { zodIssuesToErrors } from './schema/issues.ts';
import { ACTION_NAMES } from './schema/conditions.ts';
import { RISK_FIELDS } from './schema/risk.ts';
import type {
  ActionBlock, ActionName, ActionRule, Actions, Condition, Emit, Feature, MetadataValue, Play, RiskModel, RiskShorthand, Timeframes,
} from './types.ts';
import { parseYamlWithPositions, PositionIndex, type Path } from './yaml-positions.ts';
import type { z } from 'zod';

export interface LoadResult {
  play?: Play;
  errors: PlayforgeError[];
}

let validateSchema: z.ZodType | undefined;
function schema(): z.ZodType {
  // Built once on first use: a pure function of the registries, so caching cannot change results.
  validateSchema ??= buildPlaySchema('validate');
  return validateSchema;
}

function sortErrors(errors: PlayforgeError[]): PlayforgeError[] {
  return [...errors].sort((a, b) => (a.location.line ?? 0) - (b.location.line ?? 0) || (a.location.column ?? 0) - (b.location.column ?? 0));
}

export function loadPlay(text: string, file?: string): LoadResult {
  const parsed = parseYamlWithPositions(text, file);
  if (parsed.errors.length) return { errors: parsed.errors };
  return loadRaw(parsed.value, parsed.positions);
}

/**
 * Validates and normalizes a play already read into plain data (`positions` locate its errors; an
 * empty PositionIndex puts them at 1:1 with the document path). resolvePlay uses this to re-check a
 * resolved play without a YAML round trip.
 */
export function loadRaw(raw: unknown, positions: PositionIndex): LoadResult {
  const rep = new Reporter(positions);
  if (!isMapping(raw)) {
    rep.at('DSL_NOT_A_MAPPING', 'a play is a YAML mapping (name:, features:, actions:, ...)', []);
    return { errors: rep.errors };
  }
  const checked = schema().safeParse(raw, { reportInput: true });
  if (!checked.success) return { errors: sortErrors(zodIssuesToErrors(checked.error.issues, positions)) };

  const timeframes: Timeframes = isMapping(raw.timeframes) ? (raw.timeframes as unknown as Timeframes) : { ...DEFAULT_TIMEFRAMES };
  const features = normalizeFeatures(raw.features, timeframes, rep);
  const structures = rep.errors.length ? [] : normalizeStructures(raw.structures, timeframes, features, rep);
  if (rep.errors.length) return { errors: sortErrors(rep.errors) };

  const table = makeRefTable(features, structures);
  const execMinutes = INTERVAL_MINUTES[timeframes[timeframes.exec]];
  const setups = parseSetups(raw.setups, { table, setupNames: new Set(), rep, execMinutes }, rep);
  const actions = setups ? parseActions(raw.actions, { table, setupNames: new Set(Object.keys(setups)), rep, execMinutes }, rep) : undefined;
  const risk = normalizeRisk(raw, features, rep);
  if (rep.errors.length || !setups || !actions) return { errors: sortErrors(rep.errors) };

  const play: Play = {
    version: (raw.version as string | undefined) ?? DEFAULT_VERSION,
    name: raw.name as string,
    ...(raw.description !== undefined ? { description: raw.description as string } : {}),
    symbol: (raw.symbol as string | undefined) ?? DEFAULT_SYMBOL,
    timeframes: { low_tf: timeframes.low_tf, med_tf: timeframes.med_tf, high_tf: timeframes.high_tf, exec: timeframes.exec },
    account: normalizeAccount(raw.account),
    features,
    structures,
    setups,
    actions,
    position_policy: { ...DEFAULT_POSITION_POLICY, ...(raw.position_policy as object | undefined) },
    ...risk,
    ...(raw.entry !== undefined ? { entry: { ...DEFAULT_ENTRY, ...(raw.entry as object) } } : {}),
    ...copyBlocks(raw, ['synthetic', 'validation', 'expected', 'risk_limits', 'date_range', 'backtest', 'deploy']),
  };
  if (play.deploy) play.deploy = { capital: 10_000, settle_coin: 'USDT', dcp_window: 30, ...(play.deploy as Partial<NonNullable<Play['deploy']>>) };
  return { play: setLoc(play, rep.loc([])), errors: [] };
}

export async function loadPlayFile(path: string): Promise<LoadResult> {
  let text: string;
  try {
    text = await readFile(path, 'utf8');
  } catch (e) {
    return { errors: [new PlayforgeError('DSL_YAML_SYNTAX', `cannot read the play: ${(e as Error).message}`, { file: path, line: 1, column: 1 })] };
  }
  return loadPlay(text, path);
}

function copyBlocks(raw: Record<string, unknown>, keys: string[]): Partial<Play> {
  const out: Record<string, unknown> = {};
  for (const k of keys) if (raw[k] !== undefined) out[k] = structuredClone(raw[k]);
  return out as Partial<Play>;
}

function normalizeAccount(raw: unknown): Play['account'] {
  const a = (isMapping(raw) ? raw : {}) as Partial<Play['account']>;
  return {
    ...DEFAULT_ACCOUNT,
    ...a,
    fee_model: { ...DEFAULT_ACCOUNT.fee_model, ...(a.fee_model ?? {}) },
  };
}

// ------------------------------------------------------------------ risk

const RISK_NUMBERS = new Set(Object.keys(RISK_FIELDS));

/** Ranged numbers become {choices}; everything else is copied (the schema checked shapes and bounds). */
function normalizeRiskBlock(value: unknown, field?: string): unknown {
  if (Array.isArray(value)) {
    const spec = field ? RISK_FIELDS[field === 'value' ? 'value' : field] : undefined;
    return spec ? normalizeParam(field!, spec, value, true).value : [...value];
  }
  if (isMapping(value)) {
    if (field && RISK_NUMBERS.has(field) && 'min' in value) return { ...value };
    return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, normalizeRiskBlock(v, k)]));
  }
  return value;
}

function normalizeRisk(raw: Record<string, unknown>, features: readonly Feature[], rep: Reporter): { risk?: RiskShorthand; risk_model?: RiskModel } {
  const checkAtr = (rule: unknown, path: Path) => {
    if (!isMapping(rule) || typeof rule.atr_feature_id !== 'string') return;
    const f = features.find((x) => x.key === rule.atr_feature_id);
    if (!f) rep.at('DSL_UNDEFINED_REFERENCE', `atr_feature_id: '${rule.atr_feature_id}' is not a declared feature`, [...path, 'atr_feature_id']);
    else if (f.indicator !== 'atr') rep.at('DSL_TYPE_MISMATCH', `atr_feature_id: '${f.key}' is a ${f.indicator} feature, expected an atr feature`, [...path, 'atr_feature_id']);
  };
  if (isMapping(raw.risk_model)) {
    checkAtr(raw.risk_model.stop_loss, ['risk_model', 'stop_loss']);
    checkAtr(raw.risk_model.take_profit, ['risk_model', 'take_profit']);
    const rm = normalizeRiskBlock(raw.risk_model) as Partial<RiskModel>;
    return { risk_model: { sizing: { model: 'percent_equity', value: 100 }, tp_order_type: 'Market', sl_order_type: 'Market', ...rm } as RiskModel };
  }
  if (isMapping(raw.risk)) {
    checkAtr(raw.risk.stop_loss, ['risk', 'stop_loss']);
    checkAtr(raw.risk.take_profit, ['risk', 'take_profit']);
    const r = normalizeRiskBlock(raw.risk) as Partial<RiskShorthand>;
    return { risk: { max_position_pct: 100, tp_order_type: 'Market', sl_order_type: 'Market', ...r } };
  }
  return { risk: { ...DEFAULT_RISK } };
}

// ------------------------------------------------------------------ setups and actions

function parseSetups(raw: unknown, base: CondEnv, rep: Reporter): Record<string, Condition> | undefined {
  if (raw === undefined || raw === null) return {};
  if (!isMapping(raw)) {
    rep.at('DSL_TYPE_MISMATCH', 'setups: expected a mapping of setup name to condition', ['setups']);
    return undefined;
  }
  const names = new Set(Object.keys(raw));
  const edges = new Map<string, { name: string; path: Path }[]>();
  const out: Record<string, Condition> = {};
  let ok = true;
  for (const [name, body] of Object.entries(raw)) {
    const refs: { name: string; path: Path }[] = [];
    const env: CondEnv = { ...base, setupNames: names, onSetupRef: (n, p) => refs.push({ name: n, path: p }) };
    const c = parseCondition(body, ['setups', name], env, 'all');
    edges.set(name, refs);
    if (c) out[name] = c;
    else ok = false;
  }
  if (!ok) return undefined;
  // Cycle detection: depth-first, reporting the reference that closes a cycle.
  const state = new Map<string, 'visiting' | 'done'>();
  const visit = (name: string, trail: string[]): boolean => {
    state.set(name, 'visiting');
    for (const ref of edges.get(name) ?? []) {
      const s = state.get(ref.name);
      if (s === 'visiting') {
        const cycle = [...trail.slice(trail.indexOf(ref.name)), name, ref.name];
        rep.at('DSL_CIRCULAR_SETUP', `circular setups: ${cycle.join(' -> ')}`, ref.path);
        return false;
      }
      if (s === undefined && !visit(ref.name, [...trail, name])) return false;
    }
    state.set(name, 'done');
    return true;
  };
  for (const name of names) if (!state.has(name) && !visit(name, [])) return undefined;
  return out;
}

function parseActions(raw: unknown, env: CondEnv, rep: Reporter): Actions | undefined {
  if (raw === undefined || raw === null) {
    rep.at('DSL_MISSING_FIELD', "missing required field 'actions' (e.g. actions: { entry_long: [[ema_9, '>', ema_21]] })", []);
    return undefined;
  }
  if (Array.isArray(raw)) {
    if (raw.length === 0) {
      rep.at('DSL_MISSING_FIELD', 'actions: give at least one case block', ['actions']);
      return undefined;
    }
    const blocks: ActionBlock[] = [];
    raw.forEach((b, i) => {
      const block = parseBlock(b, ['actions', i], env);
      if (block) blocks.push(block);
    });
    return blocks.length === raw.length ? { form: 'blocks', blocks } : undefined;
  }
  if (!isMapping(raw)) {
    rep.at('DSL_TYPE_MISMATCH', 'actions: expected a mapping of action name to condition, or a list of case blocks', ['actions']);
    return undefined;
  }
  const rules: ActionRule[] = [];
  let ok = true;
  for (const [name, body] of Object.entries(raw)) {
    const path = ['actions', name];
    if (!(ACTION_NAMES as readonly string[]).includes(name)) {
      rep.atKey('DSL_UNKNOWN_KEY', `unknown action '${name}' (actions: ${ACTION_NAMES.join(', ')})`, path);
      ok = false;
      continue;
    }
    let condRaw = body;
    let metadata: Record<string, MetadataValue> | undefined;
    if (isMapping(body) && 'metadata' in body) {
      const { metadata: m, ...rest } = body;
      condRaw = rest;
      metadata = parseMetadata(m, [...path, 'metadata'], env);
      if (!metadata) ok = false;
    }
    const when = parseCondition(condRaw, path, env, 'all');
    if (!when) {
      ok = false;
      continue;
    }
    rules.push(setLoc({ action: name as ActionName, when, ...(metadata ? { metadata } : {}) }, rep.loc(path)));
  }
  if (!ok) return undefined;
  if (rules.length === 0) {
    rep.at('DSL_MISSING_FIELD', 'actions: give at least one action (entry_long, entry_short, ...)', ['actions']);
    return undefined;
  }
  return { form: 'rules', rules };
}

function parseBlock(raw: unknown, path: Path, env: CondEnv): ActionBlock | undefined {
  const { rep } = env;
  if (!isMapping(raw)) {
    rep.at('DSL_TYPE_MISMATCH', 'a case block is a mapping {id, cases, else?}', path);
    return undefined;
  }
  const extra = Object.keys(raw).filter((k) => !['id', 'cases', 'else'].includes(k));
  if (extra.length) {
    rep.atKey('DSL_UNKNOWN_KEY', `unknown key '${extra[0]}' in a case block (allowed: id, cases, else)`, [...path, extra[0]]);
    return undefined;
  }
  if (typeof raw.id !== 'string' || raw.id === '') {
    rep.at(raw.id === undefined ? 'DSL_MISSING_FIELD' : 'DSL_TYPE_MISMATCH', "a case block needs an 'id'", path);
    return undefined;
  }
  if (!Array.isArray(raw.cases) || raw.cases.length === 0) {
    rep.at(raw.cases === undefined ? 'DSL_MISSING_FIELD' : 'DSL_TYPE_MISMATCH', "a case block needs 'cases': a list of {when, emit}", path);
    return undefined;
  }
  const cases: ActionBlock['cases'] = [];
  let ok = true;
  raw.cases.forEach((c, i) => {
    const cp = [...path, 'cases', i];
    if (!isMapping(c)) {
      rep.at('DSL_TYPE_MISMATCH', 'a case is a mapping {when, emit}', cp);
      ok = false;
      return;
    }
    const bad = Object.keys(c).filter((k) => k !== 'when' && k !== 'emit');
    if (bad.length) {
      rep.atKey('DSL_UNKNOWN_KEY', `unknown key '${bad[0]}' in a case (allowed: when, emit)`, [...cp, bad[0]]);
      ok = false;
      return;
    }
    if (c.when === undefined) {
      rep.at('DSL_MISSING_FIELD', "a case needs 'when'", cp);
      ok = false;
      return;
    }
    const when = parseCondition(c.when, [...cp, 'when'], env, 'all');
    const emit = parseEmits(c.emit, [...cp, 'emit'], env);
    if (!when || !emit) ok = false;
    else cases.push({ when, emit });
  });
  let elseBlock: ActionBlock['else'];
  if (raw.else !== undefined) {
    const ep = [...path, 'else'];
    if (!isMapping(raw.else) || Object.keys(raw.else).some((k) => k !== 'emit')) {
      rep.at('DSL_TYPE_MISMATCH', 'else: expected {emit: [...]}', ep);
      ok = false;
    } else {
      const emit = parseEmits(raw.else.emit, [...ep, 'emit'], env);
      if (emit) elseBlock = { emit };
      else ok = false;
    }
  }
  if (!ok) return undefined;
  return setLoc({ id: raw.id, cases, ...(elseBlock ? { else: elseBlock } : {}) }, rep.loc(path));
}

function parseEmits(raw: unknown, path: Path, env: CondEnv): Emit[] | undefined {
  const { rep } = env;
  if (!Array.isArray(raw) || raw.length === 0) {
    rep.at(raw === undefined ? 'DSL_MISSING_FIELD' : 'DSL_TYPE_MISMATCH', 'emit: expected a non-empty list of {action, percent?, metadata?}', path);
    return undefined;
  }
  const out: Emit[] = [];
  for (let i = 0; i < raw.length; i++) {
    const e = raw[i];
    const ep = [...path, i];
    if (!isMapping(e)) {
      rep.at('DSL_TYPE_MISMATCH', 'an emit is a mapping {action, percent?, metadata?}', ep);
      return undefined;
    }
    const bad = Object.keys(e).filter((k) => !['action', 'percent', 'metadata'].includes(k));
    if (bad.length) {
      rep.atKey('DSL_UNKNOWN_KEY', `unknown key '${bad[0]}' in emit (allowed: action, percent, metadata)`, [...ep, bad[0]]);
      return undefined;
    }
    if (typeof e.action !== 'string' || !(ACTION_NAMES as readonly string[]).includes(e.action)) {
      rep.at(e.action === undefined ? 'DSL_MISSING_FIELD' : 'DSL_INVALID_VALUE', `emit.action must be one of ${ACTION_NAMES.join(', ')}`, e.action === undefined ? ep : [...ep, 'action']);
      return undefined;
    }
    const emit: Emit = { action: e.action as ActionName };
    if (e.percent !== undefined) {
      if (typeof e.percent !== 'number' || !(e.percent > 0 && e.percent <= 100)) {
        rep.at('DSL_OUT_OF_BOUNDS', `emit.percent must be a number in (0, 100], got ${JSON.stringify(e.percent)}`, [...ep, 'percent']);
        return undefined;
      }
      emit.percent = e.percent;
    }
    if (e.metadata !== undefined) {
      const m = parseMetadata(e.metadata, [...ep, 'metadata'], env);
      if (!m) return undefined;
      emit.metadata = m;
    }
    out.push(emit);
  }
  return out;
}

/** Metadata values: references (recorded at entry/exit) or literal labels. */
function parseMetadata(raw: unknown, path: Path, env: CondEnv): Record<string, MetadataValue> | undefined {
  const { rep } = env;
  if (!isMapping(raw)) {
    rep.at('DSL_TYPE_MISMATCH', 'metadata: expected a mapping of name to reference or value', path);
    return undefined;
  }
  const out: Record<string, MetadataValue> = {};
  for (const [k, v] of Object.entries(raw)) {
    if (isMapping(v)) {
      const bad = Object.keys(v).filter((x) => x !== 'feature_id' && x !== 'field');
      if (bad.length || typeof v.feature_id !== 'string') {
        rep.at('DSL_TYPE_MISMATCH', `metadata.${k}: expected {feature_id, field?}`, [...path, k]);
        return undefined;
      }
      const r = resolveKeyField(v.feature_id, v.field as string | undefined, env.table, v.feature_id);
      if (!r.ref) {
        rep.at(r.error.code, r.error.message, [...path, k]);
        return undefined;
      }
      out[k] = { kind: 'ref', ref: r.ref };
    } else if (typeof v === 'string') {
      const r = resolveRef(v, env.table);
      out[k] = r.ref ? { kind: 'ref', ref: r.ref } : { kind: 'const', value: v };
    } else if (typeof v === 'number' || typeof v === 'boolean') {
      out[k] = { kind: 'const', value: v };
    } else {
      rep.at('DSL_TYPE_MISMATCH', `metadata.${k}: expected a reference, a label or a number`, [...path, k]);
      return undefined;
    }
  }
  return out;
}
