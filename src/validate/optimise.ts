// A small re-optimiser for walk-forward windows: seeded random search over the play's genome space, scored
// like the evolution's default fitness (annualised Sharpe, with a floor below a minimum trade count). It sees
// only the training window's bars. The walk-forward driver takes any optimiser, so the evolution engine can
// replace this one (a GA with a small budget) without touching the rest.
import { createRng } from '../common/rng.ts';
import { defaultGenome, resolvePlay, sampleGenome, spaceSize, type Genome, type Play } from '../dsl/index.ts';
import { backtestPlay, FeatureCache, type MarketData, type Metrics } from '../engine/index.ts';

export interface RandomSearchOptions {
  /** Genomes backtested per window (default 24, the default genome included). */
  budget?: number;
  /** Fewer trades than this scores below any trading genome (default 10). */
  minTrades?: number;
  seed: number;
}

export interface OptimiseResult {
  genome: Genome;
  score: number;
  metrics: Metrics | null;
  evaluated: number;
}

export function canonicalGenomeKey(g: Genome): string {
  return JSON.stringify(Object.keys(g).sort().map((k) => [k, g[k]]));
}

/** Sharpe ratio, or a floor below every genome that trades enough (more trades rank higher under it). */
export function sharpeScore(m: Metrics, minTrades: number): number {
  if (m.trades < minTrades) return -1000 + m.trades;
  return Number.isFinite(m.sharpe) ? m.sharpe : -1000;
}

export function randomSearch(play: Play, train: MarketData, opts: RandomSearchOptions): OptimiseResult {
  const budget = Math.max(1, opts.budget ?? 24);
  const minTrades = opts.minTrades ?? 10;
  const rng = createRng(opts.seed);
  const cache = new FeatureCache();
  const size = spaceSize(play);
  const seen = new Set<string>();
  const candidates: Genome[] = [];
  const add = (g: Genome) => {
    const k = canonicalGenomeKey(g);
    if (!seen.has(k)) {
      seen.add(k);
      candidates.push(g);
    }
  };
  add(defaultGenome(play));
  // Bounded attempts: a small space runs out of new genomes before the budget does.
  for (let tries = 0; candidates.length < Math.min(budget, size) && tries < budget * 20; tries++) add(sampleGenome(play, rng));
  let best: OptimiseResult = { genome: candidates[0], score: -Infinity, metrics: null, evaluated: 0 };
  for (const genome of candidates) {
    let score = -Infinity;
    let metrics: Metrics | null = null;
    try {
      metrics = backtestPlay(resolvePlay(play, genome), train, { cache }).metrics;
      score = sharpeScore(metrics, minTrades);
    } catch {
      // A genome whose play does not compile on this window simply loses.
    }
    best.evaluated++;
    if (score > best.score) best = { genome, score, metrics, evaluated: best.evaluated };
  }
  return best;
}
