// The 0-worker evaluator: runs evaluateGenomes in the calling thread. Tests use it, and it is the determinism
// reference every other evaluator must match.
import { PlayforgeError } from '../../common/index.ts';
import { ColumnScratch, FeatureCache, type MarketData } from '../../engine/index.ts';
import { evaluateGenomes, type EvalJob, type EvalResult, type Evaluator } from '../evaluator.ts';
import { PlayTextCache } from './play-text.ts';

export class InlineEvaluator implements Evaluator {
  private readonly cache: FeatureCache;
  private readonly plays = new PlayTextCache();
  /** Condition columns reused job after job (see worker.ts). */
  private readonly scratch = new ColumnScratch();

  /** `data` is the training window the jobs name by `hash` (see datasetHash). */
  constructor(private readonly hash: string, private readonly data: MarketData, opts: { cacheBytes?: number } = {}) {
    this.cache = new FeatureCache({ maxBytes: opts.cacheBytes });
  }

  evaluate(job: EvalJob): Promise<EvalResult[]> {
    if (job.dataset.hash !== this.hash) {
      return Promise.reject(new PlayforgeError('EVOLVE_DATASET_MISMATCH', `job ${job.jobId} names dataset ${job.dataset.hash.slice(0, 12)}, this evaluator holds ${this.hash.slice(0, 12)}`));
    }
    try {
      return Promise.resolve(evaluateGenomes(this.plays.get(job.playYaml), this.data, job.fitness, job.genomes, this.cache, this.scratch));
    } catch (e) {
      return Promise.reject(e as Error);
    }
  }

  close(): Promise<void> {
    return Promise.resolve();
  }
}
