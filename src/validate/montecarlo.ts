// Monte Carlo expected ranges: what a play's return, drawdown and trade frequency should look like over a
// 7-day and a 30-day horizon if the future resembles its out-of-sample past. Two resamplings, both seeded:
// - trades: draw the number of trades from a Poisson law at the observed rate, and that many trade returns
//   with replacement, compounding them (closed-trade equity; ignores clustering and intra-trade drawdown);
// - blocks: the stationary bootstrap of Politis & Romano (1994) over per-bar equity returns, blocks of
//   geometric length, so volatility clusters, holding periods and intra-trade drawdowns survive.
// The ranges (5th-95th percentile) are stored with a vetted play; the demo gate checks live results
// against them (withinExpectedRanges).
import { PlayforgeError } from '../common/errors.ts';
import { createRng, type Rng } from '../common/rng.ts';
import { VALIDATE_INPUT, VALIDATE_TOO_FEW_OBSERVATIONS } from './errors.ts';
import { DAY_MS } from './sharpe.ts';

export const DEFAULT_HORIZONS_DAYS: readonly number[] = [7, 30];
export const DEFAULT_SIMULATIONS = 2000;

export interface Percentiles {
  p5: number;
  p50: number;
  p95: number;
}

export interface HorizonRange {
  horizonDays: number;
  returnPct: Percentiles;
  /** Peak-to-trough drawdown within the horizon, in % (positive numbers). */
  maxDrawdownPct: Percentiles;
  tradesPerWeek: Percentiles;
  /** Share of simulated horizons that end below their start. */
  probLoss: number;
}

export interface MonteCarloRanges {
  method: 'trades' | 'blocks';
  simulations: number;
  seed: number;
  /** How much history the resampling drew from. */
  sample: { days: number; trades: number; bars?: number; meanBlockBars?: number };
  horizons: HorizonRange[];
}

/** Percentile by linear interpolation between order statistics (Hyndman & Fan type 7, numpy's default). */
export function percentile(sorted: ArrayLike<number>, q: number): number {
  const n = sorted.length;
  if (n === 0) return NaN;
  const h = (n - 1) * q;
  const lo = Math.floor(h);
  const hi = Math.min(lo + 1, n - 1);
  return sorted[lo] + (h - lo) * (sorted[hi] - sorted[lo]);
}

function percentiles(values: Float64Array): Percentiles {
  const s = Float64Array.from(values).sort();
  return { p5: percentile(s, 0.05), p50: percentile(s, 0.5), p95: percentile(s, 0.95) };
}

/** Poisson draw by inversion; large means are split into chunks so e^-mean never underflows. */
export function poisson(rng: Rng, mean: number): number {
  let total = 0;
  let left = mean;
  while (left > 0) {
    const m = Math.min(left, 500);
    left -= m;
    let k = 0;
    let p = Math.exp(-m);
    let cdf = p;
    const u = rng.next();
    while (u > cdf && k < 100_000) {
      k++;
      p *= m / k;
      cdf += p;
    }
    total += k;
  }
  return total;
}

function checkCommon(horizons: readonly number[], simulations: number): void {
  if (!horizons.length || horizons.some((h) => !(h > 0))) throw new PlayforgeError(VALIDATE_INPUT, 'Monte Carlo horizons must be positive numbers of days', { path: 'horizons' });
  if (!Number.isInteger(simulations) || simulations < 100) throw new PlayforgeError(VALIDATE_INPUT, `Monte Carlo needs at least 100 simulations, got ${simulations}`, { path: 'simulations' });
}

export interface TradeBootstrapInput {
  /** Trade returns in % of equity at entry (the engine's Trade.returnPct). */
  tradeReturnsPct: readonly number[];
  /** Length of the history the trades come from, in days (sets the trade rate). */
  sampleDays: number;
  horizonsDays?: readonly number[];
  simulations?: number;
  seed: number;
}

export function tradeBootstrap(input: TradeBootstrapInput): MonteCarloRanges {
  const horizons = input.horizonsDays ?? DEFAULT_HORIZONS_DAYS;
  const sims = input.simulations ?? DEFAULT_SIMULATIONS;
  checkCommon(horizons, sims);
  const trades = input.tradeReturnsPct;
  if (trades.length === 0) throw new PlayforgeError(VALIDATE_TOO_FEW_OBSERVATIONS, 'the trade bootstrap needs at least one trade');
  if (!(input.sampleDays > 0)) throw new PlayforgeError(VALIDATE_INPUT, 'sampleDays must be positive', { path: 'sampleDays' });
  const rate = trades.length / input.sampleDays;
  const rng = createRng(input.seed);
  const out: HorizonRange[] = horizons.map((days) => {
    const ret = new Float64Array(sims), dd = new Float64Array(sims), perWeek = new Float64Array(sims);
    let losses = 0;
    for (let s = 0; s < sims; s++) {
      const k = poisson(rng, rate * days);
      let e = 1, peak = 1, worst = 0;
      for (let i = 0; i < k; i++) {
        e *= 1 + trades[rng.int(trades.length)] / 100;
        if (e > peak) peak = e;
        else if (1 - e / peak > worst) worst = 1 - e / peak;
      }
      ret[s] = (e - 1) * 100;
      dd[s] = worst * 100;
      perWeek[s] = (k * 7) / days;
      if (e < 1) losses++;
    }
    return { horizonDays: days, returnPct: percentiles(ret), maxDrawdownPct: percentiles(dd), tradesPerWeek: percentiles(perWeek), probLoss: losses / sims };
  });
  return { method: 'trades', simulations: sims, seed: input.seed, sample: { days: input.sampleDays, trades: trades.length }, horizons: out };
}

