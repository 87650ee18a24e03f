// Export-only zod schema of conditions, setups and actions (validation is conditions.ts, which gives
// positioned, specific errors). Recursive through z.lazy.
import { z } from 'zod';
import { INTERVALS } from '../registry/types.ts';

export const CMP_OPS = ['>', '<', '>=', '<=', '==', '=', '!=', 'between', 'near_pct', 'near_abs', 'in', 'cross_above', 'cross_below'] as const;
export const ARITH_OPS = ['+', '-', '*', '/', '%'] as const;
export const ACTION_NAMES = ['entry_long', 'entry_short', 'exit_long', 'exit_short', 'exit_all', 'no_action'] as const;

export function conditionExportSchemas() {
  const refString = z
    .string()
    .describe('reference: feature key, key.field, struct.level[0.618], struct.zone[0].state, med_tf_4h.key.field, or open/high/low/close/volume/last_price/mark_price');
  const refObject = z
    .strictObject({ feature_id: z.string(), field: z.string().optional(), offset: z.int().gte(0).lte(500).optional() })
    .meta({ id: 'Reference', description: 'reference with an optional offset (bars back)' });
  const operand: z.ZodType = z.lazy(() => z.union([z.number(), z.boolean(), refString, refObject, arith])).meta({ id: 'Operand' });
  const arith: z.ZodType = z.lazy(() =>
    z.union([
      z.tuple([operand, z.enum(ARITH_OPS), operand]).describe('arithmetic [a, op, b]'),
      z.partialRecord(z.enum(ARITH_OPS), z.tuple([operand, operand])).describe('arithmetic {op: [a, b]} with exactly one op'),
    ]),
  );
  const rhs = z.union([operand, z.array(z.union([z.number(), z.string(), z.boolean()])).describe('between [low, high] or in [values]'), z.strictObject({ low: z.number(), high: z.number() })]);
  const shortCond = z.union([
    z.tuple([operand, z.enum(CMP_OPS), rhs]).describe('[lhs, op, rhs]'),
    z.tuple([operand, z.enum(['near_pct', 'near_abs']), operand, z.number()]).describe('[lhs, near_pct|near_abs, rhs, tolerance]; near_pct tolerance is a percentage (3 = 3%)'),
  ]);
  const verbose = z.strictObject({ lhs: operand, op: z.enum(CMP_OPS), rhs, tolerance: z.number().optional() });
  const windowBars = z.union([z.int().gte(1).lte(500), z.array(z.int()), z.strictObject({ min: z.int(), max: z.int(), step: z.int().optional() })]);
  const condition: z.ZodType = z.lazy(() => {
    const exprList = z.union([condition, z.array(condition)]);
    const win = (minTrue: boolean) =>
      z.strictObject({
        bars: windowBars,
        ...(minTrue ? { min_true: windowBars } : {}),
        anchor_tf: z.enum(INTERVALS).optional(),
        expr: exprList,
      });
    const dur = (minTrue: boolean) =>
      z.strictObject({
        duration: z.string().regex(/^\d+(m|h|d)$/).describe('"5m", "1h", "1d"; max 24h'),
        ...(minTrue ? { min_true: windowBars } : {}),
        expr: exprList,
      });
    return z.union([
      shortCond,
      verbose,
      z.strictObject({ all: z.array(condition) }),
      z.strictObject({ any: z.array(condition) }),
      z.strictObject({ not: exprList }),
      z.strictObject({ setup: z.string().describe('name of a setup') }),
      z.strictObject({ holds_for: win(false) }),
      z.strictObject({ occurred_within: win(false) }),
      z.strictObject({ count_true: win(true) }),
      z.strictObject({ holds_for_duration: dur(false) }),
      z.strictObject({ occurred_within_duration: dur(false) }),
      z.strictObject({ count_true_duration: dur(true) }),
    ]);
  }).meta({ id: 'Condition' });
  const metadata = z
    .record(z.string(), z.union([z.string(), z.number(), z.boolean(), refObject]))
    .meta({ id: 'Metadata', description: 'values recorded with the trade: references or labels' });
  const actionBody = z.union([
    z.array(condition).describe('implicit all'),
    z.strictObject({ all: z.array(condition), metadata: metadata.optional() }),
    z.strictObject({ any: z.array(condition), metadata: metadata.optional() }),
    condition,
  ]);
  const emit = z
    .strictObject({ action: z.enum(ACTION_NAMES), percent: z.number().gt(0).lte(100).optional(), metadata: metadata.optional() })
    .meta({ id: 'Emit' });
  const block = z.strictObject({
    id: z.string(),
    cases: z.array(z.strictObject({ when: condition, emit: z.array(emit).min(1) })).min(1),
    else: z.strictObject({ emit: z.array(emit).min(1) }).optional(),
  });
  const actions = z.union([
    z.partialRecord(z.enum(ACTION_NAMES), actionBody).describe('action name -> condition'),
    z.array(block).describe('case blocks: the first matching case emits its actions'),
  ]);
  const setups = z.record(z.string(), z.union([condition, z.array(condition)])).describe('reusable named conditions, referenced as {setup: name}');
  return { condition, actions, setups };
}
