// The compiler's contract with the bar loop (INTERFACES.md, "Play compiler"): what a compiled play exposes.
import type { Candles } from '../../data/index.ts';
import type { ActionName, Interval, Play } from '../../dsl/index.ts';

/** Market data a play is compiled against. */
export interface PlayData {
  /** Bars of the execution timeframe (the play's `timeframes.exec` role). */
  exec: Candles;
  execInterval: Interval;
  /**
   * Candles of other timeframes (e.g. loaded from the store). A slower timeframe missing here is built by
   * resampling `exec` (complete buckets only); a faster one must be given.
   */
  candlesByInterval?: Partial<Record<Interval, Candles>>;
  /** Per exec bar: the funding rate settled inside that bar, NaN when none (data's `alignFunding`). */
  funding?: Float64Array;
}

/** The five actions a bar can signal (`no_action` signals nothing). */
export type SignalName = Exclude<ActionName, 'no_action'>;
export const SIGNAL_NAMES: readonly SignalName[] = ['entry_long', 'entry_short', 'exit_long', 'exit_short', 'exit_all'];
export type ExitName = 'exit_long' | 'exit_short' | 'exit_all';
export const EXIT_NAMES: readonly ExitName[] = ['exit_long', 'exit_short', 'exit_all'];

export interface FiredAction {
  action: SignalName;
  /** Percent of the position for exits (100 unless emitted with `percent:`); 100 for entries. */
  percent: number;
}

export interface CompileTimings {
  indicatorsMs: number;
  structuresMs: number;
  conditionsMs: number;
}

export interface CompiledPlay {
  play: Play;
  /** Exec bars. */
  n: number;
  exec: Candles;
  execInterval: Interval;
  /**
   * Exec-aligned column of a reference as written in conditions ("ema_fast", "macd.histogram", "regime.state",
   * "fib.level[0.618]", "med_tf_4h.ms_4h.direction", "close"), `offset` bars back (bars of the reference's own
   * timeframe). Slower-timeframe values are forward-filled from their last CLOSED bar. ENUM columns hold codes
   * (`enumValues` gives the labels). The array may be shared with other plays through the cache: never write to it.
   */
  column(refText: string, offset?: number): Float64Array;
  /** Every feature output and public structure field, as `key` (single output) or `key.field`. */
  columnNames(): string[];
  enumValues(refText: string): readonly string[] | undefined;
  /** Per exec bar: 1 when the action fires at that bar's close (cases: first match; setups cached). */
  signals: Record<SignalName, Uint8Array>;
  /**
   * Percent of the position for exits emitted with `percent:` (100 elsewhere). Read-only: exits without any
   * partial emit share one all-100 column.
   */
  exitPercent: Record<ExitName, Float64Array>;
  /** True when no exit is emitted with a partial `percent:` (every exitPercent column is all 100). */
  wholeExits: boolean;
  /**
   * Condition values per bar (1 true, 0 false or unknown): `setup.<name>` for every setup, `when.<action>` for
   * every rule, `<block id>.case[<k>]` for every case of an action block.
   */
  conditionColumns(): Record<string, Uint8Array>;
  /** Scalar path for paper/live: the actions at bar i, reading only columns[0..i]; equals signals[..][i]. */
  actionsAt(i: number): FiredAction[];
  /** First exec bar at which every feature and structure the play reads (with its offsets and windows) is warm. */
  warmupBars: number;
  timings: CompileTimings;
}
