// Per-period Sharpe ratios and the return moments PSR/DSR need, plus the conversions between bars,
// calendar periods and years. Pure numbers; risk-free rate 0 (crypto perpetuals, as in docs/engine.md §8).

export const DAY_MS = 24 * 3600 * 1000;
export const YEAR_MS = 365 * DAY_MS;

export interface Moments {
  n: number;
  mean: number;
  /** Sample standard deviation (n - 1 in the denominator). */
  sd: number;
  /** Skewness m3 / m2^1.5 (population moments, as in the DSR paper's code). 0 for a constant series. */
  skew: number;
  /** Kurtosis m4 / m2^2, NOT excess: a normal distribution has 3. 3 for a constant series. */
  kurtosis: number;
}

export function moments(xs: ArrayLike<number>): Moments {
  const n = xs.length;
  if (n === 0) return { n: 0, mean: 0, sd: 0, skew: 0, kurtosis: 3 };
  let sum = 0;
  for (let i = 0; i < n; i++) sum += xs[i];
  const mean = sum / n;
  let m2 = 0, m3 = 0, m4 = 0;
  for (let i = 0; i < n; i++) {
    const d = xs[i] - mean;
    const d2 = d * d;
    m2 += d2;
    m3 += d2 * d;
    m4 += d2 * d2;
  }
  const sd = n > 1 ? Math.sqrt(m2 / (n - 1)) : 0;
  m2 /= n;
  m3 /= n;
  m4 /= n;
  // A series with no spread (a strategy that never traded) has no shape: treat it as normal.
  const flat = m2 <= 1e-300 || m2 <= mean * mean * 1e-24;
  return {
    n,
    mean,
    sd,
    skew: flat ? 0 : m3 / Math.pow(m2, 1.5),
    kurtosis: flat ? 3 : m4 / (m2 * m2),
  };
}

/** Sharpe ratio per period: mean / sample sd. 0 when the series has no spread (nothing to rank on). */
export function sharpeRatio(xs: ArrayLike<number>): number {
  const m = moments(xs);
  return m.sd > 0 && m.sd > Math.abs(m.mean) * 1e-12 ? m.mean / m.sd : 0;
}

/** Per-period to annual: SR × √(periods per year) (returns assumed serially uncorrelated). */
export function annualiseSharpe(perPeriod: number, periodsPerYear: number): number {
  return perPeriod * Math.sqrt(periodsPerYear);
}

export function deannualiseSharpe(annual: number, periodsPerYear: number): number {
  return annual / Math.sqrt(periodsPerYear);
}

/** Variances of Sharpe ratios scale with the period: V_annual = V_period × periods per year. */
export function deannualiseVariance(annualVariance: number, periodsPerYear: number): number {
  return annualVariance / periodsPerYear;
}

export function periodsPerYear(periodMs: number): number {
  return YEAR_MS / periodMs;
}

/** Simple returns of an equity curve, the first against the starting equity (like computeMetrics). */
export function equityReturns(equity: ArrayLike<number>, startingEquity: number): Float64Array {
  const out = new Float64Array(equity.length);
  let prev = startingEquity;
  for (let i = 0; i < equity.length; i++) {
    out[i] = prev > 0 ? equity[i] / prev - 1 : 0;
    prev = equity[i];
  }
  return out;
}

export interface PeriodReturns {
  /** Start of each period (epoch ms, multiple of periodMs). */
  ts: Float64Array;
  returns: Float64Array;
}

/**
 * Equity marked at bar closes, compounded into calendar periods (UTC days by default): each period's return
 * runs from the last mark before it to its own last mark. `ts[i]` is the bar OPEN time, so the bar's mark
 * belongs to the period its close falls in: (ts + barMs - 1). Periods without a bar are skipped (the
 * data has gaps only where the market had none).
 */
export function periodReturns(ts: ArrayLike<number>, equity: ArrayLike<number>, startingEquity: number, barMs: number, periodMs = DAY_MS): PeriodReturns {
  const outTs: number[] = [];
  const outR: number[] = [];
  let prevMark = startingEquity;
  let current = NaN;
  let last = startingEquity;
  for (let i = 0; i < equity.length; i++) {
    const period = Math.floor((ts[i] + barMs - 1) / periodMs) * periodMs;
    if (period !== current) {
      if (!Number.isNaN(current)) {
        outTs.push(current);
        outR.push(prevMark > 0 ? last / prevMark - 1 : 0);
        prevMark = last;
      }
      current = period;
    }
    last = equity[i];
  }
  if (!Number.isNaN(current)) {
    outTs.push(current);
    outR.push(prevMark > 0 ? last / prevMark - 1 : 0);
  }
  return { ts: Float64Array.from(outTs), returns: Float64Array.from(outR) };
}
