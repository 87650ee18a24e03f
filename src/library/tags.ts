// Tags a vetted play earns from its evidence, not from what its author called it:
// - regime: where its returns came from (validate's regime split of training + holdout bars): `trending` or
//   `ranging` by the better Sharpe ratio, `regime_adaptive` when it reads a regime detector (trend,
//   hmm_regime) and earns in both;
// - asset, exchange and interval from the dataset;
// - timeframe class from the average holding time: `scalp` (< 1 h), `intraday` (< 1 day), `swing`;
// - risk profile: `conservative` when leverage <= 3 and the drawdown evidence (holdout, Monte Carlo 30-day
//   95th percentile) stays within 15 %, else `aggressive`.
import { parseDatasetId } from '../data/index.ts';
import type { Play } from '../dsl/index.ts';
import { executionSpecOf } from '../engine/index.ts';
import type { RegimeSplit, ValidationReport } from '../validate/index.ts';

export type Regime = 'trending' | 'ranging' | 'regime_adaptive';
export type TimeframeClass = 'scalp' | 'intraday' | 'swing';
export type RiskProfile = 'aggressive' | 'conservative';

export const REGIMES: readonly Regime[] = ['trending', 'ranging', 'regime_adaptive'];
export const TIMEFRAME_CLASSES: readonly TimeframeClass[] = ['scalp', 'intraday', 'swing'];
export const RISK_PROFILES: readonly RiskProfile[] = ['aggressive', 'conservative'];

export const HOUR_MS = 3_600_000;
/** Thresholds of the classification, documented in docs/validation.md. */
export const TAG_RULES = Object.freeze({
  scalpMaxHoldingMs: HOUR_MS,
  intradayMaxHoldingMs: 24 * HOUR_MS,
  conservativeMaxLeverage: 3,
  conservativeMaxDrawdownPct: 15,
  /** A bucket with fewer than this share of the classed bars is too thin to call the play's regime. */
  minBucketShare: 0.05,
});

export interface PlayTags {
  regime: Regime;
  asset: string;
  exchange: string;
  interval: string;
  timeframeClass: TimeframeClass;
  riskProfile: RiskProfile;
  leverage: number;
  /** The drawdown the risk profile was judged on, %. */
  drawdownPct: number;
  /** `key:value` strings, as stored and queried. */
  tags: string[];
}

const REGIME_DETECTORS = new Set(['trend', 'hmm_regime']);

export function regimeOf(split: RegimeSplit, readsRegimeDetector: boolean): Regime {
  const { trending: t, ranging: r } = split;
  const total = t.bars + r.bars;
  const thick = (bars: number) => total > 0 && bars / total >= TAG_RULES.minBucketShare;
  const tSharpe = thick(t.bars) ? t.sharpe : -Infinity;
  const rSharpe = thick(r.bars) ? r.sharpe : -Infinity;
  if (readsRegimeDetector && tSharpe > 0 && rSharpe > 0) return 'regime_adaptive';
  return tSharpe >= rSharpe ? 'trending' : 'ranging';
}

export function timeframeClassOf(avgHoldingMs: number): TimeframeClass {
  if (avgHoldingMs < TAG_RULES.scalpMaxHoldingMs) return 'scalp';
  if (avgHoldingMs < TAG_RULES.intradayMaxHoldingMs) return 'intraday';
  return 'swing';
}

export function riskProfileOf(leverage: number, drawdownPct: number): RiskProfile {
  return leverage <= TAG_RULES.conservativeMaxLeverage && drawdownPct <= TAG_RULES.conservativeMaxDrawdownPct ? 'conservative' : 'aggressive';
}

/** The base asset of a linear perpetual symbol: BTCUSDT -> btc. */
export function baseAsset(symbol: string): string {
  return symbol.replace(/(USDT|USDC|USD|PERP)$/i, '').toLowerCase() || symbol.toLowerCase();
}

/** Tags of a concrete play from its validation report. */
export function deriveTags(play: Play, report: ValidationReport): PlayTags {
  const ds = parseDatasetId(report.dataset);
  const readsDetector = play.structures.some((s) => REGIME_DETECTORS.has(s.type));
  const regime = regimeOf(report.regimes, readsDetector);
  const holdout = report.holdoutMetrics;
  const holding = holdout && holdout.trades > 0 ? holdout.avgHoldingMs : report.training.avgHoldingMs;
  const timeframeClass = timeframeClassOf(holding);
  const leverage = executionSpecOf(play).leverage;
  const mc30 = report.monteCarlo?.blocks.horizons.find((h) => h.horizonDays === 30);
  const drawdownPct = Math.max(holdout?.maxDrawdownPct ?? report.training.maxDrawdownPct, mc30?.maxDrawdownPct.p95 ?? 0);
  const riskProfile = riskProfileOf(leverage, drawdownPct);
  return {
    regime, asset: ds.symbol, exchange: ds.exchange, interval: ds.interval, timeframeClass, riskProfile, leverage, drawdownPct,
    tags: [`regime:${regime}`, `asset:${ds.symbol}`, `exchange:${ds.exchange}`, `interval:${ds.interval}`, `timeframe:${timeframeClass}`, `risk:${riskProfile}`],
  };
}
