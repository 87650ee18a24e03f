// Parses every condition form of the DSL into the typed AST the engine compiles (types.ts `Condition`):
// [lhs, op, rhs] / [lhs, op, rhs, tolerance], the verbose {lhs, op, rhs, tolerance} dict with offsets,
// arithmetic ([a, '-', b] and {'-': [a, b]}), all/any/not, setups, window operators and their _duration
// forms. Type rules (structures.md) are checked here: == on FLOAT, operators per output type, enum states.
import { normalizeParam } from './params.ts';
import { resolveKeyField, resolveRef, type RefTable } from './references.ts';
import { INTERVALS, isInterval, type OutputType, type ParamSpec } from './registry/types.ts';
import type { Scalar } from './ranges.ts';
import { isMapping, type Reporter } from './reporter.ts';
import { setLoc } from './loc.ts';
import type { ArithOp, CmpOp, Condition, NumParam, Operand, ResolvedRef, WindowOp } from './types.ts';
import type { Path } from './yaml-positions.ts';

export const CMP_OPERATORS: readonly CmpOp[] = ['>', '<', '>=', '<=', '==', '!=', 'between', 'near_pct', 'near_abs', 'in', 'cross_above', 'cross_below'];
export const ARITH_OPERATORS: readonly ArithOp[] = ['+', '-', '*', '/', '%'];

/** Operators allowed per output type (structures.md, "Operator compatibility by output type"). */
const ALLOWED: Record<OutputType, ReadonlySet<CmpOp>> = {
  FLOAT: new Set(['>', '<', '>=', '<=', 'between', 'near_pct', 'near_abs', 'cross_above', 'cross_below']),
  INT: new Set(['==', '!=', 'in', '>', '<', '>=', '<=', 'between']),
  BOOL: new Set(['==', '!=']),
  ENUM: new Set(['==', '!=', 'in']),
};

export const WINDOW_BARS: ParamSpec = { kind: 'int', description: 'window length in bars (max 500)', min: 1, max: 500 };
const MIN_TRUE: ParamSpec = { kind: 'int', description: 'bars that must be true', min: 1, max: 500 };
const MAX_DURATION_MIN = 24 * 60;

const WINDOW_KEYS: Record<string, { op: WindowOp; duration: boolean }> = {
  holds_for: { op: 'holds_for', duration: false },
  occurred_within: { op: 'occurred_within', duration: false },
  count_true: { op: 'count_true', duration: false },
  holds_for_duration: { op: 'holds_for', duration: true },
  occurred_within_duration: { op: 'occurred_within', duration: true },
  count_true_duration: { op: 'count_true', duration: true },
};
const CONDITION_KEYS = ['all', 'any', 'not', 'setup', ...Object.keys(WINDOW_KEYS)];

export interface CondEnv {
  table: RefTable;
  setupNames: ReadonlySet<string>;
  rep: Reporter;
  /** Minutes per exec bar: a window duration may span at most 500 of them. */
  execMinutes?: number;
  /** Called for every {setup: name} (cycle detection). */
  onSetupRef?: (name: string, path: Path) => void;
}

/** Minutes in a window duration like "30m", "4h", "1d", or undefined when malformed. */
export function durationMinutes(d: string): number | undefined {
  const m = /^(\d+)(m|h|d)$/.exec(d);
  if (!m) return undefined;
  return Number(m[1]) * (m[2] === 'm' ? 1 : m[2] === 'h' ? 60 : 1440);
}

const show = (v: unknown) => JSON.stringify(v);

/**
 * One condition. `listMode` says what a list of conditions means here: 'all' keeps it as an explicit
 * `all` (action and setup bodies), 'unwrap' turns a single-item list into the item (window `expr`, `not`).
 */
export function parseCondition(raw: unknown, path: Path, env: CondEnv, listMode: 'all' | 'unwrap' = 'unwrap'): Condition | undefined {
  const node = parseConditionInner(raw, path, env, listMode);
  return node ? setLoc(node, env.rep.loc(path)) : undefined;
}

