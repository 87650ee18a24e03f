// The local evaluator: a worker-thread pool sized to the cores. The market data goes to every worker once (as
// SharedArrayBuffer views in workerData); each thread runs one session for the pool's life and takes jobs
// through Atomics wake-ups (see WorkerSession); a job goes to every thread at once and the threads claim its
// genomes one at a time through a shared counter (see WorkerTask). Workers run TypeScript through tsx's
// loader (worker-entry.js), from vitest and the CLI alike.
import { cpus, totalmem } from 'node:os';
import { MessageChannel, receiveMessageOnPort, type MessagePort } from 'node:worker_threads';
import Tinypool from 'tinypool';
import { PlayforgeError } from '../../common/index.ts';
import { DEFAULT_CACHE_BYTES, type MarketData } from '../../engine/index.ts';
import { genomeKey, type EvalJob, type EvalResult, type Evaluator } from '../evaluator.ts';
import { shareMarketData } from '../dataset.ts';
import { CONTROL_DONE, CONTROL_SEQ, CONTROL_SLOTS, CONTROL_STOP, type WorkerInit, type WorkerReply, type WorkerSession, type WorkerTask } from './protocol.ts';
import { unpackResults } from './reply-codec.ts';

export interface WorkerPoolOptions {
  /** Threads (default: the number of cores). */
  workers?: number;
  /** Feature cache cap per worker, bytes (default: cacheBytesPerWorker). */
  cacheBytes?: number;
}

// Atomics.waitAsync (V8 and Node >= 16; not yet in this TypeScript's lib).
const waitAsync = (Atomics as unknown as { waitAsync(a: Int32Array, i: number, v: number): { async: boolean; value: Promise<string> | string } }).waitAsync;

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
  /** The jobs' control array (see CONTROL_SEQ) and each thread's port. */
  private readonly control = new Int32Array(new SharedArrayBuffer(4 * CONTROL_SLOTS));
  private readonly ports: MessagePort[] = [];
  private readonly sessions: Array<Promise<void>>;
  /** Jobs run one after another (each uses every thread). */
  private queue: Promise<unknown> = Promise.resolve();
  /** Why the pool cannot run jobs any more (a thread died, or it was closed). */
  private broken?: Error;

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
    // One session per thread for the pool's life (see WorkerSession): a job is then two Atomics wake-ups, not a
    // task message each way.
    this.sessions = Array.from({ length: this.workers }, () => {
      const { port1, port2 } = new MessageChannel();
      this.ports.push(port1);
      const session: WorkerSession = { control: this.control, port: port2 };
      return this.pool.run(session, { transferList: [port2] }).then(
        () => this.fail(new PlayforgeError('EVOLVE_POOL_CLOSED', 'the worker pool is closed')),
        (e: unknown) => this.fail(new PlayforgeError('EVOLVE_POOL_BROKEN', `a pool thread failed: ${e instanceof Error ? e.message : String(e)}`)),
      );
    });
  }

  evaluate(job: EvalJob): Promise<EvalResult[]> {
    const run = this.queue.then(() => this.run(job));
    this.queue = run.catch(() => undefined);
    return run;
  }

  /** Fails the running job (if any) and stops the threads at once, busy or not. */
  async close(): Promise<void> {
    this.fail(new PlayforgeError('EVOLVE_POOL_CLOSED', 'the worker pool is closed'));
    Atomics.store(this.control, CONTROL_STOP, 1);
    Atomics.add(this.control, CONTROL_SEQ, 1);
    Atomics.notify(this.control, CONTROL_SEQ);
    await this.pool.destroy();
    await Promise.all(this.sessions);
    for (const port of this.ports) port.close();
  }

  /** Stops taking jobs and wakes a job waiting for the threads, which then fails with `e`. */
  private fail(e: Error): void {
    this.broken ??= e;
    Atomics.notify(this.control, CONTROL_DONE);
  }

  private async run(job: EvalJob): Promise<EvalResult[]> {
    if (job.dataset.hash !== this.hash) {
      throw new PlayforgeError('EVOLVE_DATASET_MISMATCH', `job ${job.jobId} names dataset ${job.dataset.hash.slice(0, 12)}, this pool holds ${this.hash.slice(0, 12)}`);
    }
    if (this.broken) throw this.broken;
    const n = job.genomes.length;
    if (n === 0) return [];
    // Every thread gets the whole job and claims genomes one at a time. This replaced fixed batches: each batch
    // after a thread's first waited for the main thread to hand it over, and the last batch left one thread
    // idle (on 2 threads, ~1/8 of a 100-genome job's wall time). The genomes go in the job's order: sorting
    // them by key (to keep similar genomes on one thread) took the main thread ~0.1 ms before any thread could
    // start, and with genomes claimed alternately and every feature cached once per thread it bought nothing.
    const task: WorkerTask = { hash: this.hash, playYaml: job.playYaml, fitness: job.fitness, genomes: job.genomes, next: new Int32Array(new SharedArrayBuffer(4)) };
    for (const port of this.ports) port.postMessage(task);
    const control = this.control;
    Atomics.store(control, CONTROL_DONE, 0);
    Atomics.add(control, CONTROL_SEQ, 1);
    Atomics.notify(control, CONTROL_SEQ);
    // The keys (sent back by no thread: see reply-codec.ts) are made while the threads work.
    const keys = job.genomes.map(genomeKey);
    for (;;) {
      if (this.broken) throw this.broken;
      const done = Atomics.load(control, CONTROL_DONE);
      if (done >= this.ports.length) break;
      const wait = waitAsync(control, CONTROL_DONE, done);
      if (wait.async) await wait.value;
    }
    // Every reply is read before any error is raised: one left in its port would answer the next job.
    const replies = this.ports.map((port) => receiveMessageOnPort(port)?.message as WorkerReply | undefined);
    const out = new Array<EvalResult>(n);
    let filled = 0, returned = 0;
    for (const reply of replies) {
      if (reply === undefined) throw new PlayforgeError('EVOLVE_POOL_BROKEN', `job ${job.jobId}: a thread finished without a reply`);
      if ('error' in reply) throw new PlayforgeError(reply.code ?? 'EVOLVE_POOL_BROKEN', reply.error);
      returned += reply.indices.length;
      unpackResults(reply.results, reply.indices.map((k) => keys[k])).forEach((r, j) => {
        if (out[reply.indices[j]] === undefined) filled++;
        out[reply.indices[j]] = r;
      });
    }
    // The counter hands out each index once; a reply that lost or repeated one would be a pool bug, never a result.
    if (filled !== n || returned !== n) {
      throw new PlayforgeError('EVOLVE_POOL_BROKEN', `job ${job.jobId}: the threads returned ${filled} of ${n} genomes`);
    }
    return out;
  }
}
