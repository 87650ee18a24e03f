// Helpers shared by the zod schemas. Each schema is built in one of two modes:
// 'validate' (precise error codes through custom refinements) and 'export' (a clean JSON Schema for LLMs).
import { z } from 'zod';
import { normalizeParam } from '../params.ts';
import { INTERVALS, isInterval, type ParamSpec } from '../registry/types.ts';

export type SchemaMode = 'validate' | 'export';

/** A custom issue carrying one of our DSL_* codes (read back in issues.ts). */
export function issue(ctx: z.RefinementCtx, code: string, message: string, path: (string | number)[] = [], atKey = false): void {
  ctx.addIssue({ code: 'custom', message, params: { code, atKey }, path });
}

/** A concrete interval: 1m 3m 5m 15m 30m 1h 2h 4h 6h 12h D W M. */
export function interval(mode: SchemaMode, what: string, required: boolean): z.ZodType {
  if (mode === 'export') {
    const e = z.enum(INTERVALS).describe(what);
    return required ? e : e.optional();
  }
  // zod reports an absent required key itself (mapped to DSL_MISSING_FIELD); optional keys skip the refinement.
  const s = z.unknown().superRefine((v, ctx) => {
    if (v === undefined) return;
    if (!isInterval(v)) {
      issue(ctx, 'DSL_INVALID_TIMEFRAME', `${what}: ${JSON.stringify(v)} is not a valid interval (use one of ${INTERVALS.join(', ')}; there is no 8h)`);
    }
  });
  return required ? s : s.optional();
}

// Shared (one $defs entry each in the exported JSON Schema): a value, a list of choices, or a range.
const INT_PARAM = z
  .union([
    z.number(),
    z.array(z.number()).min(1).describe('choices: one is picked per genome'),
    z.strictObject({ min: z.number(), max: z.number(), step: z.number().optional() }).describe('integer range, step 1 by default'),
  ])
  .meta({ id: 'IntParam', description: 'an integer, a list of integer choices, or {min, max, step}' });
const FLOAT_PARAM = z
  .union([
    z.number(),
    z.array(z.number()).min(1).describe('choices: one is picked per genome'),
    z.strictObject({ min: z.number(), max: z.number(), step: z.number().optional() }).describe('range; without step it is continuous'),
  ])
  .meta({ id: 'FloatParam', description: 'a number, a list of choices, or {min, max, step}' });

/** A number that may be ranged (choices or {min,max,step}) with the bounds of `spec`. */
export function rangeable(mode: SchemaMode, name: string, spec: ParamSpec, required: boolean): z.ZodType {
  if (mode === 'export') {
    const bounds = [
      spec.min === undefined ? '' : `${spec.minExclusive ? '>' : '>='} ${spec.min}`,
      spec.max === undefined ? '' : `<= ${spec.max}`,
    ].filter(Boolean).join(', ');
    const shared = spec.kind === 'int' ? INT_PARAM : FLOAT_PARAM;
    const d = shared.describe(bounds ? `${spec.description} (${bounds})` : spec.description);
    return required ? d : d.optional();
  }
  const s = z.unknown().superRefine((v, ctx) => {
    if (v === undefined) return;
    for (const i of normalizeParam(name, spec, v, true).issues) issue(ctx, i.code, i.message, i.subPath ?? [], i.atKey);
  });
  return required ? s : s.optional();
}

/** An enum that reports DSL_INVALID_VALUE with the allowed values. */
export function choice<T extends string>(
  mode: SchemaMode,
  name: string,
  values: readonly T[],
  opts: { required?: boolean; description?: string } = {},
): z.ZodType {
  if (mode === 'export') {
    const e = z.enum(values as [T, ...T[]]);
    const d = opts.description ? e.describe(opts.description) : e;
    return opts.required ? d : d.optional();
  }
  const s = z.unknown().superRefine((v, ctx) => {
    if (v === undefined) return;
    if (typeof v !== 'string') issue(ctx, 'DSL_TYPE_MISMATCH', `${name}: expected one of ${values.join(', ')}, got ${JSON.stringify(v)}`);
    else if (!values.includes(v as T)) issue(ctx, 'DSL_INVALID_VALUE', `${name}: '${v}' is not one of ${values.join(', ')}`);
  });
  return opts.required ? s : s.optional();
}
