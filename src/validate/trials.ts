// The trial matrix: per-period returns of the evolution's trials on its training window (rows = periods,
// columns = trials), rebuilt by backtesting each stored genome on exactly the data the evolution saw. PBO
// runs on it; DSR takes the variance of the trials' Sharpe ratios and the selected trial's return shape.
import { createRng } from '../common/rng.ts';
import { intervalMs } from '../data/index.ts';
import { resolvePlay, type Play } from '../dsl/index.ts';
import { backtestPlay, FeatureCache, type MarketData } from '../engine/index.ts';
import type { TrialRecord } from './evolution-record.ts';
import { DAY_MS, periodReturns, sharpeRatio } from './sharpe.ts';

export interface TrialMatrix {
  trials: TrialRecord[];
  /** One column of per-period returns per trial, all the same length. */
  columns: Float64Array[];
  periodTs: Float64Array;
  periodMs: number;
  /** Per-period Sharpe ratio of each column. */
  sharpes: number[];
  /** Trials whose genome no longer resolved or backtested (left out, with the reason). */
  skipped: Array<{ id: number; error: string }>;
}

/**
 * A seeded sample of at most `max` trials that always contains the genome `keepKey` (the selected winner; it
 * is matched by genome, since the evolution may have recorded the winner again in a later generation).
 */
export function sampleTrials(trials: readonly TrialRecord[], max: number, seed: number, keepKey?: string): TrialRecord[] {
  const keep = keepKey === undefined ? undefined : trials.find((t) => t.genomeKey === keepKey);
  if (trials.length <= max) return [...trials];
  const rng = createRng(seed);
  const rest = trials.filter((t) => t !== keep);
  for (let i = rest.length - 1; i > 0; i--) {
    const j = rng.int(i + 1);
    [rest[i], rest[j]] = [rest[j], rest[i]];
  }
  return keep ? [keep, ...rest.slice(0, max - 1)] : rest.slice(0, max);
}

/** Backtest each trial's genome on the training data (already cut to the training window). */
export function buildTrialMatrix(play: Play, train: MarketData, trials: readonly TrialRecord[], opts: { periodMs?: number; cache?: FeatureCache; onProgress?: (done: number, total: number) => void } = {}): TrialMatrix {
  const periodMs = opts.periodMs ?? DAY_MS;
  const cache = opts.cache ?? new FeatureCache();
  const barMs = intervalMs(train.execInterval);
  const kept: TrialRecord[] = [];
  const columns: Float64Array[] = [];
  const skipped: TrialMatrix['skipped'] = [];
  let periodTs: Float64Array = new Float64Array(0);
  trials.forEach((t, i) => {
    try {
      const bt = backtestPlay(resolvePlay(play, t.genome), train, { cache });
      const p = periodReturns(bt.compiled.exec.ts, bt.result.equity, bt.result.startingEquity, barMs, periodMs);
      periodTs = p.ts;
      kept.push(t);
      columns.push(p.returns);
    } catch (e) {
      skipped.push({ id: t.id, error: e instanceof Error ? e.message : String(e) });
    }
    opts.onProgress?.(i + 1, trials.length);
  });
  return { trials: kept, columns, periodTs, periodMs, sharpes: columns.map((c) => sharpeRatio(c)), skipped };
}

/** Mean pairwise Pearson correlation of the columns (for the effective number of independent trials). */
export function meanCorrelation(columns: readonly Float64Array[]): number {
  const n = columns.length;
  if (n < 2) return 1;
  const z = columns.map((c) => {
    const m = c.reduce((a, b) => a + b, 0) / c.length;
    let ss = 0;
    for (const x of c) ss += (x - m) * (x - m);
    const sd = Math.sqrt(ss);
    return sd > 0 ? c.map((x) => (x - m) / sd) : null;
  });
  let sum = 0, pairs = 0;
  for (let i = 0; i < n; i++) {
    for (let j = i + 1; j < n; j++) {
      const a = z[i], b = z[j];
      // A flat column (never traded) is uncorrelated with everything.
      let r = 0;
      if (a && b) for (let k = 0; k < a.length; k++) r += a[k] * b[k];
      sum += r;
      pairs++;
    }
  }
  return sum / pairs;
}
