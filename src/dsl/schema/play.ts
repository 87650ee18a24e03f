// The whole Play as written in YAML (before normalization), in 'validate' or 'export' mode.
import { z } from 'zod';
import { issue, type SchemaMode } from './common.ts';
import { conditionExportSchemas } from './conditions.ts';
import { featuresSchema, structuresExportSchema } from './features.ts';
import {
  accountSchema, entrySchema, miscSchemas, positionPolicySchema, syntheticSchema, timeframesSchema, validationSchema,
} from './header.ts';
import { riskModelSchema, riskSchema } from './risk.ts';

export function buildPlaySchema(mode: SchemaMode): z.ZodType {
  const misc = miscSchemas(mode);
  const cond = mode === 'export' ? conditionExportSchemas() : undefined;
  const nonEmptyString = (name: string, required: boolean) =>
    mode === 'export'
      ? required ? z.string().min(1) : z.string().optional()
      : ((s: z.ZodType) => (required ? s : s.optional()))(
          z.unknown().superRefine((v, ctx) => {
            if (v !== undefined && (typeof v !== 'string' || (required && v.length === 0))) {
              issue(ctx, 'DSL_TYPE_MISMATCH', `${name}: expected text, got ${JSON.stringify(v)}`);
            }
          }),
        );
  const version =
    mode === 'export'
      ? z.literal('3.0.0').optional().describe('DSL version (default 3.0.0)')
      : z
          .unknown()
          .superRefine((v, ctx) => {
            if (v !== undefined && v !== '3.0.0') issue(ctx, 'DSL_INVALID_VALUE', `version: only "3.0.0" is supported, got ${JSON.stringify(v)}`);
          })
          .optional();
  const obj = z.strictObject({
    version,
    name: nonEmptyString('name', true),
    description: nonEmptyString('description', false),
    symbol: (mode === 'export' ? z.string().regex(/^[A-Z0-9]+$/).optional() : nonEmptyString('symbol', false)).describe('Bybit perpetual symbol (default BTCUSDT)'),
    timeframes: timeframesSchema(mode).optional().describe('default low_tf 15m, med_tf 1h, high_tf D, exec low_tf'),
    account: accountSchema(mode).optional(),
    features: featuresSchema(mode).optional(),
    structures: mode === 'export' ? structuresExportSchema().optional() : z.unknown().optional(),
    setups: mode === 'export' ? cond!.setups.optional() : z.unknown().optional(),
    actions: mode === 'export' ? cond!.actions : z.unknown().optional(),
    position_policy: positionPolicySchema(mode).optional().describe('default long_only, sl_tp_only, 1 position'),
    risk: riskSchema(mode).optional().describe('default stop_loss_pct 2, take_profit_pct 4, max_position_pct 100'),
    risk_model: riskModelSchema(mode).optional(),
    entry: entrySchema(mode).optional(),
    synthetic: syntheticSchema(mode).optional(),
    validation: validationSchema(mode).optional(),
    expected: misc.expected.optional(),
    risk_limits: misc.risk_limits.optional(),
    date_range: misc.date_range.optional(),
    backtest: misc.backtest.optional(),
    deploy: misc.deploy.optional(),
  });
  if (mode === 'export') {
    return obj.describe("A Playforge Play: TRADE's Play DSL v3.0.0 plus parameter ranges. Numeric params may be a value, a list of choices, or {min, max, step}.");
  }
  return obj.superRefine((raw, ctx) => {
    const v = raw as Record<string, unknown>;
    if (v.risk !== undefined && v.risk_model !== undefined) {
      issue(ctx, 'DSL_INVALID_VALUE', 'give either risk (shorthand) or risk_model, not both', ['risk_model']);
    }
  });
}
