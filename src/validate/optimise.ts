// Small re-optimisers for walk-forward windows, each seeing only the training window's bars: a GA run by the
// evolution engine itself (gaSearch, the default: same fitness, same evaluator as the evolution), and a
// seeded random search scored by Sharpe ratio with a trade-count floor (randomSearch, a baseline without the
// evolve stage). The walk-forward driver takes any optimiser.
import { createRng } from '../common/rng.ts';
import { defaultGenome, genomeOf, resolvePlay, sampleGenome, spaceSize, type Genome, type Play } from '../dsl/index.ts';
import { backtestPlay, ColumnScratch, FeatureCache, type MarketData, type Metrics } from '../engine/index.ts';
import { evaluateGenomes, evolveCore, fitnessConfig, gaConfig, type FitnessConfig } from '../evolve/index.ts';

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

export interface GaSearchOptions {
  /** Individuals per generation (default 8). */
  population?: number;
  /** Generations (default 3): population × generations is the budget, less what the GA meets twice. */
  generations?: number;
  /** The evolution's fitness settings (its stored config.fitness); defaults otherwise. */
  fitness?: Partial<FitnessConfig>;
  seed: number;
}

/**
 * Re-optimisation with the evolution engine itself: a small GA (evolveCore) scoring genomes with the same
 * pure evaluateGenomes and fitness the evolution used, in this thread, on the training window only.
 */
export async function gaSearch(play: Play, train: MarketData, opts: GaSearchOptions): Promise<OptimiseResult> {
  const fitness = fitnessConfig(opts.fitness ?? {});
  const config = gaConfig({ population: opts.population ?? 8, maxGenerations: opts.generations ?? 3, patience: 1_000, winners: 1 });
  const cache = new FeatureCache();
  const scratch = new ColumnScratch();
  const out = await evolveCore({
    genes: genomeOf(play), seed: opts.seed, stream: 0, config, fitness,
    evaluate: async (genomes) => evaluateGenomes(play, train, fitness, genomes, cache, scratch),
  });
  let best: OptimiseResult | undefined;
  for (const m of out.evaluatedByKey.values()) {
    if (!best || m.result.fitness > best.score) best = { genome: m.genome, score: m.result.fitness, metrics: m.result.metrics, evaluated: 0 };
  }
  if (!best) return { genome: defaultGenome(play), score: -Infinity, metrics: null, evaluated: 0 };
  return { ...best, evaluated: out.evaluatedByKey.size };
}
