// What the bar loop reads (a compiled play satisfies it) and what it returns.
import type { Candles } from '../../data/index.ts';

/** Per-bar action signals at the bar's close; exitPercent is 100 except for partial exits. */
export interface Signals {
  entry_long: Uint8Array;
  entry_short: Uint8Array;
  exit_long: Uint8Array;
  exit_short: Uint8Array;
  exit_all: Uint8Array;
}

export interface ExitPercents {
  exit_long: Float64Array;
  exit_short: Float64Array;
  exit_all: Float64Array;
}

/** The part of a compiled play the bar loop needs. */
export interface StrategyInput {
  n: number;
  exec: Candles;
  signals: Signals;
  exitPercent: ExitPercents;
  warmupBars: number;
  /** True when every exit closes the whole position (exitPercent is 100 at every bar): the loop then never reads it. */
  wholeExits?: boolean;
  /** Exec-aligned column by reference text (ATR for stops, swing levels for structure stops). */
  column(refText: string): Float64Array;
}

export type ExitReason =
  | 'signal'
  | 'stop_loss'
  | 'take_profit'
  | 'trailing_stop'
  | 'break_even'
  | 'liquidation'
  | 'max_drawdown'
  | 'end_of_data';

export interface Trade {
  side: 'long' | 'short';
  entryBar: number;
  entryTs: number;
  entryPrice: number;
  exitBar: number;
  exitTs: number;
  /** Quantity-weighted average exit price over partial and final exits. */
  exitPrice: number;
  quantity: number;
  notional: number;
  margin: number;
  fees: number;
  funding: number;
  /** Net of fees and funding, in USDT. */
  pnl: number;
  /** pnl / equity at entry. */
  returnPct: number;
  exitReason: ExitReason;
  barsHeld: number;
}

export interface BacktestResult {
  trades: Trade[];
  /** Equity marked at each bar's close (length n). */
  equity: Float64Array;
  /** 1 where a position was open at the bar's close. */
  inPosition: Uint8Array;
  startingEquity: number;
  finalEquity: number;
  totalFees: number;
  totalFunding: number;
  /** Set when max_drawdown_pct stopped trading. */
  haltedAtBar?: number;
}
