// Backtests on time windows of one loaded dataset, the way validation needs them:
// - on a training window, exactly as the evolution saw it: the data cut to the window (warm-up inside it);
// - on a test window (holdout, walk-forward): the data cut at the window's END only, so indicators warm up on
//   the bars before it (the past, known at that time), with no entry before the window's first bar.
// Cutting the data at the window's end makes looking ahead impossible by construction, whatever the play reads.
import { intervalMs, lowerBound } from '../data/index.ts';
import type { Play } from '../dsl/index.ts';
import {
  compilePlay, computeMetrics, executionSpecOf, runBacktest, sliceMarketData, type FeatureCache, type MarketData, type Metrics,
} from '../engine/index.ts';
import type { SegmentResult, TimeWindow } from './walkforward.ts';

/** The bars of `data` with open time in [from, to), every timeframe, funding and finer bars cut alike. */
export const sliceMarket = sliceMarketData;

export interface WindowBacktest {
  segment: SegmentResult;
  metrics: Metrics;
  /** Bars the play could not trade at the window's start because its indicators were still warming up. */
  coldBars: number;
}

/**
 * Backtest a concrete play over `window` on data that ends there (`upToEnd` = sliceMarket(data, { from:
 * dataStart, to: window.to }), made once per window and shared by every genome tried on it). Entries start at
 * the window's first bar, or later if the play is not warm yet.
 */
export function backtestWindow(play: Play, upToEnd: MarketData, window: TimeWindow, cache?: FeatureCache): WindowBacktest {
  const compiled = compilePlay(play, upToEnd, { cache });
  const spec = executionSpecOf(play);
  const ts = compiled.exec.ts;
  const first = lowerBound(ts, window.from);
  const n = lowerBound(ts, window.to);
  const warm = Math.max(compiled.warmupBars, first);
  // The bar loop reads the strategy through this view: same columns, entries held back until `warm`.
  const view = {
    n, exec: compiled.exec, signals: compiled.signals, exitPercent: compiled.exitPercent, warmupBars: warm,
    column: (ref: string) => compiled.column(ref),
  };
  const result = runBacktest(view, spec, { funding: upToEnd.funding, subCandles: upToEnd.subCandles });
  const equity = result.equity.slice(first, n);
  const inPosition = result.inPosition.slice(first, n);
  const segment: SegmentResult = {
    ts: ts.slice(first, n), equity, startingEquity: result.startingEquity, trades: result.trades, inPosition,
    totalFees: result.totalFees, totalFunding: result.totalFunding,
  };
  const metrics = computeMetrics({
    equity, startingEquity: result.startingEquity, trades: result.trades, inPosition,
    barMs: intervalMs(upToEnd.execInterval), totalFees: result.totalFees, totalFunding: result.totalFunding,
  });
  return { segment, metrics, coldBars: warm - first };
}
