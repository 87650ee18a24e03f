// The numbers the bar loop needs, read once from a concrete play (docs/engine.md sections 3-6).
import { PlayforgeError } from '../../common/errors.ts';
import { SIZING_MODELS, STOP_LOSS_TYPES, TAKE_PROFIT_TYPES, type Play, type StopLossRule, type TakeProfitRule } from '../../dsl/index.ts';

// The DSL's lists, plus the engine's 'none'.
const STOP_KINDS = [...STOP_LOSS_TYPES, 'none'] as const;
const TARGET_KINDS = [...TAKE_PROFIT_TYPES, 'none'] as const;
const TIFS = ['GTC', 'IOC', 'FOK', 'PostOnly'] as const;
export type StopKind = (typeof STOP_KINDS)[number];
export type TargetKind = (typeof TARGET_KINDS)[number];
export type SizingModel = (typeof SIZING_MODELS)[number];

export interface ExecutionSpec {
  startingEquity: number;
  leverage: number;
  takerRate: number;
  makerRate: number;
  slippage: number;
  maintenanceMarginRate: number;
  minNotional: number;
  maxDrawdownPct: number;
  allowLong: boolean;
  allowShort: boolean;
  signalExits: boolean;
  stop: { kind: StopKind; value: number; atrRef?: string; trailPct: number; atrMultiplier: number; activationPct: number; bufferPct: number; swingKey?: string };
  target: { kind: TargetKind; value: number; atrRef?: string; limitOrder: boolean };
  breakEven?: { activationPct: number; offsetPct: number };
  sizing: { model: SizingModel; value: number };
  entry: { limit: boolean; offsetPct: number; tif: (typeof TIFS)[number]; expireAfterBars: number };
}

function num(v: unknown, path: string): number {
  if (typeof v === 'number' && Number.isFinite(v)) return v;
  throw new PlayforgeError('ENGINE_RANGED_PLAY', `${path} is still a range: resolve the play (a genome or --params) before backtesting`, { path });
}

function opt(v: unknown, path: string, dflt: number): number {
  return v === undefined ? dflt : num(v, path);
}

/**
 * The literal of `list` equal to `value`. A string parsed from YAML is not internalized, and V8 compares it
 * with a literal character by character (String::SlowEquals through the runtime): the sizing model's test
 * alone, once per trade, was ~5% of an always-in EMA-cross backtest. The list's own literal compares by
 * pointer.
 */
function literal<T extends string>(value: string, list: readonly T[], path: string): T {
  const hit = list.find((k) => k === value);
  if (hit === undefined) throw new PlayforgeError('ENGINE_BAD_SPEC', `${path} is '${value}', expected one of ${list.join(', ')}`, { path });
  return hit;
}

// Every stop is built by this one literal: objects of one shape share one map, so the bar loops' property
// reads stay monomorphic (a spread of a shared base gave each backtest's spec a map of its own, and the fused
// loop was deoptimised by the next backtest's spec).
function stopSpec(kind: StopKind, value: number, more: Partial<ExecutionSpec['stop']> = {}): ExecutionSpec['stop'] {
  return {
    kind,
    value,
    atrRef: more.atrRef,
    trailPct: more.trailPct ?? 0,
    atrMultiplier: more.atrMultiplier ?? 0,
    activationPct: more.activationPct ?? 0,
    bufferPct: more.bufferPct ?? 0,
    swingKey: more.swingKey,
  };
}

function stopOf(rule: StopLossRule | undefined, pct: unknown, play: Play, path: string): ExecutionSpec['stop'] {
  if (rule) {
    const value = opt(rule.value, `${path}.value`, 0);
    const swing = play.structures.find((s) => s.type === 'swing' && s.tf === execTf(play));
    return stopSpec(literal(rule.type, STOP_KINDS, `${path}.type`), value, {
      atrRef: rule.atr_feature_id,
      trailPct: opt(rule.trail_pct, `${path}.trail_pct`, 0),
      atrMultiplier: opt(rule.atr_multiplier, `${path}.atr_multiplier`, rule.type === 'trailing_atr' ? 2 : value),
      activationPct: opt(rule.activation_pct, `${path}.activation_pct`, 0),
      bufferPct: opt(rule.buffer_pct, `${path}.buffer_pct`, 0),
      swingKey: swing?.key,
    });
  }
  if (pct !== undefined) return stopSpec('percent', num(pct, 'risk.stop_loss_pct'));
  return stopSpec('none', 0);
}

