// zod schemas of `risk:` (shorthand) and `risk_model:`. Every number here may be ranged.
import { z } from 'zod';
import type { ParamSpec } from '../registry/types.ts';
import { choice, issue, rangeable, type SchemaMode } from './common.ts';

export const STOP_LOSS_TYPES = ['percent', 'atr_multiple', 'structure', 'fixed_points', 'trailing_atr', 'trailing_pct'] as const;
export const TAKE_PROFIT_TYPES = ['percent', 'rr_ratio', 'atr_multiple', 'fixed_points'] as const;
export const SIZING_MODELS = ['percent_equity', 'risk_based', 'fixed_usdt'] as const;
const ORDER_KINDS = ['Market', 'Limit'] as const;

const pct = (description: string, max = 1000): ParamSpec => ({ kind: 'float', description, min: 0, minExclusive: true, max });
const nonnegPct = (description: string, max = 1000): ParamSpec => ({ kind: 'float', description, min: 0, max });

/** Risk numbers by field name: their bounds are shared by the schema and the parameter space. */
export const RISK_FIELDS: Readonly<Record<string, ParamSpec>> = {
  stop_loss_pct: pct('stop loss, % of margin (ROI-based)', 100),
  take_profit_pct: pct('take profit, % of margin (ROI-based)'),
  max_position_pct: pct('position size, % of equity', 10_000),
  risk_per_trade_pct: pct('risk per trade, % of equity', 100),
  value: pct('rule value (percent, ratio, ATR multiple or price distance)', 1e9),
  atr_multiplier: pct('ATR multiple of the trailing distance', 100),
  trail_pct: pct('trailing distance, %', 100),
  activation_pct: nonnegPct('profit % that activates trailing / break-even', 1000),
  buffer_pct: nonnegPct('extra distance beyond the structure level, %', 100),
  offset_pct: { kind: 'float', description: 'break-even stop offset beyond entry, % (favorable side)', min: 0, max: 100 },
  max_leverage: { kind: 'float', description: 'leverage cap', min: 1, max: 200 },
  sizing_value: pct('sizing value: % of equity (percent_equity), % risked (risk_based) or USDT (fixed_usdt)', 1e9),
};

const num = (mode: SchemaMode, name: string, required = false, specName = name) =>
  rangeable(mode, name, RISK_FIELDS[specName], required);

export function stopLossSchema(mode: SchemaMode): z.ZodType {
  const obj = z.strictObject({
    type: choice(mode, 'type', STOP_LOSS_TYPES, { required: true }),
    value: num(mode, 'value'),
    atr_feature_id: z.string().min(1).optional().describe('key of a declared ATR feature'),
    atr_multiplier: num(mode, 'atr_multiplier'),
    trail_pct: num(mode, 'trail_pct'),
    activation_pct: num(mode, 'activation_pct'),
    buffer_pct: num(mode, 'buffer_pct'),
  });
  if (mode === 'export') return obj;
  return obj.superRefine((raw, ctx) => {
    const v = raw as Record<string, unknown>;
    const need = (field: string) => {
      if (v[field] === undefined) issue(ctx, 'DSL_MISSING_FIELD', `stop_loss type ${String(v.type)} needs '${field}'`);
    };
    switch (v.type) {
      case 'percent':
      case 'structure':
      case 'fixed_points':
        need('value');
        break;
      case 'atr_multiple':
        need('value');
        need('atr_feature_id');
        break;
      case 'trailing_atr':
        need('atr_feature_id');
        break;
      case 'trailing_pct':
        need('trail_pct');
        break;
    }
  });
}

export function takeProfitSchema(mode: SchemaMode): z.ZodType {
  const obj = z.strictObject({
    type: choice(mode, 'type', TAKE_PROFIT_TYPES, { required: true }),
    value: num(mode, 'value', true),
    atr_feature_id: z.string().min(1).optional().describe('key of a declared ATR feature'),
  });
  if (mode === 'export') return obj;
  return obj.superRefine((raw, ctx) => {
    const v = raw as Record<string, unknown>;
    if (v.type === 'atr_multiple' && v.atr_feature_id === undefined) {
      issue(ctx, 'DSL_MISSING_FIELD', "take_profit type atr_multiple needs 'atr_feature_id'");
    }
  });
}

function breakEvenSchema(mode: SchemaMode): z.ZodType {
  return z.strictObject({ activation_pct: num(mode, 'activation_pct'), offset_pct: num(mode, 'offset_pct') });
}

export function riskSchema(mode: SchemaMode): z.ZodType {
  const obj = z.strictObject({
    stop_loss_pct: num(mode, 'stop_loss_pct'),
    take_profit_pct: num(mode, 'take_profit_pct'),
    stop_loss: stopLossSchema(mode).optional(),
    take_profit: takeProfitSchema(mode).optional(),
    max_position_pct: num(mode, 'max_position_pct'),
    risk_per_trade_pct: num(mode, 'risk_per_trade_pct'),
    break_even: breakEvenSchema(mode).optional(),
    tp_order_type: choice(mode, 'tp_order_type', ORDER_KINDS),
    sl_order_type: choice(mode, 'sl_order_type', ORDER_KINDS),
  });
  if (mode === 'export') return obj.describe('shorthand risk: ROI-based percentages of margin');
  return obj.superRefine((raw, ctx) => {
    const v = raw as Record<string, unknown>;
    if (v.stop_loss_pct === undefined && v.stop_loss === undefined) {
      issue(ctx, 'DSL_MISSING_FIELD', "risk needs 'stop_loss_pct' (or a 'stop_loss' rule)");
    } else if (v.stop_loss_pct !== undefined && v.stop_loss !== undefined) {
      issue(ctx, 'DSL_INVALID_VALUE', "give either 'stop_loss_pct' or 'stop_loss', not both", ['stop_loss']);
    }
    if (v.take_profit_pct === undefined && v.take_profit === undefined) {
      issue(ctx, 'DSL_MISSING_FIELD', "risk needs 'take_profit_pct' (or a 'take_profit' rule)");
    } else if (v.take_profit_pct !== undefined && v.take_profit !== undefined) {
      issue(ctx, 'DSL_INVALID_VALUE', "give either 'take_profit_pct' or 'take_profit', not both", ['take_profit']);
    }
  });
}

export function riskModelSchema(mode: SchemaMode): z.ZodType {
  return z
    .strictObject({
      stop_loss: stopLossSchema(mode),
      take_profit: takeProfitSchema(mode),
      sizing: sizingSchema(mode).optional().describe('default: percent_equity 100 (the whole allowed position)'),
      break_even: breakEvenSchema(mode).optional(),
      tp_order_type: choice(mode, 'tp_order_type', ORDER_KINDS),
      sl_order_type: choice(mode, 'sl_order_type', ORDER_KINDS),
    })
    .describe('full risk model: stop loss, take profit and sizing rules');
}

function sizingSchema(mode: SchemaMode): z.ZodType {
  return z.strictObject({
    model: choice(mode, 'model', SIZING_MODELS, { required: true }),
    value: rangeable(mode, 'value', RISK_FIELDS.sizing_value, true),
    max_leverage: num(mode, 'max_leverage'),
  });
}
