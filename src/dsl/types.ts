// The normalized Play: what every later stage (engine, evolve, validate, library, live) reads.
// Block and field names mirror the YAML (snake_case) so a Play reads like the file it came from.
import type { Interval, OutputType } from './registry/types.ts';
import type { NumRange, ChoiceSet, ParamValue, Scalar } from './ranges.ts';

export type TfRole = 'low_tf' | 'med_tf' | 'high_tf';
/** Where structures are declared: a timeframe role or `exec` (the role `timeframes.exec` points to). */
export type StructureRole = TfRole | 'exec';
export type Source = 'close' | 'open' | 'high' | 'low' | 'volume' | 'hl2' | 'hlc3' | 'ohlc4' | 'open_interest' | 'funding_rate';

/** A number that may be ranged: fixed, a set of choices, or {min, max, step}. */
export type NumParam = number | ChoiceSet | NumRange;

export interface Timeframes {
  low_tf: Interval;
  med_tf: Interval;
  high_tf: Interval;
  exec: TfRole;
}

export interface Account {
  starting_equity_usdt: number;
  max_leverage: number;
  max_drawdown_pct: number;
  margin_mode: 'isolated_usdt';
  fee_model: { taker_bps: number; maker_bps: number };
  slippage_bps: number;
  min_trade_notional_usdt: number;
  maintenance_margin_rate: number;
}

export interface Feature {
  key: string;
  indicator: string;
  /** Every parameter of the indicator: the play's values, registry defaults for the rest. */
  params: Record<string, ParamValue>;
  /** Concrete timeframe (a `tf:` role resolved; exec's timeframe when absent). */
  tf: Interval;
  source: Source;
}

export interface Structure {
  key: string;
  type: string;
  role: StructureRole;
  /** Concrete timeframe the detector runs on. */
  tf: Interval;
  /** Set when declared under a role by concrete timeframe: `med_tf: { "4h": [...] }`. */
  tf_key?: string;
  params: Record<string, ParamValue>;
  /** Keys of the structures this one reads, in `uses:` order. */
  uses: string[];
}

export type PositionMode = 'long_only' | 'short_only' | 'long_short';
export type ExitMode = 'sl_tp_only' | 'signal' | 'first_hit';

export interface PositionPolicy {
  mode: PositionMode;
  exit_mode: ExitMode;
  max_positions_per_symbol: number;
  /** Accepted from TRADE's corpus; the engine runs one position per symbol. */
  max_positions?: number;
  pyramid_mode?: string;
}

export type StopLossType = 'percent' | 'atr_multiple' | 'structure' | 'fixed_points' | 'trailing_atr' | 'trailing_pct';
export type TakeProfitType = 'percent' | 'rr_ratio' | 'atr_multiple' | 'fixed_points';
export type OrderKind = 'Market' | 'Limit';

export interface StopLossRule {
  type: StopLossType;
  value?: NumParam;
  atr_feature_id?: string;
  atr_multiplier?: NumParam;
  trail_pct?: NumParam;
  activation_pct?: NumParam;
  buffer_pct?: NumParam;
}

export interface TakeProfitRule {
  type: TakeProfitType;
  value: NumParam;
  atr_feature_id?: string;
}

export interface Sizing {
  model: 'percent_equity' | 'risk_based' | 'fixed_usdt';
  value: NumParam;
  max_leverage?: NumParam;
}

export interface BreakEven {
  activation_pct: NumParam;
  offset_pct: NumParam;
}

/** `risk:` shorthand (ROI-based percentages). */
export interface RiskShorthand {
  stop_loss_pct?: NumParam;
  take_profit_pct?: NumParam;
  stop_loss?: StopLossRule;
  take_profit?: TakeProfitRule;
  max_position_pct: NumParam;
  risk_per_trade_pct?: NumParam;
  break_even?: BreakEven;
  tp_order_type: OrderKind;
  sl_order_type: OrderKind;
}

export interface RiskModel {
  stop_loss: StopLossRule;
  take_profit: TakeProfitRule;
  sizing: Sizing;
  break_even?: BreakEven;
  tp_order_type: OrderKind;
  sl_order_type: OrderKind;
}

