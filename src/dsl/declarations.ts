// Normalizes `features:` and `structures:` against the registries: known names, known params with
// defaults filled, ranges checked, timeframes resolved, `uses:` dependencies ordered and typed.
import { normalizeParam } from './params.ts';
import { BUILTINS, suggest } from './references.ts';
import { INDICATORS } from './registry/indicators.ts';
import { STRUCTURES } from './registry/structures.ts';
import { INTERVALS, isInterval, type Interval, type ParamSpec } from './registry/types.ts';
import type { ParamValue } from './ranges.ts';
import { isMapping, type Reporter } from './reporter.ts';
import { setLoc } from './loc.ts';
import { DEFAULT_SOURCE } from './defaults.ts';
import type { Feature, Source, Structure, StructureRole, Timeframes } from './types.ts';
import type { Path } from './yaml-positions.ts';

const KEY_RE = /^[A-Za-z_][A-Za-z0-9_]*$/;
const ROLES: readonly StructureRole[] = ['exec', 'low_tf', 'med_tf', 'high_tf'];
const BAD_ROLE = /^(htf|ltf|mtf)$/i;

export function execInterval(tfs: Timeframes): Interval {
  return tfs[tfs.exec];
}

function checkKey(key: string, path: Path, rep: Reporter, what: string): boolean {
  if (!KEY_RE.test(key)) {
    rep.atKey('DSL_INVALID_VALUE', `${what} key '${key}' must be letters, digits and _ (it is used in references like ${key}.field)`, path);
    return false;
  }
  if ((BUILTINS as readonly string[]).includes(key)) {
    rep.atKey('DSL_DUPLICATE_KEY', `${what} key '${key}' collides with the built-in price '${key}'`, path);
    return false;
  }
  return true;
}

/** Fills and checks params against a registry spec; returns undefined when any param is invalid. */
function normalizeParams(
  specs: Readonly<Record<string, ParamSpec>>,
  raw: unknown,
  path: Path,
  rep: Reporter,
  owner: string,
): Record<string, ParamValue> | undefined {
  const given = isMapping(raw) ? raw : {};
  let ok = true;
  for (const name of Object.keys(given)) {
    if (!specs[name]) {
      const known = Object.keys(specs);
      rep.atKey('DSL_UNKNOWN_PARAM', `${owner} has no parameter '${name}'${suggest(name, known)} (parameters: ${known.join(', ') || 'none'})`, [...path, name]);
      ok = false;
    }
  }
  const out: Record<string, ParamValue> = {};
  for (const [name, spec] of Object.entries(specs)) {
    const v = given[name] ?? (spec.default === undefined ? undefined : Array.isArray(spec.default) ? [...spec.default] : spec.default);
    if (v === undefined || v === null) {
      if (spec.required) {
        rep.at('DSL_MISSING_FIELD', `${owner} needs parameter '${name}' (${spec.description})`, path);
        ok = false;
      }
      continue;
    }
    const r = normalizeParam(name, spec, v, true);
    for (const i of r.issues) (i.atKey ? rep.atKey : rep.at).call(rep, i.code, `${owner}: ${i.message}`, [...path, name, ...(i.subPath ?? [])]);
    if (r.issues.length) ok = false;
    else out[name] = r.value!;
  }
  return ok ? out : undefined;
}

export function normalizeFeatures(raw: unknown, tfs: Timeframes, rep: Reporter): Feature[] {
  const out: Feature[] = [];
  if (!isMapping(raw)) return out;
  for (const [key, decl] of Object.entries(raw)) {
    const path = ['features', key];
    if (!checkKey(key, path, rep, 'feature')) continue;
    if (!isMapping(decl)) continue; // the schema reported it
    const name = decl.indicator as string;
    const spec = INDICATORS[name];
    if (!spec) {
      rep.at('DSL_UNKNOWN_INDICATOR', `unknown indicator '${name}'${suggest(name, Object.keys(INDICATORS))}`, [...path, 'indicator']);
      continue;
    }
    const params = normalizeParams(spec.params, decl.params, [...path, 'params'], rep, `indicator ${name} (${key})`);
    const tf = resolveTf(decl.tf, tfs, [...path, 'tf'], rep);
    if (!params || !tf) continue;
    out.push(setLoc({ key, indicator: name, params, tf, source: (decl.source as Source | undefined) ?? DEFAULT_SOURCE }, rep.loc(path)));
  }
  return out;
}