function targetOf(rule: TakeProfitRule | undefined, pct: unknown, limitOrder: boolean, path: string): ExecutionSpec['target'] {
  if (rule) return { kind: literal(rule.type, TARGET_KINDS, `${path}.type`), value: num(rule.value, `${path}.value`), atrRef: rule.atr_feature_id, limitOrder };
  if (pct !== undefined) return { kind: 'percent', value: num(pct, 'risk.take_profit_pct'), limitOrder };
  return { kind: 'none', value: 0, limitOrder };
}

export function execTf(play: Play): string {
  return play.timeframes[play.timeframes.exec];
}

export function executionSpecOf(play: Play): ExecutionSpec {
  const a = play.account;
  const accountLev = a.max_leverage;
  const rm = play.risk_model;
  const r = play.risk;
  let leverage = accountLev;
  let sizing: ExecutionSpec['sizing'];
  let stop: ExecutionSpec['stop'];
  let target: ExecutionSpec['target'];
  let breakEven: ExecutionSpec['breakEven'];
  if (rm) {
    if (rm.sizing.max_leverage !== undefined) leverage = Math.min(num(rm.sizing.max_leverage, 'risk_model.sizing.max_leverage'), accountLev);
    sizing = { model: literal(rm.sizing.model, SIZING_MODELS, 'risk_model.sizing.model'), value: num(rm.sizing.value, 'risk_model.sizing.value') };
    stop = stopOf(rm.stop_loss, undefined, play, 'risk_model.stop_loss');
    target = targetOf(rm.take_profit, undefined, rm.tp_order_type === 'Limit', 'risk_model.take_profit');
    if (rm.break_even) breakEven = { activationPct: num(rm.break_even.activation_pct, 'risk_model.break_even.activation_pct'), offsetPct: num(rm.break_even.offset_pct, 'risk_model.break_even.offset_pct') };
  } else {
    sizing = { model: 'percent_equity', value: num(r?.max_position_pct ?? 100, 'risk.max_position_pct') };
    stop = stopOf(r?.stop_loss, r?.stop_loss_pct, play, 'risk.stop_loss');
    target = targetOf(r?.take_profit, r?.take_profit_pct, r?.tp_order_type === 'Limit', 'risk.take_profit');
    if (r?.break_even) breakEven = { activationPct: num(r.break_even.activation_pct, 'risk.break_even.activation_pct'), offsetPct: num(r.break_even.offset_pct, 'risk.break_even.offset_pct') };
  }
  if (!(leverage > 0)) throw new PlayforgeError('ENGINE_BAD_LEVERAGE', `leverage must be positive, got ${leverage}`, { path: 'account.max_leverage' });
  const mode = play.position_policy.mode;
  const e = play.entry;
  return {
    startingEquity: play.backtest?.equity ?? a.starting_equity_usdt,
    leverage,
    takerRate: a.fee_model.taker_bps / 10_000,
    makerRate: a.fee_model.maker_bps / 10_000,
    slippage: (play.backtest?.slippage_bps ?? a.slippage_bps) / 10_000,
    maintenanceMarginRate: a.maintenance_margin_rate,
    minNotional: a.min_trade_notional_usdt,
    maxDrawdownPct: play.risk_limits?.max_drawdown_pct ?? a.max_drawdown_pct,
    allowLong: mode !== 'short_only',
    allowShort: mode !== 'long_only',
    signalExits: play.position_policy.exit_mode !== 'sl_tp_only',
    stop,
    target,
    breakEven,
    sizing,
    entry: {
      limit: e?.order_type === 'LIMIT',
      offsetPct: e?.limit_offset_pct ?? 0,
      tif: literal(e?.time_in_force ?? 'GTC', TIFS, 'entry.time_in_force'),
      expireAfterBars: e?.expire_after_bars ?? 0,
    },
  };
}
