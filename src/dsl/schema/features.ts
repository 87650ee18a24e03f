// zod schemas of `features:` and `structures:`. Validation leaves parameters to the registries
// (precise codes: unknown indicator/param, bounds, ranges); export spells every indicator's params out.
import { z } from 'zod';
import { INDICATORS } from '../registry/indicators.ts';
import { STRUCTURES } from '../registry/structures.ts';
import { INTERVALS, type ParamSpec } from '../registry/types.ts';
import { choice, issue, rangeable, type SchemaMode } from './common.ts';

export const SOURCES = ['close', 'open', 'high', 'low', 'volume', 'hl2', 'hlc3', 'ohlc4', 'open_interest', 'funding_rate'] as const;
export const TF_REFS = ['low_tf', 'med_tf', 'high_tf', 'exec'] as const;

function mapping(name: string): z.ZodType {
  return z
    .unknown()
    .superRefine((v, ctx) => {
      if (v === undefined || v === null) return;
      if (typeof v !== 'object' || Array.isArray(v)) issue(ctx, 'DSL_TYPE_MISMATCH', `${name}: expected a mapping of parameter: value`);
    })
    .optional();
}

/** One parameter for JSON Schema export. */
export function paramExportSchema(name: string, spec: ParamSpec): z.ZodType {
  switch (spec.kind) {
    case 'int':
    case 'float':
      return rangeable('export', name, spec, !!spec.required);
    case 'bool': {
      const s = z.union([z.boolean(), z.array(z.boolean()).min(1)]).describe(spec.description);
      return spec.required ? s : s.optional();
    }
    case 'enum': {
      const e = z.enum(spec.values as [string, ...string[]]);
      const s = z.union([e, z.array(e).min(1)]).describe(spec.description);
      return spec.required ? s : s.optional();
    }
    case 'float_list': {
      const s = z.array(z.number()).min(1).describe(spec.description);
      return spec.required ? s : s.optional();
    }
    default: {
      const s = z.string().min(1).describe(spec.description);
      return spec.required ? s : s.optional();
    }
  }
}

function paramsObject(params: Readonly<Record<string, ParamSpec>>): z.ZodType {
  return z.strictObject(Object.fromEntries(Object.entries(params).map(([k, s]) => [k, paramExportSchema(k, s)])));
}

export function featuresSchema(mode: SchemaMode): z.ZodType {
  const tf =
    mode === 'export'
      ? z.union([z.enum(INTERVALS), z.enum(TF_REFS)]).meta({ id: 'FeatureTimeframe', description: 'concrete interval or role; default: the exec timeframe' }).optional()
      : z.unknown().optional();
  const source =
    mode === 'export'
      ? z.enum(SOURCES).meta({ id: 'Source', description: 'input series (default close)' }).optional()
      : choice(mode, 'source', SOURCES);
  if (mode === 'validate') {
    return z.record(
      z.string(),
      z.strictObject({
        indicator: z.unknown().superRefine((v, ctx) => {
          if (v !== undefined && typeof v !== 'string') issue(ctx, 'DSL_TYPE_MISMATCH', `indicator: expected a name, got ${JSON.stringify(v)}`);
        }),
        params: mapping('params'),
        tf,
        source,
      }),
    );
  }
  const variants = Object.values(INDICATORS).map((spec) =>
    z
      .strictObject({
        indicator: z.literal(spec.name),
        params: paramsObject(spec.params).optional(),
        tf,
        source,
      })
      .describe(`${spec.description}; outputs: ${Object.keys(spec.outputs).join(', ')}`),
  );
  const feature = z.discriminatedUnion('indicator', variants as unknown as [z.ZodObject, ...z.ZodObject[]]).meta({ id: 'Feature' });
  return z.record(z.string(), feature).describe('indicators by feature key (a key need not encode its params)');
}

/** Export-only: validation of structures is done by hand for precise codes and positions. */
export function structuresExportSchema(): z.ZodType {
  const decl = z.discriminatedUnion(
    'type',
    Object.values(STRUCTURES).map((spec) =>
      z
        .strictObject({
          type: z.literal(spec.type),
          key: z.string().min(1),
          uses: z.union([z.string(), z.array(z.string())]).optional().describe(
            spec.uses.length ? `keys of ${spec.uses.map((u) => `${u.type}${u.required ? '' : ' (optional)'}`).join(', ')} declared above, same timeframe` : 'no dependencies',
          ),
          params: paramsObject(spec.params).optional(),
        })
        .describe(`${spec.description}; outputs: ${Object.keys(spec.outputs).join(', ')}`),
    ) as unknown as [z.ZodObject, ...z.ZodObject[]],
  );
  const list = z.array(decl.meta({ id: 'Structure' }));
  const byTf = z.union([list, z.partialRecord(z.enum(INTERVALS), list)]);
  return z
    .strictObject({ exec: list.optional(), low_tf: byTf.optional(), med_tf: byTf.optional(), high_tf: byTf.optional() })
    .describe('structure detectors grouped by timeframe role, dependencies declared first');
}