function resolveTf(v: unknown, tfs: Timeframes, path: Path, rep: Reporter): Interval | undefined {
  if (v === undefined || v === null) return execInterval(tfs);
  if (v === 'exec') return execInterval(tfs);
  if (v === 'low_tf' || v === 'med_tf' || v === 'high_tf') return tfs[v];
  if (isInterval(v)) return v;
  rep.at('DSL_INVALID_TIMEFRAME', `tf: ${JSON.stringify(v)} is neither a role (low_tf, med_tf, high_tf, exec) nor an interval (${INTERVALS.join(', ')})`, path);
  return undefined;
}

interface RawStructure {
  item: Record<string, unknown>;
  path: Path;
  role: StructureRole;
  tf: Interval;
  tfKey?: string;
}

/** Flattens `structures:` (by role, optionally by concrete timeframe) in declaration order. */
function collectStructures(raw: unknown, tfs: Timeframes, rep: Reporter): RawStructure[] {
  const out: RawStructure[] = [];
  if (raw === undefined || raw === null) return out;
  if (!isMapping(raw)) {
    rep.at('DSL_TYPE_MISMATCH', 'structures: expected a mapping of role (exec, low_tf, med_tf, high_tf) to a list of structures', ['structures']);
    return out;
  }
  const pushList = (list: unknown, path: Path, role: StructureRole, tf: Interval, tfKey?: string) => {
    if (list === null || list === undefined) return;
    if (!Array.isArray(list)) {
      rep.at('DSL_TYPE_MISMATCH', `structures.${role}: expected a list of structures${tfKey ? '' : ' (or a mapping of interval to list)'}`, path);
      return;
    }
    list.forEach((item, i) => {
      if (!isMapping(item)) rep.at('DSL_TYPE_MISMATCH', 'a structure is a mapping {type, key, uses?, params?}', [...path, i]);
      else out.push({ item, path: [...path, i], role, tf, tfKey });
    });
  };
  for (const [roleKey, group] of Object.entries(raw)) {
    const path = ['structures', roleKey];
    if (!(ROLES as readonly string[]).includes(roleKey)) {
      const code = BAD_ROLE.test(roleKey) ? 'DSL_BAD_TIMEFRAME_KEY' : 'DSL_UNKNOWN_KEY';
      rep.atKey(code, `structures: '${roleKey}' is not a timeframe role (use exec, low_tf, med_tf or high_tf)`, path);
      continue;
    }
    const role = roleKey as StructureRole;
    const roleTf = role === 'exec' ? execInterval(tfs) : tfs[role];
    if (isMapping(group)) {
      for (const [tfKey, list] of Object.entries(group)) {
        if (!isInterval(tfKey)) {
          rep.atKey('DSL_INVALID_TIMEFRAME', `structures.${role}: '${tfKey}' is not an interval (${INTERVALS.join(', ')})`, [...path, tfKey]);
          continue;
        }
        pushList(list, [...path, tfKey], role, tfKey, tfKey);
      }
    } else pushList(group, path, role, roleTf);
  }
  return out;
}

