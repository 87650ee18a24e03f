// The local evaluator: a worker-thread pool sized to the cores. The market data goes to every worker once (as
// SharedArrayBuffer views in workerData); a job is split into batches so messaging is amortised while the
// threads stay evenly loaded. Workers run TypeScript through tsx's loader (worker-entry.js), from vitest and the CLI alike.
import { cpus } from 'node:os';
import Tinypool from 'tinypool';
import { PlayforgeError } from '../../common/index.ts';
import type { MarketData } from '../../engine/index.ts';
import { genomeKey, type EvalJob, type EvalResult, type Evaluator } from '../evaluator.ts';
import { shareMarketData } from '../dataset.ts';
import type { WorkerInit, WorkerTask } from './protocol.ts';

export interface WorkerPoolOptions {
  /** Threads (default: the number of cores). */
  workers?: number;
  /** Batches per thread per job: more balances uneven backtests, fewer saves messages (default 3). */
  batchesPerWorker?: number;
  /** Feature cache cap per worker, bytes (default 256 MiB). */
  cacheBytes?: number;
}

export function defaultWorkerCount(): number {
  return Math.max(1, cpus().length);
}

/** Splits `n` items into at most `parts` contiguous ranges of near-equal size. */
export function batchRanges(n: number, parts: number): Array<[number, number]> {
  const k = Math.max(1, Math.min(n, parts));
  const out: Array<[number, number]> = [];
  for (let i = 0; i < k; i++) {
    const a = Math.floor((i * n) / k), b = Math.floor(((i + 1) * n) / k);
    if (b > a) out.push([a, b]);
  }
  return out;
}

export class WorkerPoolEvaluator implements Evaluator {
  readonly workers: number;
  private readonly pool: Tinypool;
  private readonly batchesPerWorker: number;

  constructor(private readonly hash: string, data: MarketData, opts: WorkerPoolOptions = {}) {
    this.workers = Math.max(1, Math.floor(opts.workers ?? defaultWorkerCount()));
    this.batchesPerWorker = Math.max(1, opts.batchesPerWorker ?? 3);
    const init: WorkerInit = { hash, data: shareMarketData(data), cacheBytes: opts.cacheBytes ?? 256 * 1024 * 1024 };
    this.pool = new Tinypool({
      // A JS entry that registers tsx in the thread and loads worker.ts (see worker-entry.js).
      filename: new URL('./worker-entry.js', import.meta.url).href,
      minThreads: this.workers,
      maxThreads: this.workers,
      isolateWorkers: false,
      // Workers live as long as the pool: their feature caches are the point.
      idleTimeout: 2 ** 31 - 1,
      workerData: init,
    });
  }

  async evaluate(job: EvalJob): Promise<EvalResult[]> {
    if (job.dataset.hash !== this.hash) {
      throw new PlayforgeError('EVOLVE_DATASET_MISMATCH', `job ${job.jobId} names dataset ${job.dataset.hash.slice(0, 12)}, this pool holds ${this.hash.slice(0, 12)}`);
    }
    // Batches of similar genomes (sorted by canonical key: same leading parameters together) let each worker's
    // feature cache serve its whole batch; results go back to the job's order.
    const order = job.genomes.map((g, i) => ({ i, key: genomeKey(g) })).sort((a, b) => (a.key < b.key ? -1 : a.key > b.key ? 1 : a.i - b.i)).map((x) => x.i);
    const ranges = batchRanges(order.length, this.workers * this.batchesPerWorker);
    const parts = await Promise.all(ranges.map(([a, b]) => {
      const task: WorkerTask = { hash: this.hash, playYaml: job.playYaml, fitness: job.fitness, genomes: order.slice(a, b).map((i) => job.genomes[i]) };
      return this.pool.run(task) as Promise<EvalResult[]>;
    }));
    const out = new Array<EvalResult>(order.length);
    ranges.forEach(([a], k) => parts[k].forEach((r, j) => (out[order[a + j]] = r)));
    return out;
  }

  async close(): Promise<void> {
    await this.pool.destroy();
  }
}