function parseConditionInner(raw: unknown, path: Path, env: CondEnv, listMode: 'all' | 'unwrap'): Condition | undefined {
  const { rep } = env;
  if (Array.isArray(raw)) {
    if (raw.some((x) => !Array.isArray(x) && !isMapping(x))) return parseCmpList(raw, path, env);
    if (raw.length === 0) {
      rep.at('DSL_BAD_CONDITION', 'empty condition list: give at least one condition', path);
      return undefined;
    }
    const items = parseItems(raw, path, env);
    if (!items) return undefined;
    return listMode === 'unwrap' && items.length === 1 ? items[0] : { kind: 'all', items };
  }
  if (!isMapping(raw)) {
    rep.at('DSL_BAD_CONDITION', `expected a condition ([lhs, op, rhs] or a mapping such as all/any/not), got ${show(raw)}`, path);
    return undefined;
  }
  if ('lhs' in raw || 'op' in raw || 'rhs' in raw) return parseVerbose(raw, path, env);
  const keys = Object.keys(raw);
  const unknown = keys.filter((k) => !CONDITION_KEYS.includes(k));
  if (unknown.length) {
    rep.atKey('DSL_BAD_CONDITION', `unknown condition key '${unknown[0]}' (expected one of ${CONDITION_KEYS.join(', ')}, or lhs/op/rhs)`, [...path, unknown[0]]);
    return undefined;
  }
  if (keys.length !== 1) {
    rep.at('DSL_BAD_CONDITION', keys.length ? `a condition mapping takes one key, got ${keys.join(', ')}; nest them under all/any` : 'empty condition mapping', path);
    return undefined;
  }
  const key = keys[0];
  const value = raw[key];
  const sub = [...path, key];
  if (key === 'all' || key === 'any') {
    if (!Array.isArray(value) || value.length === 0) {
      rep.at('DSL_BAD_CONDITION', `${key} needs a non-empty list of conditions`, sub);
      return undefined;
    }
    if (value.some((x) => !Array.isArray(x) && !isMapping(x))) {
      // `all: [a, >, b]` written without the inner list: treat as one condition, as TRADE does.
      const one = parseCmpList(value, sub, env);
      return one ? { kind: key, items: [one] } : undefined;
    }
    const items = parseItems(value, sub, env);
    return items ? { kind: key, items } : undefined;
  }
  if (key === 'not') {
    const item = parseCondition(value, sub, env, 'unwrap');
    return item ? { kind: 'not', item } : undefined;
  }
  if (key === 'setup') {
    if (typeof value !== 'string') {
      rep.at('DSL_TYPE_MISMATCH', `setup: expected a setup name, got ${show(value)}`, sub);
      return undefined;
    }
    if (!env.setupNames.has(value)) {
      rep.at('DSL_UNDEFINED_REFERENCE', `setup '${value}' is not defined under setups:`, sub);
      return undefined;
    }
    env.onSetupRef?.(value, sub);
    return { kind: 'setup', name: value };
  }
  return parseWindow(key, value, sub, env);
}

function parseItems(list: unknown[], path: Path, env: CondEnv): Condition[] | undefined {
  const items: Condition[] = [];
  let ok = true;
  list.forEach((x, i) => {
    const c = parseCondition(x, [...path, i], env, 'unwrap');
    if (c) items.push(c);
    else ok = false;
  });
  return ok ? items : undefined;
}

