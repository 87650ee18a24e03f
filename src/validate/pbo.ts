// Probability of backtest overfitting by combinatorially symmetric cross-validation (Bailey, Borwein,
// López de Prado, Zhu: "The Probability of Backtest Overfitting", J. of Computational Finance 20(4), 2017;
// SSRN 2326253). The trial matrix has T rows (periods) and N columns (the evolution's trials): split the rows
// into S contiguous blocks, and for every one of the C(S, S/2) ways to pick half of them as in-sample (IS),
// take the trial that is best IS, find its rank among all trials out-of-sample (OOS, the other half), and
// record the logit of its relative rank. PBO is the share of logits <= 0: how often the IS winner lands in
// the bottom half OOS.
import { PlayforgeError } from '../common/errors.ts';
import { VALIDATE_INPUT, VALIDATE_TOO_FEW_OBSERVATIONS, VALIDATE_TOO_FEW_TRIALS } from './errors.ts';

export type PboMetric = 'sharpe' | 'mean';

export interface PboOptions {
  /** Number of blocks S, even (default 16: C(16, 8) = 12,870 combinations). */
  partitions?: number;
  /** Performance measure ranked IS and OOS (default: Sharpe ratio of the rows). */
  metric?: PboMetric;
}

export interface PboResult {
  pbo: number;
  partitions: number;
  combinations: number;
  trials: number;
  /** Rows used (a multiple of S) and the oldest rows left out to make the blocks equal. */
  rows: number;
  rowsDropped: number;
  /** One logit λ_c = ln(ω/(1 − ω)) per combination, ω = OOS rank / (N + 1) of the IS-best trial. */
  logits: Float64Array;
  /** IS and OOS performance of the IS-best trial, per combination. */
  isPerformance: Float64Array;
  oosPerformance: Float64Array;
  /** Least-squares fit OOS = intercept + slope × IS over the combinations (performance degradation). */
  degradation: { slope: number; intercept: number };
  /** Share of combinations where the IS-best trial's OOS performance is below 0. */
  probOosLoss: number;
  meanLogit: number;
}

/** Every k-subset of {0..n-1} as a bit mask, in lexicographic order. */
export function combinations(n: number, k: number): number[] {
  const out: number[] = [];
  const idx = Array.from({ length: k }, (_, i) => i);
  while (true) {
    let mask = 0;
    for (const i of idx) mask |= 1 << i;
    out.push(mask);
    let i = k - 1;
    while (i >= 0 && idx[i] === n - k + i) i--;
    if (i < 0) return out;
    idx[i]++;
    for (let j = i + 1; j < k; j++) idx[j] = idx[j - 1] + 1;
  }
}

function performance(metric: PboMetric, n: number, sum: number, sumSq: number): number {
  const mean = sum / n;
  if (metric === 'mean') return mean;
  const variance = n > 1 ? (sumSq - n * mean * mean) / (n - 1) : 0;
  const sd = Math.sqrt(Math.max(variance, 0));
  // No spread (a trial that never traded here): it has no risk-adjusted performance to rank above others.
  return sd > 1e-15 && sd > Math.abs(mean) * 1e-9 ? mean / sd : 0;
}

/** Rank of `values[at]` among `values`, 1 = lowest; ties share the average rank. */
export function averageRank(values: ArrayLike<number>, at: number): number {
  const v = values[at];
  let below = 0, equal = 0;
  for (let i = 0; i < values.length; i++) {
    if (values[i] < v) below++;
    else if (values[i] === v) equal++;
  }
  return below + (equal + 1) / 2;
}

