// The local evaluator: a worker-thread pool sized to the cores. The market data goes to every worker once (as
// SharedArrayBuffer views in workerData); a job goes to every thread at once and the threads claim its genomes
// one at a time through a shared counter (see WorkerTask). Workers run TypeScript through tsx's loader
// (worker-entry.js), from vitest and the CLI alike.
import { cpus, totalmem } from 'node:os';
import Tinypool from 'tinypool';
import { PlayforgeError } from '../../common/index.ts';
import { DEFAULT_CACHE_BYTES, type MarketData } from '../../engine/index.ts';
import { genomeKey, type EvalJob, type EvalResult, type Evaluator } from '../evaluator.ts';
import { shareMarketData } from '../dataset.ts';
import type { WorkerInit, WorkerReply, WorkerTask } from './protocol.ts';
import { unpackResults } from './reply-codec.ts';

export interface WorkerPoolOptions {
  /** Threads (default: the number of cores). */
  workers?: number;
  /** Feature cache cap per worker, bytes (default: cacheBytesPerWorker). */
  cacheBytes?: number;
}

export function defaultWorkerCount(): number {
  return Math.max(1, cpus().length);
}

/**
 * The default feature cache cap of each of `workers` threads: the engine's (512 MiB), but all of them
 * together at most a quarter of the machine's memory (and never under 64 MiB). 256 MiB was too small for a
 * generation of EMA-cross variants over 1M bars (40 EMA columns of 8 MB and their cross columns): each thread
 * evicted and recomputed EMAs, and the large allocations kept V8's concurrent marking busy (a generation
 * took 790-840 ms on 2 threads instead of 557-584 ms).
 */
export function cacheBytesPerWorker(workers: number, machineBytes = totalmem()): number {
  return Math.max(64 * 1024 * 1024, Math.min(DEFAULT_CACHE_BYTES, Math.floor(machineBytes / 4 / Math.max(1, workers))));
}

export class WorkerPoolEvaluator implements Evaluator {
  readonly workers: number;
  private readonly pool: Tinypool;

  constructor(private readonly hash: string, data: MarketData, opts: WorkerPoolOptions = {}) {
    this.workers = Math.max(1, Math.floor(opts.workers ?? defaultWorkerCount()));
    const init: WorkerInit = { hash, data: shareMarketData(data), cacheBytes: opts.cacheBytes ?? cacheBytesPerWorker(this.workers) };
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
    // Every thread gets the whole job and claims genomes one at a time. This replaced fixed batches: each batch
    // after a thread's first waited for the main thread to hand it over, and the last batch left one thread
    // idle (on 2 threads, ~1/8 of a 100-genome job's wall time). The genomes go in the job's order: sorting
    // them by key (to keep similar genomes on one thread) took the main thread ~0.1 ms before any thread could
    // start, and with genomes claimed alternately and every feature cached once per thread it bought nothing.
    const n = job.genomes.length;
    const task: WorkerTask = { hash: this.hash, playYaml: job.playYaml, fitness: job.fitness, genomes: job.genomes, next: new Int32Array(new SharedArrayBuffer(4)) };
    const threads = Math.min(this.workers, n);
    const out = new Array<EvalResult>(n);
    let filled = 0, returned = 0;
    // The keys (sent back by no thread: see reply-codec.ts) are made while the threads work, and each reply
    // is unpacked as it arrives.
    const runs = Array.from({ length: threads }, () => this.pool.run(task) as Promise<WorkerReply>);
    const keys = job.genomes.map(genomeKey);
    await Promise.all(runs.map(async (run) => {
      const { indices, results } = await run;
      returned += indices.length;
      unpackResults(results, indices.map((k) => keys[k])).forEach((r, j) => {
        if (out[indices[j]] === undefined) filled++;
        out[indices[j]] = r;
      });
    }));
    // The counter hands out each index once; a reply that lost or repeated one would be a pool bug, never a result.
    if (filled !== n || returned !== n) {
      throw new PlayforgeError('EVOLVE_POOL_BROKEN', `job ${job.jobId}: the threads returned ${filled} of ${n} genomes`);
    }
    return out;
  }

  async close(): Promise<void> {
    await this.pool.destroy();
  }
}