function parseWindow(key: string, value: unknown, path: Path, env: CondEnv): Condition | undefined {
  const { rep } = env;
  const { op, duration } = WINDOW_KEYS[key];
  if (!isMapping(value)) {
    rep.at('DSL_BAD_CONDITION', `${key} needs a mapping with ${duration ? 'duration' : 'bars'} and expr`, path);
    return undefined;
  }
  const allowed = ['expr', ...(duration ? ['duration'] : ['bars', 'anchor_tf']), ...(op === 'count_true' ? ['min_true'] : [])];
  const extra = Object.keys(value).filter((k) => !allowed.includes(k));
  if (extra.length) {
    rep.atKey('DSL_UNKNOWN_KEY', `unknown key '${extra[0]}' in ${key} (allowed: ${allowed.join(', ')})`, [...path, extra[0]]);
    return undefined;
  }
  let ok = true;
  const need = (k: string) => {
    if (value[k] === undefined) {
      rep.at('DSL_MISSING_FIELD', `${key}: missing required field '${k}'`, path);
      ok = false;
    }
  };
  allowed.filter((k) => k !== 'anchor_tf').forEach(need);
  if (!ok) return undefined;
  const node: Extract<Condition, { kind: 'window' }> = { kind: 'window', op, expr: undefined as unknown as Condition };
  if (duration) {
    const d = value.duration;
    const minutes = typeof d === 'string' ? durationMinutes(d) : undefined;
    if (minutes === undefined || minutes <= 0) {
      rep.at('DSL_INVALID_VALUE', `${key}.duration: expected a duration like "5m", "1h" or "1d", got ${show(d)}`, [...path, 'duration']);
      ok = false;
    } else if (minutes > MAX_DURATION_MIN) {
      rep.at('DSL_OUT_OF_BOUNDS', `${key}.duration: ${show(d)} is longer than the 24h maximum`, [...path, 'duration']);
      ok = false;
    } else if (env.execMinutes && Math.ceil(minutes / env.execMinutes) > WINDOW_BARS.max!) {
      rep.at('DSL_OUT_OF_BOUNDS', `${key}.duration: ${show(d)} spans ${Math.ceil(minutes / env.execMinutes)} exec bars; the maximum is ${WINDOW_BARS.max}`, [...path, 'duration']);
      ok = false;
    } else node.duration = d as string;
  } else {
    const bars = normalizeParam('bars', WINDOW_BARS, value.bars, true);
    bars.issues.forEach((i) => (i.atKey ? rep.atKey : rep.at).call(rep, i.code, `${key}.${i.message}`, [...path, 'bars', ...(i.subPath ?? [])]));
    if (bars.issues.length) ok = false;
    else node.bars = bars.value as NumParam;
    if (value.anchor_tf !== undefined) {
      if (!isInterval(value.anchor_tf)) {
        rep.at('DSL_INVALID_TIMEFRAME', `${key}.anchor_tf: ${show(value.anchor_tf)} is not a valid interval (${INTERVALS.join(', ')})`, [...path, 'anchor_tf']);
        ok = false;
      } else node.anchor_tf = value.anchor_tf;
    }
  }
  if (op === 'count_true') {
    const mt = normalizeParam('min_true', MIN_TRUE, value.min_true, true);
    mt.issues.forEach((i) => (i.atKey ? rep.atKey : rep.at).call(rep, i.code, `${key}.${i.message}`, [...path, 'min_true', ...(i.subPath ?? [])]));
    if (mt.issues.length) ok = false;
    else {
      node.min_true = mt.value as NumParam;
      const maxTrue = maxOf(node.min_true);
      const minBars = node.bars === undefined ? undefined : minOf(node.bars);
      if (minBars !== undefined && maxTrue > minBars) {
        rep.at('DSL_OUT_OF_BOUNDS', `${key}: min_true (up to ${maxTrue}) cannot exceed bars (from ${minBars})`, [...path, 'min_true']);
        ok = false;
      }
    }
  }
  const expr = parseCondition(value.expr, [...path, 'expr'], env, 'unwrap');
  if (!expr || !ok) return undefined;
  node.expr = expr;
  return node;
}

function minOf(v: NumParam): number {
  if (typeof v === 'number') return v;
  if ('choices' in v) return Math.min(...(v.choices as number[]));
  return v.min;
}

function maxOf(v: NumParam): number {
  if (typeof v === 'number') return v;
  if ('choices' in v) return Math.max(...(v.choices as number[]));
  return v.max;
}

// ------------------------------------------------------------------ comparisons

