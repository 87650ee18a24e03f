// The local evaluator: a worker-thread pool sized to the cores. The market data goes to every worker once (as
// SharedArrayBuffer views in workerData); a job goes to every thread at once and the threads claim its genomes
// one at a time through a shared counter (see WorkerTask). Workers run TypeScript through tsx's loader
// (worker-entry.js), from vitest and the CLI alike.
import { cpus } from 'node:os';
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
  /**
   * Feature cache cap per worker, bytes (default: the engine's, 512 MiB). 256 MiB was too small for a
   * generation of EMA-cross variants over 1M bars (40 EMA columns of 8 MB and their cross columns): each
   * thread evicted and recomputed EMAs, and the large allocations kept V8's concurrent marking busy
   * (a generation took 790-840 ms on 2 threads instead of 557-584 ms).
   */
  cacheBytes?: number;
}

export function defaultWorkerCount(): number {
  return Math.max(1, cpus().length);
}

export class WorkerPoolEvaluator implements Evaluator {
  readonly workers: number;
  private readonly pool: Tinypool;

  constructor(private readonly hash: string, data: MarketData, opts: WorkerPoolOptions = {}) {
    this.workers = Math.max(1, Math.floor(opts.workers ?? defaultWorkerCount()));
    const init: WorkerInit = { hash, data: shareMarketData(data), cacheBytes: opts.cacheBytes ?? DEFAULT_CACHE_BYTES };
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
    // Genomes sorted by canonical key (same leading parameters together), so the genomes a thread claims in a
    // row tend to share feature columns in its cache; results go back to the job's order. Claiming genome by
    // genome replaced fixed batches: each batch after a thread's first waited for the main thread to hand it
    // over, and the last batch left one thread idle (on 2 threads, ~1/8 of a 100-genome job's wall time).
    const sorted = job.genomes.map((g, i) => ({ i, key: genomeKey(g) })).sort((a, b) => (a.key < b.key ? -1 : a.key > b.key ? 1 : a.i - b.i));
    const order = sorted.map((x) => x.i);
    const task: WorkerTask = { hash: this.hash, playYaml: job.playYaml, fitness: job.fitness, genomes: order.map((i) => job.genomes[i]), next: new Int32Array(new SharedArrayBuffer(4)) };
    const threads = Math.min(this.workers, order.length);
    const replies = await Promise.all(Array.from({ length: threads }, () => this.pool.run(task) as Promise<WorkerReply>));
    const out = new Array<EvalResult>(order.length);
    let filled = 0;
    for (const { indices, results } of replies) {
      unpackResults(results, indices.map((k) => sorted[k].key)).forEach((r, j) => {
        const at = order[indices[j]];
        if (out[at] === undefined) filled++;
        out[at] = r;
      });
    }
    // The counter hands out each index once; a reply that lost or repeated one would be a pool bug, never a result.
    if (filled !== order.length || replies.reduce((s, r) => s + r.indices.length, 0) !== order.length) {
      throw new PlayforgeError('EVOLVE_POOL_BROKEN', `job ${job.jobId}: the threads returned ${filled} of ${order.length} genomes`);
    }
    return out;
  }

  async close(): Promise<void> {
    await this.pool.destroy();
  }
}
