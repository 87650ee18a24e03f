// Reading a detector's params: defaults, types and bounds, with errors that name the param.
// The DSL validates plays before they get here; these checks guard direct callers and keep the detectors honest.
import { PlayforgeError } from '../common/errors.ts';
import type { StructureContext, StructureOutput } from './types.ts';

function bad(type: string, name: string, message: string): PlayforgeError {
  return new PlayforgeError('STRUCTURE_BAD_PARAM', `${type}: param '${name}' ${message}`, { path: `params.${name}` });
}

export function intParam(
  type: string,
  params: Record<string, unknown>,
  name: string,
  fallback: number | undefined,
  min = -Infinity,
  max = Infinity,
): number {
  const v = params[name] ?? fallback;
  if (v === undefined) throw bad(type, name, 'is required');
  if (typeof v !== 'number' || !Number.isInteger(v)) throw bad(type, name, `must be an integer, got ${JSON.stringify(v)}`);
  if (v < min || v > max) throw bad(type, name, `must be in [${min}, ${max}], got ${v}`);
  return v;
}

export function numParam(
  type: string,
  params: Record<string, unknown>,
  name: string,
  fallback: number | undefined,
  min = -Infinity,
  max = Infinity,
): number {
  const v = params[name] ?? fallback;
  if (v === undefined) throw bad(type, name, 'is required');
  if (typeof v !== 'number' || !Number.isFinite(v)) throw bad(type, name, `must be a number, got ${JSON.stringify(v)}`);
  if (v < min || v > max) throw bad(type, name, `must be in [${min}, ${max}], got ${v}`);
  return v;
}

/** An optional number: undefined (or null) when the play leaves it out. */
export function optNumParam(type: string, params: Record<string, unknown>, name: string, min = -Infinity): number | undefined {
  const v = params[name];
  if (v === undefined || v === null) return undefined;
  return numParam(type, params, name, undefined, min);
}

export function boolParam(type: string, params: Record<string, unknown>, name: string, fallback: boolean): boolean {
  const v = params[name] ?? fallback;
  if (typeof v !== 'boolean') throw bad(type, name, `must be true or false, got ${JSON.stringify(v)}`);
  return v;
}

export function enumParam<T extends string>(
  type: string,
  params: Record<string, unknown>,
  name: string,
  allowed: readonly T[],
  fallback: T | undefined,
): T {
  const v = params[name] ?? fallback;
  if (v === undefined) throw bad(type, name, `is required (one of ${allowed.join(', ')})`);
  if (typeof v !== 'string' || !(allowed as readonly string[]).includes(v)) {
    throw bad(type, name, `must be one of ${allowed.join(', ')}, got ${JSON.stringify(v)}`);
  }
  return v as T;
}

export function strParam(type: string, params: Record<string, unknown>, name: string): string | undefined {
  const v = params[name];
  if (v === undefined || v === null) return undefined;
  if (typeof v !== 'string' || v === '') throw bad(type, name, `must be a non-empty string, got ${JSON.stringify(v)}`);
  return v;
}

export function numListParam(type: string, params: Record<string, unknown>, name: string): number[] {
  const v = params[name];
  if (!Array.isArray(v) || v.length === 0) throw bad(type, name, 'must be a non-empty list of numbers');
  for (const x of v) {
    if (typeof x !== 'number' || !Number.isFinite(x)) throw bad(type, name, `must hold numbers only, got ${JSON.stringify(x)}`);
  }
  return v as number[];
}

/** A dependency's outputs, or a clear error naming what the play must declare under `uses:`. */
export function requireDep(type: string, ctx: StructureContext, depType: string): StructureOutput {
  const dep = ctx.deps[depType];
  if (!dep) {
    throw new PlayforgeError('STRUCTURE_MISSING_DEP', `${type} needs a '${depType}' structure in 'uses:' (declared above it, same timeframe)`, {
      path: 'uses',
    });
  }
  return dep;
}

/** A dependency output column, failing loudly if the dependency does not produce it. */
export function depField(type: string, dep: StructureOutput, depType: string, field: string): Float64Array {
  const col = dep[field];
  if (!col) throw new PlayforgeError('STRUCTURE_MISSING_DEP', `${type}: dependency '${depType}' has no output '${field}'`, { path: 'uses' });
  return col;
}
