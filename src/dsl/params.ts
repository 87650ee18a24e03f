// Checks one parameter value against its spec and normalizes it: scalar, list value, choices or range.
// Shared by registry params (features, structures) and the rangeable numbers of risk and windows.
import type { ParamSpec } from './registry/types.ts';
import type { ParamValue, Scalar } from './ranges.ts';
import type { PathSeg } from './yaml-positions.ts';

export interface ParamIssue {
  code: string;
  message: string;
  /** Below the parameter's own path (a list element, a range key). */
  subPath?: PathSeg[];
  /** Locate at the mapping key named by subPath rather than at its value. */
  atKey?: boolean;
}

export interface ParamResult {
  value?: ParamValue;
  issues: ParamIssue[];
}

const describe = (v: unknown): string =>
  v === null ? 'null' : Array.isArray(v) ? 'a list' : typeof v === 'object' ? 'a mapping' : `${typeof v} ${JSON.stringify(v)}`;

function boundsText(spec: ParamSpec): string {
  const lo = spec.min === undefined ? '' : `${spec.minExclusive ? '>' : '>='} ${spec.min}`;
  const hi = spec.max === undefined ? '' : `<= ${spec.max}`;
  return [lo, hi].filter(Boolean).join(' and ');
}

function checkNumber(name: string, spec: ParamSpec, v: unknown, isInt: boolean): ParamIssue | undefined {
  if (typeof v !== 'number' || !Number.isFinite(v)) {
    return { code: 'DSL_TYPE_MISMATCH', message: `${name}: expected ${isInt ? 'an integer' : 'a number'}, got ${describe(v)}` };
  }
  if (isInt && !Number.isInteger(v)) {
    return { code: 'DSL_TYPE_MISMATCH', message: `${name}: expected an integer, got ${v}` };
  }
  const below = spec.min !== undefined && (spec.minExclusive ? v <= spec.min : v < spec.min);
  const above = spec.max !== undefined && v > spec.max;
  if (below || above) return { code: 'DSL_OUT_OF_BOUNDS', message: `${name}: ${v} is out of bounds (must be ${boundsText(spec)})` };
  return undefined;
}

function checkScalar(name: string, spec: ParamSpec, v: unknown): ParamIssue | undefined {
  switch (spec.kind) {
    case 'int':
      return checkNumber(name, spec, v, true);
    case 'float':
      return checkNumber(name, spec, v, false);
    case 'bool':
      return typeof v === 'boolean' ? undefined : { code: 'DSL_TYPE_MISMATCH', message: `${name}: expected true or false, got ${describe(v)}` };
    case 'enum':
      if (typeof v !== 'string') return { code: 'DSL_TYPE_MISMATCH', message: `${name}: expected one of ${spec.values?.join(', ')}, got ${describe(v)}` };
      return spec.values?.includes(v) ? undefined : { code: 'DSL_INVALID_VALUE', message: `${name}: '${v}' is not one of ${spec.values?.join(', ')}` };
    default:
      return typeof v === 'string' && v.length > 0 ? undefined : { code: 'DSL_TYPE_MISMATCH', message: `${name}: expected a name, got ${describe(v)}` };
  }
}

const RANGE_KEYS = new Set(['min', 'max', 'step']);