function parseCmpList(raw: unknown[], path: Path, env: CondEnv): Condition | undefined {
  if (raw.length !== 3 && raw.length !== 4) {
    env.rep.at('DSL_BAD_CONDITION', `a condition list is [lhs, op, rhs] (or [lhs, near_pct|near_abs, rhs, tolerance]); got ${raw.length} elements`, path);
    return undefined;
  }
  return parseCmp(
    { lhs: raw[0], op: raw[1], rhs: raw[2], tolerance: raw[3], hasTolerance: raw.length === 4 },
    { lhs: [...path, 0], op: [...path, 1], rhs: [...path, 2], tolerance: [...path, 3], self: path },
    env,
  );
}

function parseVerbose(raw: Record<string, unknown>, path: Path, env: CondEnv): Condition | undefined {
  const extra = Object.keys(raw).filter((k) => !['lhs', 'op', 'rhs', 'tolerance'].includes(k));
  if (extra.length) {
    env.rep.atKey('DSL_UNKNOWN_KEY', `unknown key '${extra[0]}' in a condition (allowed: lhs, op, rhs, tolerance)`, [...path, extra[0]]);
    return undefined;
  }
  for (const k of ['lhs', 'op', 'rhs']) {
    if (raw[k] === undefined) {
      env.rep.at('DSL_MISSING_FIELD', `condition: missing required field '${k}'`, path);
      return undefined;
    }
  }
  return parseCmp(
    { lhs: raw.lhs, op: raw.op, rhs: raw.rhs, tolerance: raw.tolerance, hasTolerance: raw.tolerance !== undefined },
    { lhs: [...path, 'lhs'], op: [...path, 'op'], rhs: [...path, 'rhs'], tolerance: [...path, 'tolerance'], self: path },
    env,
  );
}

interface CmpParts {
  lhs: unknown;
  op: unknown;
  rhs: unknown;
  tolerance: unknown;
  hasTolerance: boolean;
}

interface CmpPaths {
  lhs: Path;
  op: Path;
  rhs: Path;
  tolerance: Path;
  self: Path;
}

/** The type a side contributes to type checks: a ref's output type, FLOAT for arithmetic, none for constants. */
function sideType(o: Operand): OutputType | undefined {
  if (o.kind === 'ref') return o.ref.type;
  if (o.kind === 'arith') return 'FLOAT';
  return undefined;
}

function describeRef(o: Operand): string {
  if (o.kind !== 'ref') return 'the expression';
  const r = o.ref;
  return r.source === 'builtin' ? r.name : r.field === 'value' ? r.key : `${r.key}.${r.field}`;
}

