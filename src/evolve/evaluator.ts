// The contract between the evolution driver and whatever evaluates genomes (INTERFACES.md, "Evolution
// evaluators"): the local worker-thread pool, the 0-worker in-thread evaluator and the BullMQ cluster all take
// an EvalJob and return EvalResults computed by the same pure `scoreGenome`, so every evaluator returns
// exactly the same numbers.
import { PlayforgeError } from '../common/index.ts';
import type { Interval } from '../data/index.ts';
import type { Genome, Play } from '../dsl/index.ts';
import { resolveGenome } from '../dsl/index.ts';
import { ColumnScratch, scorePlay, type FeatureCache, type MarketData, type Metrics } from '../engine/index.ts';
import { FAILED_FITNESS, objectiveVector, scoreMetrics, type FitnessConfig } from './fitness.ts';

export type { FitnessConfig } from './fitness.ts';

/** Which candles a job runs on. The candles travel separately (shared memory locally, Redis in the cluster). */
export interface DatasetPayload {
  /** sha256 (hex) of the column bytes + interval + funding (see datasetHash in ./dataset.ts). */
  hash: string;
  /** `exchange:SYMBOL:interval`. */
  datasetId: string;
  execInterval: Interval;
  /**
   * The bars a fitness is computed on: exec bar OPEN times in epoch ms, `from` inclusive, `to` exclusive.
   * This is the TRAINING window; an evaluator never backtests bars outside it (the holdout stays unseen).
   */
  window: { from: number; to: number };
}

export interface EvalJob {
  jobId: string;
  /** The ranged play (serializePlay); each genome resolves it to a concrete play. */
  playYaml: string;
  dataset: DatasetPayload;
  fitness: FitnessConfig;
  genomes: Genome[];
}

export interface EvalResult {
  genomeKey: string;
  /** Scalar fitness (larger is better); always finite (FAILED_FITNESS when the backtest failed). */
  fitness: number;
  /** FitnessConfig.objectives in order, each oriented larger-is-better; finite. */
  objectives: number[];
  /** Training-window metrics; null when the backtest failed. May hold Infinity (profitFactor without losses). */
  metrics: Metrics | null;
  /** Why the backtest failed (error code and message). */
  error?: string;
}

export interface Evaluator {
  /** Results in the same order as job.genomes. */
  evaluate(job: EvalJob): Promise<EvalResult[]>;
  close(): Promise<void>;
}

/** Canonical text of a genome (keys sorted): the key of the fitness cache and of duplicate detection. */
export function genomeKey(genome: Genome): string {
  const keys = Object.keys(genome).sort();
  return JSON.stringify(keys.map((k) => [k, genome[k]]));
}

/**
 * Backtests each genome of a ranged play on `data` (already cut to the training window) and scores it.
 * Pure apart from `cache`, which only memoises feature columns: a failing genome gets FAILED_FITNESS and its
 * error instead of aborting the batch.
 */
export function evaluateGenomes(
  play: Play, data: MarketData, fitness: FitnessConfig, genomes: readonly Genome[], cache: FeatureCache,
  // One set of condition columns reused genome after genome (see ColumnScratch: fresh ones per backtest kept the GC busy).
  scratch = new ColumnScratch(),
): EvalResult[] {
  return genomes.map((genome) => evaluateGenome(play, data, fitness, genome, cache, scratch));
}

/** One genome of evaluateGenomes. */
export function evaluateGenome(play: Play, data: MarketData, fitness: FitnessConfig, genome: Genome, cache: FeatureCache, scratch: ColumnScratch): EvalResult {
  return { genomeKey: genomeKey(genome), ...scoreGenome(play, data, fitness, genome, cache, scratch) };
}

/** An EvalResult without its genome key: what the pool's threads and cluster workers send back (reply-codec.ts). */
export type GenomeScore = Omit<EvalResult, 'genomeKey'>;

/** evaluateGenome without the key, for evaluators whose caller already has the keys. */
export function scoreGenome(play: Play, data: MarketData, fitness: FitnessConfig, genome: Genome, cache: FeatureCache, scratch: ColumnScratch): GenomeScore {
  try {
    const concrete = resolveGenome(play, genome);
    const { metrics } = scorePlay(concrete, data, { cache, scratch });
    return { fitness: scoreMetrics(metrics, fitness), objectives: objectiveVector(metrics, fitness), metrics };
  } catch (e) {
    const error = e instanceof PlayforgeError ? `${e.code}: ${e.message}` : e instanceof Error ? e.message : String(e);
    return { fitness: FAILED_FITNESS, objectives: fitness.objectives.map(() => FAILED_FITNESS), metrics: null, error };
  }
}
