// A backtest run: the bar loop (bar-loop.ts, docs/engine.md §1) recorded or only measured.
import { defineLazy } from '../../common/index.ts';
import type { Candles } from '../../data/index.ts';
import type { EquityStats } from '../metrics.ts';
import { BarLoop } from './bar-loop.ts';
import type { ExecutionSpec } from './spec.ts';
import type { TradeSums } from './trade-log.ts';
import type { BacktestResult, StrategyInput } from './types.ts';

export interface BacktestOptions {
  /** Per exec bar funding rate (NaN where no settlement falls in the bar). */
  funding?: Float64Array;
  /** Finer candles of the same market: stops, targets and limit fills are replayed on them. */
  subCandles?: Candles;
  /** false: never take the fused signal loop (signal-held.ts), for tests that hold it to the bar step. */
  signalLoop?: boolean;
}

export function runBacktest(strategy: StrategyInput, spec: ExecutionSpec, opts: BacktestOptions = {}): BacktestResult {
  const sim = simulate(strategy, spec, opts, true);
  return { ...sim.result, equity: sim.equity!, inPosition: sim.inPosition! };
}

/** A run: the result without the per-bar arrays, the curve's statistics, and the arrays when recorded. */
export interface Simulation {
  /**
   * `trades` is built when first read from a recorded run's columns (TradeLog); a measured run keeps only
   * `tradeSums`, and reading its `trades` throws ENGINE_TRADES_NOT_RECORDED.
   */
  result: Omit<BacktestResult, 'equity' | 'inPosition'>;
  /** What the metrics read of the trades. */
  tradeSums: TradeSums;
  stats: EquityStats;
  equity?: Float64Array;
  inPosition?: Uint8Array;
}

/**
 * The bar loop. With `record` it stores the equity curve and the in-position flags; without, it only
 * measures them (EquityTrack), which is all a backtest scored by its metrics needs.
 */
export function simulate(strategy: StrategyInput, spec: ExecutionSpec, opts: BacktestOptions, record: boolean): Simulation {
  const loop = new BarLoop(strategy, spec, { funding: opts.funding, subCandles: opts.subCandles, record, signalLoop: opts.signalLoop });
  loop.run();
  const acc = loop.acc;
  // `trades` read through defineLazy, not a getter closure per run (which kept each run's account alive until
  // a full GC: see lazy-props.ts).
  const result = Object.assign(defineLazy({}, ['trades'], () => acc.trades), {
    startingEquity: spec.startingEquity,
    finalEquity: loop.lastEquity,
    totalFees: acc.totalFees,
    totalFunding: acc.totalFunding,
    haltedAtBar: loop.haltedAtBar,
  }) as Simulation['result'];
  return {
    result,
    tradeSums: acc.log.sums(),
    stats: loop.track,
    equity: loop.equity,
    inPosition: loop.inPosition,
  };
}