function checkRange(name: string, spec: ParamSpec, raw: Record<string, unknown>): ParamResult {
  const isInt = spec.kind === 'int';
  const unknown = Object.keys(raw).filter((k) => !RANGE_KEYS.has(k));
  if (unknown.length) {
    return { issues: [{ code: 'DSL_UNKNOWN_KEY', message: `${name}: unknown key '${unknown[0]}' in a range (a range is {min, max, step})`, subPath: [unknown[0]], atKey: true }] };
  }
  for (const k of ['min', 'max'] as const) {
    if (typeof raw[k] !== 'number' || !Number.isFinite(raw[k])) {
      return { issues: [{ code: 'DSL_BAD_RANGE', message: `${name}: a range needs numeric min and max (${k} is ${describe(raw[k])})`, subPath: raw[k] === undefined ? [] : [k] }] };
    }
  }
  const min = raw.min as number;
  const max = raw.max as number;
  const step = raw.step;
  if (step !== undefined && (typeof step !== 'number' || !Number.isFinite(step))) {
    return { issues: [{ code: 'DSL_BAD_RANGE', message: `${name}: step must be a number, got ${describe(step)}`, subPath: ['step'] }] };
  }
  if (typeof step === 'number' && step <= 0) {
    return { issues: [{ code: 'DSL_BAD_RANGE', message: `${name}: step must be > 0, got ${step}`, subPath: ['step'] }] };
  }
  if (min > max) {
    return { issues: [{ code: 'DSL_RANGE_MIN_GT_MAX', message: `${name}: range min ${min} is greater than max ${max}` }] };
  }
  if (isInt && (!Number.isInteger(min) || !Number.isInteger(max) || (typeof step === 'number' && !Number.isInteger(step)))) {
    return { issues: [{ code: 'DSL_BAD_RANGE', message: `${name}: an integer parameter needs integer min, max and step` }] };
  }
  for (const k of ['min', 'max'] as const) {
    const issue = checkNumber(name, spec, raw[k], isInt);
    if (issue) return { issues: [{ ...issue, subPath: [k] }] };
  }
  return { value: typeof step === 'number' ? { min, max, step } : { min, max }, issues: [] };
}

/**
 * Normalizes a raw parameter value. `allowRange` is false where the DSL wants a concrete value
 * (a list or {min,max} there is DSL_RANGE_NOT_ALLOWED).
 */
export function normalizeParam(name: string, spec: ParamSpec, raw: unknown, allowRange: boolean): ParamResult {
  if (spec.kind === 'float_list') {
    if (!Array.isArray(raw)) {
      const code = typeof raw === 'object' && raw !== null ? 'DSL_RANGE_NOT_ALLOWED' : 'DSL_TYPE_MISMATCH';
      return { issues: [{ code, message: `${name}: expected a list of numbers (the list is the value), got ${describe(raw)}` }] };
    }
    if (raw.length === 0) return { issues: [{ code: 'DSL_EMPTY_RANGE', message: `${name}: the list is empty` }] };
    for (let i = 0; i < raw.length; i++) {
      const issue = checkNumber(name, spec, raw[i], false);
      if (issue) return { issues: [{ ...issue, subPath: [i] }] };
    }
    return { value: [...(raw as number[])], issues: [] };
  }
  const rangeable = spec.kind !== 'ref' && spec.kind !== 'string';
  if (Array.isArray(raw)) {
    if (!allowRange || !rangeable) {
      return { issues: [{ code: 'DSL_RANGE_NOT_ALLOWED', message: `${name}: a list of choices is not allowed here; give one value` }] };
    }
    if (raw.length === 0) return { issues: [{ code: 'DSL_EMPTY_RANGE', message: `${name}: the list of choices is empty` }] };
    const seen = new Set<unknown>();
    for (let i = 0; i < raw.length; i++) {
      const issue = checkScalar(name, spec, raw[i]);
      if (issue) return { issues: [{ ...issue, subPath: [i] }] };
      if (seen.has(raw[i])) return { issues: [{ code: 'DSL_BAD_RANGE', message: `${name}: choice ${JSON.stringify(raw[i])} is listed twice`, subPath: [i] }] };
      seen.add(raw[i]);
    }
    return { value: { choices: [...(raw as Scalar[])] }, issues: [] };
  }
  if (typeof raw === 'object' && raw !== null) {
    if (!allowRange || (spec.kind !== 'int' && spec.kind !== 'float')) {
      return { issues: [{ code: 'DSL_RANGE_NOT_ALLOWED', message: `${name}: a {min, max, step} range is not allowed here; give one value` }] };
    }
    return checkRange(name, spec, raw as Record<string, unknown>);
  }
  const issue = checkScalar(name, spec, raw);
  return issue ? { issues: [issue] } : { value: raw as Scalar, issues: [] };
}
