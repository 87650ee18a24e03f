// Public surface of the validate stage; other stages import only from here.
//
// Contract in short:
// - Statistics are pure and per period: sharpe.ts (moments, Sharpe, annualisation, period returns), dsr.ts
//   (PSR, expected maximum Sharpe, DSR), pbo.ts (CSCV over N columns of T returns, S = 16 by default),
//   montecarlo.ts (trade and stationary block bootstrap, 5th/50th/95th percentiles for 7 and 30 days),
//   walkforward.ts (rolling/anchored windows, injected optimiser, stitched out-of-sample curve), gate.ts
//   (thresholds, a reason per check; docs/validation.md explains the defaults).
// - validateEvolution({ record, play, market }, options) runs them all on one evolution; an EvolutionRecord
//   comes from the warm store through loadEvolutionRecord, or is built in memory.
// - Every random choice takes a seed (default: the evolution's), so a report is reproducible.
export { normCdf, normInv, normPdf } from './normal.ts';
export {
  DAY_MS, YEAR_MS, moments, sharpeRatio, annualiseSharpe, deannualiseSharpe, deannualiseVariance, periodsPerYear, equityReturns, periodReturns,
  type Moments, type PeriodReturns,
} from './sharpe.ts';
export {
  EULER_MASCHERONI, psrStatistic, probabilisticSharpeRatio, expectedMaxSharpe, deflatedSharpeRatio, effectiveTrials, minTrackRecordLength,
  type PsrInput, type DsrInput, type DsrResult,
} from './dsr.ts';
export { probabilityOfBacktestOverfitting, combinations, averageRank, type PboOptions, type PboResult, type PboMetric } from './pbo.ts';
export {
  DEFAULT_HORIZONS_DAYS, DEFAULT_SIMULATIONS, percentile, poisson, tradeBootstrap, blockBootstrap, withinExpectedRanges,
  type Percentiles, type HorizonRange, type MonteCarloRanges, type TradeBootstrapInput, type BlockBootstrapInput, type LiveResult, type RangeCheck,
} from './montecarlo.ts';
export {
  walkForwardWindows, stitchSegments, runWalkForward,
  type TimeWindow, type WalkForwardWindow, type WalkForwardMode, type WindowSpec, type SegmentResult, type WalkForwardCallbacks,
  type WalkForwardSegment, type StitchedCurve, type WalkForwardResult, type WalkForwardOptions,
} from './walkforward.ts';
export {
  DEFAULT_GATE_THRESHOLDS, evaluateGate, parseGateThresholds,
  type GateThresholds, type GateEvidence, type GateCheck, type GateStatus, type GateVerdict,
} from './gate.ts';
export { sliceMarket, backtestWindow, type WindowBacktest } from './market.ts';
export { efficiencyRatio, RegimeSplitter, type RegimeSplit, type RegimeBucket, type RegimeSplitOptions } from './regimes.ts';
export { gaSearch, randomSearch, sharpeScore, canonicalGenomeKey, type GaSearchOptions, type RandomSearchOptions, type OptimiseResult } from './optimise.ts';
export { buildTrialMatrix, sampleTrials, meanCorrelation, type TrialMatrix } from './trials.ts';
export { distinctTrials, winnersOf, type EvolutionRecord, type TrialRecord } from './evolution-record.ts';
export {
  validateEvolution,
  type ValidationInput, type ValidationOptions, type ValidationReport, type WinnerReport, type DsrReport, type PboReport,
  type WalkForwardReport, type WalkForwardOptimiser,
} from './pipeline.ts';
export {
  loadEvolutionRecord, saveValidationReport, loadValidationReport, toJsonSafe, fromJsonSafe,
  type LoadEvolutionOptions, type StoredReport, type StoredValidationReport,
} from './evolution-store.ts';
export * from './errors.ts';