export interface EntryConfig {
  order_type: 'MARKET' | 'LIMIT';
  limit_offset_pct: number;
  time_in_force: 'GTC' | 'IOC' | 'FOK' | 'PostOnly';
  expire_after_bars: number;
}

export interface SyntheticConfig {
  pattern: string;
  bars?: number;
  seed?: number;
}

export interface ValidationConfig {
  pattern?: string;
  bars?: number;
  seed?: number;
  expect_entries?: [number, number];
  expect_direction?: 'long' | 'short' | 'both';
  min_win_rate?: number;
  max_drawdown_pct?: number;
}

export interface Play {
  version: string;
  name: string;
  description?: string;
  symbol: string;
  timeframes: Timeframes;
  account: Account;
  /** In declaration order. */
  features: Feature[];
  /** Flattened in declaration order (dependencies come first). */
  structures: Structure[];
  setups: Record<string, Condition>;
  actions: Actions;
  position_policy: PositionPolicy;
  /** Exactly one of risk / risk_model is set (risk gets the documented default when both were left out). */
  risk?: RiskShorthand;
  risk_model?: RiskModel;
  entry?: EntryConfig;
  synthetic?: SyntheticConfig;
  validation?: ValidationConfig;
  expected?: { min_trades?: number };
  risk_limits?: { max_drawdown_pct?: number };
  date_range?: { start: string; end: string };
  backtest?: { equity?: number; slippage_bps?: number };
  deploy?: { capital: number; settle_coin: 'USDT' | 'USDC'; dcp_window: number };
}

// ---------------------------------------------------------------- conditions

export type CmpOp = '>' | '<' | '>=' | '<=' | '==' | '!=' | 'between' | 'near_pct' | 'near_abs' | 'in' | 'cross_above' | 'cross_below';
export type ArithOp = '+' | '-' | '*' | '/' | '%';
export type WindowOp = 'holds_for' | 'occurred_within' | 'count_true';
export type BuiltinName = 'open' | 'high' | 'low' | 'close' | 'volume' | 'last_price' | 'mark_price' | 'open_interest' | 'funding_rate';

/** A resolved series reference: everything the engine needs to find the column. */
export type ResolvedRef =
  | { source: 'builtin'; name: BuiltinName; type: 'FLOAT' }
  | { source: 'feature'; key: string; field: string; type: OutputType; values?: string[] }
  | { source: 'structure'; key: string; field: string; type: OutputType; values?: string[] };

export type Operand =
  | { kind: 'ref'; ref: ResolvedRef; offset: number }
  | { kind: 'const'; value: Scalar }
  | { kind: 'list'; values: Scalar[] }
  | { kind: 'range'; low: number; high: number }
  | { kind: 'arith'; op: ArithOp; left: Operand; right: Operand };

export type Condition =
  | { kind: 'cmp'; op: CmpOp; lhs: Operand; rhs: Operand; tolerance?: number }
  | { kind: 'all' | 'any'; items: Condition[] }
  | { kind: 'not'; item: Condition }
  | { kind: 'setup'; name: string }
  | {
      kind: 'window';
      op: WindowOp;
      /** Bar form: a (possibly ranged) bar count. */
      bars?: NumParam;
      /** Duration form (`holds_for_duration`): "30m", "4h", "1d". */
      duration?: string;
      min_true?: NumParam;
      anchor_tf?: Interval;
      expr: Condition;
    };

export type ActionName = 'entry_long' | 'entry_short' | 'exit_long' | 'exit_short' | 'exit_all' | 'no_action';

export type MetadataValue = { kind: 'ref'; ref: ResolvedRef } | { kind: 'const'; value: Scalar };

export interface Emit {
  action: ActionName;
  /** Partial exit: percent of the position. */
  percent?: number;
  metadata?: Record<string, MetadataValue>;
}

/** `actions: { entry_long: <condition>, ... }` */
export interface ActionRule {
  action: ActionName;
  when: Condition;
  metadata?: Record<string, MetadataValue>;
}

/** `actions: [ { id, cases: [{ when, emit }], else } ]`: first matching case wins. */
export interface ActionBlock {
  id: string;
  cases: { when: Condition; emit: Emit[] }[];
  else?: { emit: Emit[] };
}

export type Actions = { form: 'rules'; rules: ActionRule[] } | { form: 'blocks'; blocks: ActionBlock[] };
