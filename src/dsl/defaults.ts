// Documented defaults for the header blocks a play may leave out (seed extension 3), so a short play
// like the seed's example is complete. Account values are TRADE's config/defaults.yml (skeleton.md).
import type { Account, EntryConfig, PositionPolicy, RiskShorthand, Timeframes } from './types.ts';

export const DEFAULT_VERSION = '3.0.0';
export const DEFAULT_SYMBOL = 'BTCUSDT';

/** skeleton.md's minimal play: 15m entries, 1h structure, daily context, stepping on low_tf. */
export const DEFAULT_TIMEFRAMES: Readonly<Timeframes> = Object.freeze({ low_tf: '15m', med_tf: '1h', high_tf: 'D', exec: 'low_tf' });

export const DEFAULT_ACCOUNT: Readonly<Account> = Object.freeze({
  starting_equity_usdt: 10_000,
  max_leverage: 1,
  max_drawdown_pct: 20,
  margin_mode: 'isolated_usdt',
  fee_model: Object.freeze({ taker_bps: 5.5, maker_bps: 2 }),
  slippage_bps: 2,
  min_trade_notional_usdt: 10,
  maintenance_margin_rate: 0.005,
});

export const DEFAULT_POSITION_POLICY: Readonly<PositionPolicy> = Object.freeze({
  mode: 'long_only',
  exit_mode: 'sl_tp_only',
  max_positions_per_symbol: 1,
});

/** Used only when a play has neither `risk:` nor `risk_model:` (TRADE requires one; the seed omits both). */
export const DEFAULT_RISK: Readonly<RiskShorthand> = Object.freeze({
  stop_loss_pct: 2,
  take_profit_pct: 4,
  max_position_pct: 100,
  tp_order_type: 'Market',
  sl_order_type: 'Market',
});

export const DEFAULT_ENTRY: Readonly<EntryConfig> = Object.freeze({
  order_type: 'MARKET',
  limit_offset_pct: 0,
  time_in_force: 'GTC',
  expire_after_bars: 0,
});

export const DEFAULT_SOURCE = 'close';
