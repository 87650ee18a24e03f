// Public surface of the engine stage; other stages import only from here.
export { ColumnScratch } from './compile/index.ts';
export { compilePlay, execIntervalOf, withExecInterval, FeatureCache, canonicalKey, DEFAULT_CACHE_BYTES, barCloseTimes, lastClosedIndex, forwardFill, SIGNAL_NAMES, EXIT_NAMES } from './compile/index.ts';
export type { CompiledPlay, PlayData, SignalName, ExitName, FiredAction, CompileTimings, CompileOptions, FeatureCacheStats } from './compile/index.ts';
export { builtinsRead, loadPlayData, dataWindowColumns, writeDataWindowCsv } from './compile/index.ts';
export type { LoadedPlayData, DataWindowColumn } from './compile/index.ts';
export { runBacktest, simulate, type BacktestOptions, type Simulation } from './backtest/run.ts';
export { executionSpecOf, type ExecutionSpec } from './backtest/spec.ts';
export { decide, exitShare, EXIT, ENTER_LONG, ENTER_SHORT, type StepPolicy } from './backtest/step.ts';
export type { BacktestResult, Trade, ExitReason, StrategyInput, Signals, ExitPercents } from './backtest/types.ts';
export { computeMetrics, equityStats, metricsFromStats, type EquityStats, type Metrics, type MetricsInput } from './metrics.ts';
export { loadBacktestData, sliceMarketData, type MarketData, type BacktestData, type LoadBacktestOptions } from './market-data.ts';
export { backtestPlay, scorePlay, syntheticMarketData, type PlayBacktest, type PlayScore } from './backtest-play.ts';
export * from './synthetic/index.ts';
