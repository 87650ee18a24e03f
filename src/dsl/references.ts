// Resolves a reference written in a condition to a typed series: a built-in price, a feature output or a
// structure output. Forms: `close`, `ema_9`, `macd_12_26_9.histogram`, `swing.high_level`,
// `fib.level[0.618]` / `fib.level_0.618`, `zones.zone[0].state`, `med_tf_4h.ms_4h.direction`.
import { INDICATORS } from './registry/indicators.ts';
import { describeStructureFields, STRUCTURES, structureField } from './registry/structures.ts';
import type { BuiltinName, Feature, ResolvedRef, Structure } from './types.ts';

/**
 * Price and market series needing no declaration. open_interest appears in TRADE's own corpus
 * (sol_ema_cross.yml); funding_rate is Playforge's perpetual-funding extension (examples/plays/README.md).
 */
export const BUILTINS: readonly BuiltinName[] = ['open', 'high', 'low', 'close', 'volume', 'last_price', 'mark_price', 'open_interest', 'funding_rate'];

export interface RefTable {
  features: ReadonlyMap<string, Feature>;
  structures: ReadonlyMap<string, Structure>;
}

export function makeRefTable(features: readonly Feature[], structures: readonly Structure[]): RefTable {
  return {
    features: new Map(features.map((f) => [f.key, f])),
    structures: new Map(structures.map((s) => [s.key, s])),
  };
}

export type RefResult = { ref: ResolvedRef; error?: undefined } | { ref?: undefined; error: { code: string; message: string } };

const QUALIFIED = /^(low_tf|med_tf|high_tf|exec)_([0-9]+[mh]|D|W|M)\.(.+)$/;

/** Closest known name, for "did you mean" hints (edit distance <= 2). */
export function suggest(name: string, known: Iterable<string>): string {
  let best = '';
  let bestD = 3;
  for (const k of known) {
    const d = editDistance(name, k);
    if (d < bestD) {
      bestD = d;
      best = k;
    }
  }
  return best ? ` (did you mean '${best}'?)` : '';
}

function editDistance(a: string, b: string): number {
  const prev = Array.from({ length: b.length + 1 }, (_, i) => i);
  for (let i = 1; i <= a.length; i++) {
    let diag = prev[0];
    prev[0] = i;
    for (let j = 1; j <= b.length; j++) {
      const tmp = prev[j];
      prev[j] = Math.min(prev[j] + 1, prev[j - 1] + 1, diag + (a[i - 1] === b[j - 1] ? 0 : 1));
      diag = tmp;
    }
  }
  return prev[b.length];
}

function fail(code: string, message: string): RefResult {
  return { error: { code, message } };
}

function featureRef(f: Feature, field: string | undefined, text: string): RefResult {
  const spec = INDICATORS[f.indicator];
  const outputs = spec?.outputs ?? { value: { type: 'FLOAT' as const } };
  const name = field ?? 'value';
  const out = outputs[name];
  if (!out) {
    const list = Object.keys(outputs).join(', ');
    if (field === undefined) {
      return fail('DSL_UNKNOWN_FIELD', `'${text}' is a multi-output ${f.indicator}: name one of its outputs (${list}), e.g. ${f.key}.${Object.keys(outputs)[0]}`);
    }
    return fail('DSL_UNKNOWN_FIELD', `${f.indicator} feature '${f.key}' has no output '${field}' (outputs: ${list})`);
  }
  return { ref: { source: 'feature', key: f.key, field: name, type: out.type, ...(out.values ? { values: [...out.values] } : {}) } };
}

function structureRef(s: Structure, field: string | undefined, text: string): RefResult {
  if (field === undefined) {
    if (STRUCTURES[s.type]?.outputs.value) field = 'value';
    else return fail('DSL_UNKNOWN_FIELD', `'${text}' is a ${s.type} structure: name a field (${describeStructureFields(s.type)})`);
  }
  const hit = structureField(s.type, s.params, field);
  if (!hit) {
    return fail('DSL_UNKNOWN_FIELD', `${s.type} structure '${s.key}' has no field '${field}' (fields: ${describeStructureFields(s.type)})`);
  }
  const { spec } = hit;
  return { ref: { source: 'structure', key: s.key, field: hit.field, type: spec.type, ...(spec.values ? { values: [...spec.values] } : {}) } };
}

/** Resolves `key` + optional `field` (the dict form {feature_id, field}). */
export function resolveKeyField(key: string, field: string | undefined, table: RefTable, text: string): RefResult {
  if ((BUILTINS as readonly string[]).includes(key) && field === undefined) {
    return { ref: { source: 'builtin', name: key as BuiltinName, type: 'FLOAT' } };
  }
  const f = table.features.get(key);
  if (f) return featureRef(f, field, text);
  const s = table.structures.get(key);
  if (s) return structureRef(s, field, text);
  const known = [...table.features.keys(), ...table.structures.keys(), ...BUILTINS];
  return fail('DSL_UNDEFINED_REFERENCE', `'${key}' is not a declared feature or structure, nor a built-in price${suggest(key, known)}`);
}

/** Resolves a reference string. */
export function resolveRef(text: string, table: RefTable): RefResult {
  const q = QUALIFIED.exec(text);
  if (q) {
    const [, role, tf, rest] = q;
    const dot = rest.indexOf('.');
    const key = dot < 0 ? rest : rest.slice(0, dot);
    const field = dot < 0 ? undefined : rest.slice(dot + 1);
    const s = table.structures.get(key);
    if (!s) return fail('DSL_UNDEFINED_REFERENCE', `'${text}': no structure '${key}' is declared${suggest(key, table.structures.keys())}`);
    if (s.role !== role || s.tf !== tf) {
      return fail('DSL_UNDEFINED_REFERENCE', `'${text}': structure '${key}' is declared under ${s.role} on ${s.tf}, not ${role} on ${tf}`);
    }
    return structureRef(s, field, text);
  }
  const dot = text.indexOf('.');
  if (dot < 0) return resolveKeyField(text, undefined, table, text);
  return resolveKeyField(text.slice(0, dot), text.slice(dot + 1), table, text);
}

/** Canonical text of a resolved reference (what the serializer writes). */
export function refText(ref: ResolvedRef): string {
  if (ref.source === 'builtin') return ref.name;
  return ref.field === 'value' ? ref.key : `${ref.key}.${ref.field}`;
}