function parseCmp(parts: CmpParts, paths: CmpPaths, env: CondEnv): Condition | undefined {
  const { rep } = env;
  if (typeof parts.op !== 'string') {
    rep.at('DSL_UNKNOWN_OPERATOR', `expected an operator (${CMP_OPERATORS.join(' ')}), got ${show(parts.op)}`, paths.op);
    return undefined;
  }
  const op = (parts.op === '=' ? '==' : parts.op) as CmpOp;
  if (!CMP_OPERATORS.includes(op)) {
    rep.at('DSL_UNKNOWN_OPERATOR', `unknown operator '${parts.op}' (use one of ${CMP_OPERATORS.join(' ')}; = means ==)`, paths.op);
    return undefined;
  }
  const near = op === 'near_pct' || op === 'near_abs';
  if (parts.hasTolerance && !near) {
    rep.at('DSL_BAD_CONDITION', `only near_pct and near_abs take a tolerance (4th element); '${op}' does not`, paths.tolerance);
    return undefined;
  }
  if (near && !parts.hasTolerance) {
    rep.at('DSL_BAD_CONDITION', `${op} needs a tolerance: [lhs, ${op}, rhs, tolerance]${op === 'near_pct' ? ' (a percentage: 3 = 3%)' : ''}`, paths.self);
    return undefined;
  }
  if (near && (typeof parts.tolerance !== 'number' || !(parts.tolerance >= 0))) {
    rep.at('DSL_INVALID_VALUE', `${op} tolerance must be a number >= 0, got ${show(parts.tolerance)}`, paths.tolerance);
    return undefined;
  }
  const lhs = parseOperand(parts.lhs, paths.lhs, env);
  if (!lhs) return undefined;
  const lhsType = sideType(lhs);
  const rhs = parseRhs(op, parts.rhs, paths.rhs, lhs, env);
  if (!rhs) return undefined;
  const rhsType = sideType(rhs);
  if (!lhsType && !rhsType) {
    rep.at('DSL_BAD_CONDITION', 'the condition compares two constants; one side must be a feature, structure field or price', paths.self);
    return undefined;
  }
  const subject = lhsType ?? rhsType!;
  const subjectSide = lhsType ? lhs : rhs;
  if ((op === '==' || op === '!=') && (lhsType === 'FLOAT' || rhsType === 'FLOAT')) {
    const floatSide = lhsType === 'FLOAT' ? lhs : rhs;
    rep.at('DSL_FLOAT_EQUALITY', `'${op}' on ${describeRef(floatSide)} (a FLOAT) almost never holds; use near_pct or near_abs`, paths.op);
    return undefined;
  }
  if (!ALLOWED[subject].has(op)) {
    rep.at('DSL_OPERATOR_TYPE', `'${op}' does not apply to ${describeRef(subjectSide)} (${subject}); allowed: ${[...ALLOWED[subject]].join(' ')}`, paths.op);
    return undefined;
  }
  if (lhsType && rhsType && !compatible(lhsType, rhsType)) {
    rep.at('DSL_TYPE_MISMATCH', `cannot compare ${describeRef(lhs)} (${lhsType}) with ${describeRef(rhs)} (${rhsType})`, paths.self);
    return undefined;
  }
  const node: Condition = { kind: 'cmp', op, lhs, rhs };
  if (near) node.tolerance = parts.tolerance as number;
  return node;
}

function compatible(a: OutputType, b: OutputType): boolean {
  const numeric = (t: OutputType) => t === 'FLOAT' || t === 'INT';
  return (numeric(a) && numeric(b)) || a === b;
}

/** The right-hand side, read in the light of the operator and the left side's type. */
function parseRhs(op: CmpOp, raw: unknown, path: Path, lhs: Operand, env: CondEnv): Operand | undefined {
  const { rep } = env;
  const lhsRef = lhs.kind === 'ref' ? lhs.ref : undefined;
  if (op === 'between') {
    let low: unknown, high: unknown;
    if (Array.isArray(raw) && raw.length === 2) [low, high] = raw;
    else if (isMapping(raw) && Object.keys(raw).every((k) => k === 'low' || k === 'high')) ({ low, high } = raw);
    if (typeof low !== 'number' || typeof high !== 'number') {
      rep.at('DSL_BAD_CONDITION', `between takes a pair of numbers [low, high], got ${show(raw)}`, path);
      return undefined;
    }
    if (low > high) {
      rep.at('DSL_INVALID_VALUE', `between: low ${low} is greater than high ${high}`, path);
      return undefined;
    }
    return withLoc({ kind: 'range', low, high }, path, env);
  }
  if (op === 'in') {
    if (!Array.isArray(raw) || raw.length === 0) {
      rep.at('DSL_TYPE_MISMATCH', `in takes a non-empty list of values, got ${show(raw)}`, path);
      return undefined;
    }
    const values: Scalar[] = [];
    for (let i = 0; i < raw.length; i++) {
      const v = checkLiteral(raw[i], [...path, i], lhsRef, env);
      if (v === undefined) return undefined;
      values.push(v);
    }
    return withLoc({ kind: 'list', values }, path, env);
  }
  if (lhsRef && (typeof raw === 'number' || typeof raw === 'boolean')) {
    const v = checkLiteral(raw, path, lhsRef, env);
    return v === undefined ? undefined : withLoc({ kind: 'const', value: v }, path, env);
  }
  if (typeof raw === 'string' && lhsRef?.type === 'ENUM') {
    const state = matchState(raw, lhsRef);
    if (state !== undefined) return withLoc({ kind: 'const', value: state }, path, env);
    const asRef = resolveRef(raw, env.table);
    if (asRef.ref) return withLoc({ kind: 'ref', ref: asRef.ref, offset: 0 }, path, env);
    rep.at('DSL_UNKNOWN_STATE', `'${raw}' is not a value of ${describeRef(lhs)} (values: ${lhsRef.values?.map((v) => v || '""').join(', ')})`, path);
    return undefined;
  }
  return parseOperand(raw, path, env);
}

