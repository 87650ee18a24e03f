// The numbers the bar loop needs, read once from a concrete play (docs/engine.md sections 3-6).
import { PlayforgeError } from '../../common/errors.ts';
import type { Play, StopLossRule, TakeProfitRule } from '../../dsl/index.ts';

export type StopKind = 'percent' | 'atr_multiple' | 'structure' | 'fixed_points' | 'trailing_atr' | 'trailing_pct' | 'none';
export type TargetKind = 'percent' | 'rr_ratio' | 'atr_multiple' | 'fixed_points' | 'none';
export type SizingModel = 'percent_equity' | 'risk_based' | 'fixed_usdt';

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
  entry: { limit: boolean; offsetPct: number; tif: 'GTC' | 'IOC' | 'FOK' | 'PostOnly'; expireAfterBars: number };
}

function num(v: unknown, path: string): number {
  if (typeof v === 'number' && Number.isFinite(v)) return v;
  throw new PlayforgeError('ENGINE_RANGED_PLAY', `${path} is still a range: resolve the play (a genome or --params) before backtesting`, { path });
}

function opt(v: unknown, path: string, dflt: number): number {
  return v === undefined ? dflt : num(v, path);
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
    return stopSpec(rule.type, value, {
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
  if (rule) return { kind: rule.type, value: num(rule.value, `${path}.value`), atrRef: rule.atr_feature_id, limitOrder };
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
    sizing = { model: rm.sizing.model, value: num(rm.sizing.value, 'risk_model.sizing.value') };
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
      tif: e?.time_in_force ?? 'GTC',
      expireAfterBars: e?.expire_after_bars ?? 0,
    },
  };
}
