// One backtest of a concrete play on market data: compile, run the bar loop, measure.
import { intervalMs } from '../data/index.ts';
import type { Play } from '../dsl/index.ts';
import { runBacktest } from './backtest/run.ts';
import { executionSpecOf } from './backtest/spec.ts';
import type { BacktestResult } from './backtest/types.ts';
import { compilePlay, type CompiledPlay, type FeatureCache } from './compile/index.ts';
import type { MarketData } from './market-data.ts';
import { syntheticDataForPlay, type SyntheticData, type SyntheticPlayOptions } from './synthetic/index.ts';
import { computeMetrics, type Metrics } from './metrics.ts';

export interface PlayBacktest {
  result: BacktestResult;
  metrics: Metrics;
  compiled: CompiledPlay;
  timings: { indicatorsMs: number; structuresMs: number; conditionsMs: number; loopMs: number };
}

export function backtestPlay(play: Play, data: MarketData, opts: { cache?: FeatureCache } = {}): PlayBacktest {
  const compiled = compilePlay(play, data, { cache: opts.cache });
  const spec = executionSpecOf(play);
  const t0 = performance.now();
  const result = runBacktest(compiled, spec, { funding: data.funding, subCandles: data.subCandles });
  const loopMs = performance.now() - t0;
  const metrics = computeMetrics({
    equity: result.equity,
    startingEquity: result.startingEquity,
    trades: result.trades,
    inPosition: result.inPosition,
    barMs: intervalMs(data.execInterval),
    totalFees: result.totalFees,
    totalFunding: result.totalFunding,
  });
  return { result, metrics, compiled, timings: { ...compiled.timings, loopMs } };
}

/** Seeded synthetic candles for the play's `synthetic:`/`validation:` pattern, as market data (no funding). */
export function syntheticMarketData(play: Play, opts: SyntheticPlayOptions = {}): MarketData & { synthetic: SyntheticData } {
  const synthetic = syntheticDataForPlay(play, opts);
  return {
    dataset: { exchange: 'synthetic', symbol: play.symbol, interval: synthetic.interval },
    exec: synthetic.candles,
    execInterval: synthetic.interval,
    synthetic,
  };
}