export function normalizeStructures(raw: unknown, tfs: Timeframes, features: readonly Feature[], rep: Reporter): Structure[] {
  const out: Structure[] = [];
  const featureKeys = new Set(features.map((f) => f.key));
  const explicit = new Map<Structure, Record<string, unknown>>();
  const paths = new Map<Structure, { path: Path; usesList: boolean }>();
  for (const { item, path, role, tf, tfKey } of collectStructures(raw, tfs, rep)) {
    const extra = Object.keys(item).filter((k) => !['type', 'key', 'uses', 'params'].includes(k));
    if (extra.length) {
      rep.atKey('DSL_UNKNOWN_KEY', `unknown key '${extra[0]}' in a structure (allowed: type, key, uses, params)`, [...path, extra[0]]);
      continue;
    }
    if (typeof item.type !== 'string') {
      rep.at(item.type === undefined ? 'DSL_MISSING_FIELD' : 'DSL_TYPE_MISMATCH', "a structure needs 'type' (e.g. type: swing)", path);
      continue;
    }
    if (typeof item.key !== 'string') {
      rep.at(item.key === undefined ? 'DSL_MISSING_FIELD' : 'DSL_TYPE_MISMATCH', "a structure needs 'key' (its name in conditions)", path);
      continue;
    }
    const spec = STRUCTURES[item.type];
    if (!spec) {
      rep.at('DSL_UNKNOWN_STRUCTURE', `unknown structure type '${item.type}'${suggest(item.type, Object.keys(STRUCTURES))}`, [...path, 'type']);
      continue;
    }
    const key = item.key;
    if (!checkKey(key, [...path, 'key'], rep, 'structure')) continue;
    if (featureKeys.has(key) || out.some((s) => s.key === key)) {
      rep.at('DSL_DUPLICATE_KEY', `key '${key}' is already used by a ${featureKeys.has(key) ? 'feature' : 'structure'}; keys must be unique across features and structures`, [...path, 'key']);
      continue;
    }
    let uses: string[] = [];
    if (typeof item.uses === 'string') uses = [item.uses];
    else if (Array.isArray(item.uses) && item.uses.every((u) => typeof u === 'string')) uses = [...item.uses];
    else if (item.uses !== undefined && item.uses !== null) {
      rep.at('DSL_TYPE_MISMATCH', 'uses: expected a structure key or a list of keys', [...path, 'uses']);
      continue;
    }
    if (item.params !== undefined && item.params !== null && !isMapping(item.params)) {
      rep.at('DSL_TYPE_MISMATCH', 'params: expected a mapping of parameter: value', [...path, 'params']);
      continue;
    }
    const params = normalizeParams(spec.params, item.params, [...path, 'params'], rep, `structure ${spec.type} (${key})`);
    if (!params) continue;
    const s: Structure = { key, type: spec.type, role, tf, ...(tfKey ? { tf_key: tfKey } : {}), params, uses };
    explicit.set(s, isMapping(item.params) ? item.params : {});
    paths.set(s, { path, usesList: Array.isArray(item.uses) });
    out.push(setLoc(s, rep.loc(path)));
  }
  out.forEach((s, i) => checkDependencies(s, i, out, rep, paths.get(s)!.path, paths.get(s)!.usesList));
  for (const s of out) checkStructureParams(s, explicit.get(s) ?? {}, out, features, rep, paths.get(s)!.path);
  return out;
}

function checkDependencies(s: Structure, index: number, all: readonly Structure[], rep: Reporter, path: Path, usesList: boolean): void {
  const spec = STRUCTURES[s.type];
  const matched = new Set<number>();
  let hadError = false;
  const report = (code: string, message: string, p: Path) => {
    hadError = true;
    rep.at(code, message, p);
  };
  s.uses.forEach((u, j) => {
    const usePath: Path = usesList ? [...path, 'uses', j] : [...path, 'uses'];
    const targetIndex = all.findIndex((t) => t.key === u);
    if (targetIndex < 0) {
      report('DSL_UNDEFINED_REFERENCE', `${s.key} uses '${u}', which is not a declared structure${suggest(u, all.map((t) => t.key))}`, usePath);
      return;
    }
    const target = all[targetIndex];
    if (targetIndex >= index) {
      report('DSL_DEPENDENCY_ORDER', `${s.key} uses '${u}', which is declared ${targetIndex === index ? 'as itself' : 'below it'}; declare dependencies above their dependents`, usePath);
      return;
    }
    const slot = spec.uses.findIndex((d, k) => d.type === target.type && !matched.has(k));
    if (slot < 0) {
      const wanted = spec.uses.map((d) => d.type).join(' or ') || 'no dependencies';
      report('DSL_TYPE_MISMATCH', `${s.type} ${s.key} cannot use '${u}' (a ${target.type}); it takes ${wanted}`, usePath);
      return;
    }
    matched.add(slot);
    if (target.tf !== s.tf) {
      report('DSL_INVALID_VALUE', `${s.key} (on ${s.tf}) uses '${u}' on ${target.tf}; dependencies must be on the same timeframe`, usePath);
    }
  });
  spec.uses.forEach((d, k) => {
    const standaloneTrend = s.type === 'trend' && s.uses.length === 0;
    // Only when nothing else was wrong with uses: (an undefined or misplaced key was reported already).
    if (d.required && !matched.has(k) && !standaloneTrend && !hadError) {
      rep.at('DSL_MISSING_FIELD', `${s.type} ${s.key} needs uses: <key of a ${d.type} declared above>`, path);
    }
  });
}

