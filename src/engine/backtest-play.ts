// One backtest of a concrete play on market data: compile, run the bar loop, measure.
import { defineLazy } from '../common/index.ts';
import { intervalMs } from '../data/index.ts';
import type { Play } from '../dsl/index.ts';
import { runBacktest, simulate } from './backtest/run.ts';
import { executionSpecOf } from './backtest/spec.ts';
import type { BacktestResult } from './backtest/types.ts';
import { compilePlay, type ColumnScratch, type CompiledPlay, type FeatureCache } from './compile/index.ts';
import type { MarketData } from './market-data.ts';
import { syntheticDataForPlay, type SyntheticData, type SyntheticPlayOptions } from './synthetic/index.ts';
import { metricsFromStats, type Metrics } from './metrics.ts';

export interface PlayBacktest {
  result: BacktestResult;
  metrics: Metrics;
  compiled: CompiledPlay;
  timings: { indicatorsMs: number; structuresMs: number; conditionsMs: number; loopMs: number };
}

/**
 * The run measures its equity curve and its trades' sums as it goes (metrics need neither the curve nor the
 * trade list), and `result.equity`, `result.inPosition` and `result.trades` are built on first access by
 * running the same deterministic loop again with recording on: a population scored by metrics never
 * allocates 9 bytes per bar nor a row per trade for lists nobody reads.
 */
export function backtestPlay(play: Play, data: MarketData, opts: { cache?: FeatureCache } = {}): PlayBacktest {
  const compiled = compilePlay(play, data, { cache: opts.cache });
  const { sim, metrics, spec, runOpts, loopMs } = measure(play, compiled, data);
  let recorded: BacktestResult | undefined;
  const curves = (): BacktestResult => (recorded ??= runBacktest(compiled, spec, runOpts));
  const r = sim.result;
  // Every field but the lazy ones copied by name (the measured run kept only its trades' sums); the lazy ones
  // through defineLazy, not getter closures (see lazy-props.ts). Keys in BacktestResult's order.
  const lazy = (key: string) => curves()[key as 'trades' | 'equity' | 'inPosition'];
  const result = defineLazy({}, ['trades'], lazy) as BacktestResult;
  Object.assign(result, { startingEquity: r.startingEquity, finalEquity: r.finalEquity, totalFees: r.totalFees, totalFunding: r.totalFunding, haltedAtBar: r.haltedAtBar });
  defineLazy(result, ['equity', 'inPosition'], lazy);
  return { result, metrics, compiled, timings: { ...compiled.timings, loopMs } };
}

export interface PlayScore {
  metrics: Metrics;
  timings: PlayBacktest['timings'];
}

/**
 * A backtest that only yields its metrics (a population member's score): its condition and signal columns are
 * borrowed from `scratch` and handed back before it returns, since nothing of the compiled play outlives it.
 */
export function scorePlay(play: Play, data: MarketData, opts: { cache?: FeatureCache; scratch: ColumnScratch }): PlayScore {
  try {
    const compiled = compilePlay(play, data, { cache: opts.cache, scratch: opts.scratch });
    const { metrics, loopMs } = measure(play, compiled, data);
    return { metrics, timings: { ...compiled.timings, loopMs } };
  } finally {
    opts.scratch.release();
  }
}

/** The unrecorded run of a compiled play and its metrics. */
function measure(play: Play, compiled: CompiledPlay, data: MarketData) {
  const spec = executionSpecOf(play);
  const runOpts = { funding: data.funding, subCandles: data.subCandles };
  const t0 = performance.now();
  const sim = simulate(compiled, spec, runOpts, false);
  const loopMs = performance.now() - t0;
  const r = sim.result;
  const metrics = metricsFromStats(sim.stats, {
    startingEquity: r.startingEquity,
    trades: sim.tradeSums,
    barMs: intervalMs(data.execInterval),
    totalFees: r.totalFees,
    totalFunding: r.totalFunding,
    bars: compiled.n,
    finalEquity: r.finalEquity,
  });
  return { sim, metrics, spec, runOpts, loopMs };
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