/** ENUM value written in the play, matched case-insensitively (TRADE also wrote them in CAPS). */
function matchState(raw: string, ref: ResolvedRef): string | undefined {
  if (ref.type !== 'ENUM') return undefined;
  if (!('values' in ref) || !ref.values) return raw;
  return ref.values.find((v) => v.toLowerCase() === raw.toLowerCase());
}

/** A literal compared with a discrete field: enum states, 0/1/true/false for BOOL, numbers for INT. */
function checkLiteral(raw: unknown, path: Path, lhsRef: ResolvedRef | undefined, env: CondEnv): Scalar | undefined {
  const { rep } = env;
  const type = lhsRef?.type;
  const name = lhsRef ? describeRef({ kind: 'ref', ref: lhsRef, offset: 0 }) : 'the left side';
  if (type === 'ENUM') {
    if (typeof raw !== 'string') {
      rep.at('DSL_TYPE_MISMATCH', `${name} is an ENUM: compare it with one of its values, not ${show(raw)}`, path);
      return undefined;
    }
    const state = matchState(raw, lhsRef!);
    if (state === undefined) {
      const values = 'values' in lhsRef! ? lhsRef.values : undefined;
      rep.at('DSL_UNKNOWN_STATE', `'${raw}' is not a value of ${name} (values: ${values?.map((v) => v || '""').join(', ')})`, path);
    }
    return state;
  }
  if (type === 'BOOL') {
    if (raw === true || raw === false || raw === 0 || raw === 1) return raw;
    rep.at('DSL_TYPE_MISMATCH', `${name} is a BOOL: compare it with true/false or 1/0, not ${show(raw)}`, path);
    return undefined;
  }
  if (typeof raw !== 'number') {
    rep.at('DSL_TYPE_MISMATCH', `${name} is ${type ?? 'numeric'}: expected a number, got ${show(raw)}`, path);
    return undefined;
  }
  return raw;
}

function withLoc<T extends Operand>(o: T, path: Path, env: CondEnv): T {
  return setLoc(o, env.rep.loc(path));
}

// ------------------------------------------------------------------ operands

export function parseOperand(raw: unknown, path: Path, env: CondEnv): Operand | undefined {
  const { rep } = env;
  if (typeof raw === 'number' || typeof raw === 'boolean') return withLoc({ kind: 'const', value: raw }, path, env);
  if (typeof raw === 'string') {
    const r = resolveRef(raw, env.table);
    if (!r.ref) {
      rep.at(r.error.code, r.error.message, path);
      return undefined;
    }
    return withLoc({ kind: 'ref', ref: r.ref, offset: 0 }, path, env);
  }
  if (Array.isArray(raw)) {
    if (raw.length === 3 && typeof raw[1] === 'string' && (ARITH_OPERATORS as readonly string[]).includes(raw[1])) {
      return arith(raw[1] as ArithOp, raw[0], raw[2], [...path, 0], [...path, 2], path, env);
    }
    if (raw.length > 0 && raw.every((x) => typeof x === 'number')) {
      rep.at('DSL_RANGE_NOT_ALLOWED', `a condition constant cannot be ranged (${show(raw)}); give one value, or range a feature or window parameter`, path);
      return undefined;
    }
    rep.at('DSL_BAD_CONDITION', `expected a value, a reference or arithmetic [a, op, b] with op in ${ARITH_OPERATORS.join(' ')}, got ${show(raw)}`, path);
    return undefined;
  }
  if (isMapping(raw)) {
    const keys = Object.keys(raw);
    if ('min' in raw && 'max' in raw && !('feature_id' in raw)) {
      rep.at('DSL_RANGE_NOT_ALLOWED', 'a condition constant cannot be ranged; give one value, or range a feature or window parameter', path);
      return undefined;
    }
    if (keys.length === 1 && (ARITH_OPERATORS as readonly string[]).includes(keys[0])) {
      const args = raw[keys[0]];
      if (!Array.isArray(args) || args.length !== 2) {
        rep.at('DSL_BAD_CONDITION', `arithmetic {'${keys[0]}': [a, b]} takes exactly two operands`, [...path, keys[0]]);
        return undefined;
      }
      return arith(keys[0] as ArithOp, args[0], args[1], [...path, keys[0], 0], [...path, keys[0], 1], path, env);
    }
    return parseRefObject(raw, path, env);
  }
  rep.at('DSL_BAD_CONDITION', `expected a value or a reference, got ${show(raw)}`, path);
  return undefined;
}