export interface BlockBootstrapInput {
  /** Per-bar equity returns (fractions), oldest first. */
  returns: ArrayLike<number>;
  /** 1 on the bars where a trade was entered (for trades per week); optional. */
  entries?: ArrayLike<number>;
  barMs: number;
  /** Mean block length in bars (default: one day of bars, at least 1). */
  meanBlockBars?: number;
  horizonsDays?: readonly number[];
  simulations?: number;
  seed: number;
}

export function blockBootstrap(input: BlockBootstrapInput): MonteCarloRanges {
  const horizons = input.horizonsDays ?? DEFAULT_HORIZONS_DAYS;
  const sims = input.simulations ?? DEFAULT_SIMULATIONS;
  checkCommon(horizons, sims);
  const r = input.returns;
  const n = r.length;
  if (n < 2) throw new PlayforgeError(VALIDATE_TOO_FEW_OBSERVATIONS, 'the block bootstrap needs at least 2 bars of returns');
  if (input.entries && input.entries.length !== n) throw new PlayforgeError(VALIDATE_INPUT, 'entries must have one value per bar of returns', { path: 'entries' });
  if (!(input.barMs > 0)) throw new PlayforgeError(VALIDATE_INPUT, 'barMs must be positive', { path: 'barMs' });
  const block = Math.max(1, input.meanBlockBars ?? Math.round(DAY_MS / input.barMs));
  const pNew = 1 / block;
  const entries = input.entries;
  let totalTrades = 0;
  if (entries) for (let i = 0; i < n; i++) totalTrades += entries[i];
  const rng = createRng(input.seed);
  const out: HorizonRange[] = horizons.map((days) => {
    const bars = Math.max(1, Math.round((days * DAY_MS) / input.barMs));
    const ret = new Float64Array(sims), dd = new Float64Array(sims), perWeek = new Float64Array(sims);
    let losses = 0;
    for (let s = 0; s < sims; s++) {
      let idx = rng.int(n);
      let e = 1, peak = 1, worst = 0, k = 0;
      for (let b = 0; b < bars; b++) {
        // Politis-Romano: continue the block (wrapping around) or, with probability 1/L, jump anywhere.
        if (b > 0) idx = rng.next() < pNew ? rng.int(n) : (idx + 1) % n;
        e *= 1 + r[idx];
        if (entries) k += entries[idx];
        if (e > peak) peak = e;
        else if (1 - e / peak > worst) worst = 1 - e / peak;
      }
      ret[s] = (e - 1) * 100;
      dd[s] = worst * 100;
      perWeek[s] = (k * 7) / days;
      if (e < 1) losses++;
    }
    return { horizonDays: days, returnPct: percentiles(ret), maxDrawdownPct: percentiles(dd), tradesPerWeek: percentiles(perWeek), probLoss: losses / sims };
  });
  const sampleDays = (n * input.barMs) / DAY_MS;
  return { method: 'blocks', simulations: sims, seed: input.seed, sample: { days: sampleDays, trades: totalTrades, bars: n, meanBlockBars: block }, horizons: out };
}

export interface LiveResult {
  days: number;
  returnPct: number;
  maxDrawdownPct: number;
  trades: number;
}

export interface RangeCheck {
  metric: 'returnPct' | 'maxDrawdownPct' | 'tradesPerWeek';
  value: number;
  low: number;
  high: number;
  within: boolean;
}

/**
 * Compare live (demo) results with the expected ranges of the horizon they match (the shortest horizon
 * at least as long as the live run, else the longest). A return below the 5th percentile, a drawdown above
 * the 95th, or a trade frequency outside 5th-95th is out of range; better-than-expected is not penalised.
 */
export function withinExpectedRanges(ranges: MonteCarloRanges, live: LiveResult): { horizonDays: number; checks: RangeCheck[]; within: boolean } {
  const sorted = [...ranges.horizons].sort((a, b) => a.horizonDays - b.horizonDays);
  const h = sorted.find((x) => x.horizonDays >= live.days) ?? sorted[sorted.length - 1];
  const perWeek = live.days > 0 ? (live.trades * 7) / live.days : 0;
  const checks: RangeCheck[] = [
    { metric: 'returnPct', value: live.returnPct, low: h.returnPct.p5, high: Infinity, within: live.returnPct >= h.returnPct.p5 },
    { metric: 'maxDrawdownPct', value: live.maxDrawdownPct, low: 0, high: h.maxDrawdownPct.p95, within: live.maxDrawdownPct <= h.maxDrawdownPct.p95 },
    { metric: 'tradesPerWeek', value: perWeek, low: h.tradesPerWeek.p5, high: h.tradesPerWeek.p95, within: perWeek >= h.tradesPerWeek.p5 && perWeek <= h.tradesPerWeek.p95 },
  ];
  return { horizonDays: h.horizonDays, checks, within: checks.every((c) => c.within) };
}