/** CSCV over a trial matrix given as N columns of T per-period returns (all the same length). */
export function probabilityOfBacktestOverfitting(trials: readonly ArrayLike<number>[], options: PboOptions = {}): PboResult {
  const s = options.partitions ?? 16;
  const metric = options.metric ?? 'sharpe';
  const n = trials.length;
  if (!Number.isInteger(s) || s < 2 || s % 2 !== 0 || s > 30) {
    throw new PlayforgeError(VALIDATE_INPUT, `PBO needs an even number of partitions between 2 and 30, got ${s}`, { path: 'partitions' });
  }
  if (n < 2) throw new PlayforgeError(VALIDATE_TOO_FEW_TRIALS, `PBO ranks trials against each other: it needs at least 2, got ${n}`);
  const t = trials[0].length;
  trials.forEach((col, j) => {
    if (col.length !== t) throw new PlayforgeError(VALIDATE_INPUT, `trial ${j} has ${col.length} periods but trial 0 has ${t}: the matrix must be rectangular`, { path: `trials[${j}]` });
  });
  const blockRows = Math.floor(t / s);
  if (blockRows < 2) {
    throw new PlayforgeError(VALIDATE_TOO_FEW_OBSERVATIONS, `PBO with ${s} partitions needs at least ${2 * s} periods per trial, got ${t}`);
  }
  const dropped = t - blockRows * s;
  // Per block and trial: sum and sum of squares, so each combination costs O(S × N) instead of O(T × N).
  const sums = new Float64Array(s * n);
  const sumSqs = new Float64Array(s * n);
  for (let j = 0; j < n; j++) {
    const col = trials[j];
    for (let b = 0; b < s; b++) {
      let a = 0, q = 0;
      const start = dropped + b * blockRows;
      for (let r = start; r < start + blockRows; r++) {
        const x = col[r];
        if (!Number.isFinite(x)) throw new PlayforgeError(VALIDATE_INPUT, `trial ${j} has a non-finite return at period ${r}`, { path: `trials[${j}][${r}]` });
        a += x;
        q += x * x;
      }
      sums[b * n + j] = a;
      sumSqs[b * n + j] = q;
    }
  }
  const masks = combinations(s, s / 2);
  const half = (s / 2) * blockRows;
  const logits = new Float64Array(masks.length);
  const isPerf = new Float64Array(masks.length);
  const oosPerf = new Float64Array(masks.length);
  const oos = new Float64Array(n);
  let overfit = 0, losses = 0;
  masks.forEach((mask, c) => {
    let best = -1, bestIs = -Infinity;
    for (let j = 0; j < n; j++) {
      let isSum = 0, isSq = 0, oosSum = 0, oosSq = 0;
      for (let b = 0; b < s; b++) {
        if (mask & (1 << b)) {
          isSum += sums[b * n + j];
          isSq += sumSqs[b * n + j];
        } else {
          oosSum += sums[b * n + j];
          oosSq += sumSqs[b * n + j];
        }
      }
      const pIs = performance(metric, half, isSum, isSq);
      oos[j] = performance(metric, half, oosSum, oosSq);
      if (pIs > bestIs) {
        bestIs = pIs;
        best = j;
      }
    }
    const omega = averageRank(oos, best) / (n + 1);
    const logit = Math.log(omega / (1 - omega));
    logits[c] = logit;
    isPerf[c] = bestIs;
    oosPerf[c] = oos[best];
    if (logit <= 0) overfit++;
    if (oos[best] < 0) losses++;
  });
  const m = masks.length;
  let mx = 0, my = 0, ml = 0;
  for (let c = 0; c < m; c++) {
    mx += isPerf[c];
    my += oosPerf[c];
    ml += logits[c];
  }
  mx /= m;
  my /= m;
  let sxy = 0, sxx = 0;
  for (let c = 0; c < m; c++) {
    sxy += (isPerf[c] - mx) * (oosPerf[c] - my);
    sxx += (isPerf[c] - mx) * (isPerf[c] - mx);
  }
  const slope = sxx > 0 ? sxy / sxx : 0;
  return {
    pbo: overfit / m,
    partitions: s,
    combinations: m,
    trials: n,
    rows: blockRows * s,
    rowsDropped: dropped,
    logits,
    isPerformance: isPerf,
    oosPerformance: oosPerf,
    degradation: { slope, intercept: my - slope * mx },
    probOosLoss: losses / m,
    meanLogit: ml / m,
  };
}
