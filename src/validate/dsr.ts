// Probabilistic and deflated Sharpe ratios (Bailey & López de Prado: "The Sharpe Ratio Efficient Frontier",
// J. of Risk 2012, for PSR; "The Deflated Sharpe Ratio: Correcting for Selection Bias, Backtest Overfitting
// and Non-Normality", J. of Portfolio Management 40(5), 2014, for DSR). Everything is PER PERIOD: Sharpe
// ratios, their variance and T must share one period (convert annual figures with sharpe.ts first).
import { normCdf, normInv } from './normal.ts';

export const EULER_MASCHERONI = 0.5772156649015329;

export interface PsrInput {
  /** Observed Sharpe ratio per period. */
  sharpe: number;
  /** The benchmark Sharpe ratio per period the true one must exceed. */
  benchmark: number;
  /** Number of return observations. */
  observations: number;
  skew: number;
  /** Kurtosis, not excess (normal = 3). */
  kurtosis: number;
}

/** The z statistic inside PSR: (SR − SR*) √(T − 1) / √(1 − γ3 SR + (γ4 − 1)/4 SR²). */
export function psrStatistic(i: PsrInput): number {
  const { sharpe: sr, benchmark, observations: t, skew, kurtosis } = i;
  if (t < 2) return NaN;
  // The variance term can go non-positive for absurd moment combinations; the estimator is then undefined.
  const v = 1 - skew * sr + ((kurtosis - 1) / 4) * sr * sr;
  if (!(v > 0)) return NaN;
  return ((sr - benchmark) * Math.sqrt(t - 1)) / Math.sqrt(v);
}

/** PSR: the probability that the true Sharpe ratio exceeds the benchmark, given the estimate's sampling error. */
export function probabilisticSharpeRatio(i: PsrInput): number {
  return normCdf(psrStatistic(i));
}

/**
 * Expected maximum of N independent Sharpe ratio estimates whose true value is 0 and whose variance across
 * trials is `variance`: √V ((1 − γ) Z⁻¹[1 − 1/N] + γ Z⁻¹[1 − 1/(N e)]) (False Strategy Theorem; γ is
 * Euler–Mascheroni). 0 for a single trial: nothing was selected.
 */
export function expectedMaxSharpe(trials: number, variance: number): number {
  if (!(trials > 1) || !(variance > 0)) return 0;
  const z = (1 - EULER_MASCHERONI) * normInv(1 - 1 / trials) + EULER_MASCHERONI * normInv(1 - 1 / (trials * Math.E));
  return Math.sqrt(variance) * z;
}

export interface DsrInput {
  /** Sharpe ratio per period of the selected strategy, in the sample it was selected on. */
  sharpe: number;
  observations: number;
  skew: number;
  kurtosis: number;
  /** Number of independent trials the selection was made from. */
  trials: number;
  /** Variance of the per-period Sharpe ratios across those trials. */
  trialsVariance: number;
}

export interface DsrResult {
  /** The deflated Sharpe ratio: PSR against the expected maximum of `trials` skill-less trials. */
  dsr: number;
  /** That benchmark, SR₀, per period. */
  expectedMaxSharpe: number;
  z: number;
}

export function deflatedSharpeRatio(i: DsrInput): DsrResult {
  const sr0 = expectedMaxSharpe(i.trials, i.trialsVariance);
  const z = psrStatistic({ sharpe: i.sharpe, benchmark: sr0, observations: i.observations, skew: i.skew, kurtosis: i.kurtosis });
  return { dsr: normCdf(z), expectedMaxSharpe: sr0, z };
}

/**
 * The effective number of independent trials when trials are correlated (average pairwise correlation ρ̄):
 * ρ̄ + (1 − ρ̄) N, between 1 (all identical) and N (independent). Reported beside the raw count.
 */
export function effectiveTrials(trials: number, meanCorrelation: number): number {
  const rho = Math.min(1, Math.max(0, meanCorrelation));
  return rho + (1 - rho) * trials;
}

/**
 * Minimum track record length (Bailey & López de Prado 2012): the number of observations needed for PSR
 * to reach `confidence` against the benchmark. Infinity when the Sharpe ratio does not beat it.
 */
export function minTrackRecordLength(i: Omit<PsrInput, 'observations'>, confidence = 0.95): number {
  const { sharpe: sr, benchmark, skew, kurtosis } = i;
  if (sr <= benchmark) return Infinity;
  const v = 1 - skew * sr + ((kurtosis - 1) / 4) * sr * sr;
  const z = normInv(confidence);
  return 1 + (v * z * z) / ((sr - benchmark) * (sr - benchmark));
}