function arith(op: ArithOp, a: unknown, b: unknown, pa: Path, pb: Path, path: Path, env: CondEnv): Operand | undefined {
  const left = parseOperand(a, pa, env);
  const right = parseOperand(b, pb, env);
  if (!left || !right) return undefined;
  for (const [side, p] of [[left, pa], [right, pb]] as const) {
    const t = sideType(side);
    if ((t && t !== 'FLOAT' && t !== 'INT') || (side.kind === 'const' && typeof side.value !== 'number')) {
      env.rep.at('DSL_OPERATOR_TYPE', `arithmetic '${op}' needs numbers; ${describeRef(side)} is ${t ?? typeof (side as { value: unknown }).value}`, p);
      return undefined;
    }
  }
  return withLoc({ kind: 'arith', op, left, right }, path, env);
}

/** `{feature_id: rsi_14, field?: ..., offset?: 1}` */
function parseRefObject(raw: Record<string, unknown>, path: Path, env: CondEnv): Operand | undefined {
  const { rep } = env;
  const extra = Object.keys(raw).filter((k) => !['feature_id', 'field', 'offset'].includes(k));
  if (extra.length) {
    rep.atKey('DSL_UNKNOWN_KEY', `unknown key '${extra[0]}' in a reference (allowed: feature_id, field, offset)`, [...path, extra[0]]);
    return undefined;
  }
  if (typeof raw.feature_id !== 'string') {
    rep.at(raw.feature_id === undefined ? 'DSL_MISSING_FIELD' : 'DSL_TYPE_MISMATCH', `a reference mapping needs feature_id: <key>`, path);
    return undefined;
  }
  if (raw.field !== undefined && typeof raw.field !== 'string') {
    rep.at('DSL_TYPE_MISMATCH', `field: expected a field name, got ${show(raw.field)}`, [...path, 'field']);
    return undefined;
  }
  const offset = raw.offset ?? 0;
  if (typeof offset !== 'number' || !Number.isInteger(offset)) {
    rep.at('DSL_TYPE_MISMATCH', `offset: expected a whole number of bars back, got ${show(raw.offset)}`, [...path, 'offset']);
    return undefined;
  }
  if (offset < 0 || offset > 500) {
    rep.at('DSL_OUT_OF_BOUNDS', `offset: ${offset} is out of bounds (0..500 bars back; a negative offset would look ahead)`, [...path, 'offset']);
    return undefined;
  }
  const r = raw.field === undefined && raw.feature_id.includes('.') ? resolveRef(raw.feature_id, env.table) : resolveKeyField(raw.feature_id, raw.field as string | undefined, env.table, raw.feature_id);
  if (!r.ref) {
    rep.at(r.error.code, r.error.message, path);
    return undefined;
  }
  if (r.ref.source === 'builtin' && ((r.ref.name === 'mark_price' && offset > 0) || (r.ref.name === 'last_price' && offset > 1))) {
    rep.at('DSL_INVALID_VALUE', `${r.ref.name} supports offset ${r.ref.name === 'mark_price' ? '0 only' : '0 or 1'}`, [...path, 'offset']);
    return undefined;
  }
  return withLoc({ kind: 'ref', ref: r.ref, offset }, path, env);
}