function checkStructureParams(
  s: Structure,
  explicit: Record<string, unknown>,
  all: readonly Structure[],
  features: readonly Feature[],
  rep: Reporter,
  path: Path,
): void {
  const p = s.params;
  const pp = (name: string): Path => (explicit[name] === undefined ? [...path, 'params'] : [...path, 'params', name]);
  const depTypes = s.uses.map((u) => all.find((t) => t.key === u)?.type);
  if (s.type === 'swing') {
    if ((p.mode ?? 'fractal') === 'fractal') {
      for (const side of ['left', 'right']) {
        if (p[side] === undefined) rep.at('DSL_MISSING_FIELD', `swing ${s.key} (fractal mode) needs parameter '${side}'`, [...path, 'params']);
      }
    } else if (p.atr_key === undefined) {
      rep.at('DSL_MISSING_FIELD', `swing ${s.key} in atr_zigzag mode needs parameter 'atr_key'`, [...path, 'params']);
    }
  }
  if (s.type === 'trend') {
    if (s.uses.length > 0) {
      if (explicit.ema_length !== undefined) {
        rep.at('DSL_INVALID_VALUE', `trend ${s.key}: ema_length applies only to a standalone trend (no uses:)`, pp('ema_length'));
      }
      delete p.ema_length;
    }
  }
  if (s.type === 'fibonacci' && p.use_trend_anchor === true) {
    if (p.use_paired_anchor !== false) {
      rep.at('DSL_INVALID_VALUE', `fibonacci ${s.key}: use_trend_anchor: true requires use_paired_anchor: false`, pp('use_trend_anchor'));
    }
    if (!depTypes.includes('trend')) {
      rep.at('DSL_MISSING_FIELD', `fibonacci ${s.key}: use_trend_anchor: true requires uses: [<swing>, <trend>]`, pp('use_trend_anchor'));
    }
  }
  for (const [name, spec] of Object.entries(STRUCTURES[s.type].params)) {
    if (spec.kind !== 'ref' || typeof p[name] !== 'string') continue;
    const target = p[name] as string;
    if (spec.refTo === 'feature') {
      const f = features.find((x) => x.key === target);
      if (!f) rep.at('DSL_UNDEFINED_REFERENCE', `${s.key}.${name}: '${target}' is not a declared feature${suggest(target, features.map((x) => x.key))}`, pp(name));
      else if (f.indicator !== 'atr') rep.at('DSL_TYPE_MISMATCH', `${s.key}.${name}: '${target}' is a ${f.indicator} feature, expected an atr feature`, pp(name));
    } else {
      const index = all.indexOf(s);
      const ti = all.findIndex((x) => x.key === target);
      if (ti < 0) rep.at('DSL_UNDEFINED_REFERENCE', `${s.key}.${name}: '${target}' is not a declared structure`, pp(name));
      else if (spec.refType && all[ti].type !== spec.refType) rep.at('DSL_TYPE_MISMATCH', `${s.key}.${name}: '${target}' is a ${all[ti].type}, expected a ${spec.refType}`, pp(name));
      else if (ti > index) rep.at('DSL_DEPENDENCY_ORDER', `${s.key}.${name}: '${target}' is declared below ${s.key}`, pp(name));
    }
  }
}
