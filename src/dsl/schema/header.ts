// zod schemas of the header blocks: timeframes, account, position policy, entry, synthetic/validation,
// expected, risk_limits, date_range, backtest, deploy.
import { z } from 'zod';
import { INTERVAL_MINUTES, isInterval, type Interval } from '../registry/types.ts';
import { choice, interval, issue, type SchemaMode } from './common.ts';

export const TF_ROLES = ['low_tf', 'med_tf', 'high_tf'] as const;

/** TRADE's synthetic data patterns (docs/dsl/patterns.md). */
export const PATTERNS = [
  'trend_up_clean', 'trend_down_clean', 'trend_grinding', 'trend_parabolic', 'trend_exhaustion', 'trend_stairs',
  'range_tight', 'range_wide', 'range_ascending', 'range_descending',
  'reversal_v_bottom', 'reversal_v_top', 'reversal_double_bottom', 'reversal_double_top',
  'breakout_clean', 'breakout_false', 'breakout_retest',
  'vol_squeeze_expand', 'vol_spike_recover', 'vol_spike_continue', 'vol_decay',
  'liquidity_hunt_lows', 'liquidity_hunt_highs', 'choppy_whipsaw', 'accumulation', 'distribution',
  'mtf_aligned_bull', 'mtf_aligned_bear', 'mtf_pullback_bull', 'mtf_pullback_bear',
  'displacement_impulse', 'trending_with_gaps', 'equal_highs_lows', 'ob_retest',
  'trending', 'ranging', 'volatile', 'multi_tf_aligned',
] as const;

export function timeframesSchema(mode: SchemaMode): z.ZodType {
  const exec =
    mode === 'export'
      ? z.enum(TF_ROLES).describe('pointer to the role the bar loop steps on (never a raw interval)')
      : z.unknown().superRefine((v, ctx) => {
          if (v === undefined) return;
          if (isInterval(v)) {
            issue(ctx, 'DSL_EXEC_NOT_ROLE', `exec must point to a role (low_tf, med_tf or high_tf), not a raw interval ${JSON.stringify(v)}`);
          } else if (!(TF_ROLES as readonly unknown[]).includes(v)) {
            issue(ctx, 'DSL_INVALID_VALUE', `exec: ${JSON.stringify(v)} is not one of low_tf, med_tf, high_tf`);
          }
        });
  const obj = z.strictObject({
    low_tf: interval(mode, 'low_tf', true),
    med_tf: interval(mode, 'med_tf', true),
    high_tf: interval(mode, 'high_tf', true),
    exec,
  });
  if (mode === 'export') return obj.describe('timeframe roles; high_tf >= med_tf >= low_tf');
  return obj.superRefine((v, ctx) => {
    const t = v as Record<string, unknown>;
    const [lo, med, hi] = [t.low_tf, t.med_tf, t.high_tf];
    if (!isInterval(lo) || !isInterval(med) || !isInterval(hi)) return;
    const m = (x: Interval) => INTERVAL_MINUTES[x];
    if (m(med) < m(lo)) issue(ctx, 'DSL_TIMEFRAME_ORDER', `med_tf ${med} is faster than low_tf ${lo}; need high_tf >= med_tf >= low_tf`, ['med_tf']);
    else if (m(hi) < m(med)) issue(ctx, 'DSL_TIMEFRAME_ORDER', `high_tf ${hi} is faster than med_tf ${med}; need high_tf >= med_tf >= low_tf`, ['high_tf']);
  });
}

export function accountSchema(mode: SchemaMode): z.ZodType {
  return z
    .strictObject({
      starting_equity_usdt: z.number().gt(0).optional(),
      max_leverage: z.number().gte(1).lte(200).optional(),
      max_drawdown_pct: z.number().gt(0).lte(100).optional(),
      margin_mode: choice(mode, 'margin_mode', ['isolated_usdt'] as const),
      fee_model: z.strictObject({ taker_bps: z.number().gte(-100).lte(1000).optional(), maker_bps: z.number().gte(-100).lte(1000).optional() }).optional(),
      slippage_bps: z.number().gte(0).lte(1000).optional(),
      min_trade_notional_usdt: z.number().gte(0).optional(),
      maintenance_margin_rate: z.number().gte(0).lt(1).optional(),
    })
    .describe('account and fee model; fields left out take the documented defaults');
}

export function positionPolicySchema(mode: SchemaMode): z.ZodType {
  return z.strictObject({
    mode: choice(mode, 'mode', ['long_only', 'short_only', 'long_short'] as const),
    exit_mode: choice(mode, 'exit_mode', ['sl_tp_only', 'signal', 'first_hit'] as const, {
      description: 'sl_tp_only ignores exit signals; signal exits on signals (SL/TP as emergency stops); first_hit whichever comes first',
    }),
    max_positions_per_symbol: z.int().gte(1).lte(1).optional().describe('only 1 is supported'),
    max_positions: z.int().gte(1).optional(),
    pyramid_mode: z.string().min(1).optional(),
  });
}

export function entrySchema(mode: SchemaMode): z.ZodType {
  return z.strictObject({
    order_type: choice(mode, 'order_type', ['MARKET', 'LIMIT'] as const),
    limit_offset_pct: z.number().gte(0).lte(100).optional(),
    time_in_force: choice(mode, 'time_in_force', ['GTC', 'IOC', 'FOK', 'PostOnly'] as const),
    expire_after_bars: z.int().gte(0).optional(),
  });
}

export function syntheticSchema(mode: SchemaMode): z.ZodType {
  return z.strictObject({
    pattern: choice(mode, 'pattern', PATTERNS, { required: true }),
    bars: z.int().gte(1).optional(),
    seed: z.int().optional(),
  });
}

export function validationSchema(mode: SchemaMode): z.ZodType {
  return z.strictObject({
    pattern: choice(mode, 'pattern', PATTERNS),
    bars: z.int().gte(1).optional(),
    seed: z.int().optional(),
    expect_entries: z.tuple([z.int().gte(0), z.int().gte(0)]).optional().describe('[min, max] entries expected'),
    expect_direction: choice(mode, 'expect_direction', ['long', 'short', 'both'] as const),
    min_win_rate: z.number().gte(0).lte(1).optional(),
    max_drawdown_pct: z.number().gt(0).lte(100).optional(),
  });
}

const DATE = /^\d{4}-\d{2}-\d{2}$/;

export function miscSchemas(mode: SchemaMode) {
  const date = (name: string) =>
    mode === 'export'
      ? z.string().regex(DATE).describe(`${name} date YYYY-MM-DD`)
      : z.unknown().superRefine((v, ctx) => {
          if (v === undefined) return;
          if (typeof v !== 'string' || !DATE.test(v) || Number.isNaN(Date.parse(v))) {
            issue(ctx, 'DSL_INVALID_VALUE', `${name}: expected a date YYYY-MM-DD, got ${JSON.stringify(v)}`);
          }
        });
  return {
    expected: z.strictObject({ min_trades: z.int().gte(0).optional() }),
    risk_limits: z.strictObject({ max_drawdown_pct: z.number().gt(0).lte(100).optional() }),
    date_range: z.strictObject({ start: date('start'), end: date('end') }),
    backtest: z.strictObject({ equity: z.number().gt(0).optional(), slippage_bps: z.number().gte(0).optional() }).describe('simulation-only overrides'),
    deploy: z.strictObject({
      capital: z.number().gt(0).optional(),
      settle_coin: choice(mode, 'settle_coin', ['USDT', 'USDC'] as const),
      dcp_window: z.int().gte(1).optional(),
    }),
  };
}
