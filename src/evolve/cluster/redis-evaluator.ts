// The coordinator side of the cluster: an Evaluator that splits a job's genomes into batches, puts one BullMQ
// job per batch on the queue that `playforge worker` processes read, and reassembles their results in genome
// order. The dataset goes to Redis once per content hash. A batch whose worker dies goes back to the queue
// (BullMQ's stalled check, run by the surviving workers); a batch that throws is retried with backoff; only a
// batch that fails for good fails the evaluation. Workers compute with the same `evaluateGenomes` as a local
// run and results travel losslessly, so a cluster run returns exactly what a local run returns.
import os from 'node:os';
import type { Redis } from 'ioredis';
import { Job, Queue, QueueEvents } from 'bullmq';
import { PlayforgeError } from '../../common/index.ts';
import type { MarketData } from '../../engine/index.ts';
import { datasetHash } from '../dataset.ts';
import { genomeKey, type EvalJob, type EvalResult, type Evaluator } from '../evaluator.ts';
import { bullConnection, connectError, defaultClusterLogger, openRedis, quitRedis, redactUrl, scrub, type ClusterLogger } from './connection.ts';
import { uploadDataset } from './dataset-store.ts';
import {
  BATCH_JOB_NAME, batchSizeFor, bullPrefix, checkPrefix, chunk, slotsOf, decodeResults, DEFAULT_PREFIX, encodeBatch, QUEUE_NAME, sha256, type BatchJobData,
} from './protocol.ts';

export interface RedisEvaluatorOptions {
  redisUrl: string;
  /** Namespace of every key (datasets, queue); workers must be started with the same one. Default `pf`. */
  prefix?: string;
  /**
   * The training-window market data jobs name by `hash` (datasetHash(data), checked when given), as the local
   * evaluators take it; more datasets can be added with addDataset.
   */
  data?: MarketData;
  hash?: string;
  /**
   * Genomes per BullMQ job. Default: sized at each evaluation so every connected worker slot gets
   * `batchesPerSlot` batches (default 3; like the local pool's batches per thread), or 4 while none is connected.
   * Smaller batches spread better over workers and lose less when one dies; larger ones cost fewer round trips.
   */
  batchSize?: number;
  batchesPerSlot?: number;
  /**
   * Work a batch should carry at least, in ms of one slot's time as measured on the previous evaluations
   * (default 100). Each batch costs a fixed few ms (queue round trips, job encoding, the worker's pause
   * between jobs: 3-6 ms measured on the project's VM), so batches of short backtests are grown until that
   * stays small; a slot is never left without a batch.
   */
  minBatchMs?: number;
  /** Tries per batch when a worker throws (default 3), with exponential backoff from backoffMs (default 500). */
  attempts?: number;
  backoffMs?: number;
  /** How long an uploaded dataset lives in Redis after its last use (default 24 h). */
  datasetTtlMs?: number;
  /** Safety-net poll of unfinished batches, in case a completion event was missed (default 2 s). */
  pollMs?: number;
  /** Warn at this interval while batches wait and no worker is connected (default 15 s). */
  noWorkersWarnMs?: number;
  logger?: ClusterLogger;
}

export interface RedisEvaluatorStats {
  evaluations: number;
  batches: number;
  genomes: number;
  /** Datasets written to Redis (not counting ones already there). */
  uploads: number;
  /** Batches that lost their worker (killed, hung) and went back to the queue. */
  stalled: number;
}

interface Pending {
  label: string;
  /** The genome keys of the batch, in order (results come back without them). */
  keys: string[];
  resolve(results: EvalResult[]): void;
  reject(e: Error): void;
}

const DEFAULTS = { batchesPerSlot: 3, minBatchMs: 100, attempts: 3, backoffMs: 500, datasetTtlMs: 24 * 3600_000, pollMs: 2_000, noWorkersWarnMs: 15_000 };
type Settings = typeof DEFAULTS & { batchSize?: number };

/** The options with defaults filled in; every number given must be a positive integer. */
function settingsOf(opts: RedisEvaluatorOptions): Settings {
  const given = { batchSize: opts.batchSize, batchesPerSlot: opts.batchesPerSlot, minBatchMs: opts.minBatchMs, attempts: opts.attempts, backoffMs: opts.backoffMs, datasetTtlMs: opts.datasetTtlMs, pollMs: opts.pollMs, noWorkersWarnMs: opts.noWorkersWarnMs };
  for (const [name, v] of Object.entries(given)) {
    if (v !== undefined && !(Number.isInteger(v) && v > 0)) throw new PlayforgeError('CLUSTER_BAD_OPTION', `${name} must be a positive integer, got ${v}`, { path: name });
  }
  const out: Settings = { ...DEFAULTS };
  for (const [name, v] of Object.entries(given)) if (v !== undefined) (out as Record<string, number>)[name] = v;
  return out;
}

/** Genomes per batch while no worker is connected (workers that join later still find work to share). */
const FALLBACK_BATCH = 4;

let instances = 0;
/** Unique across machines, processes and instances, without randomness: host, pid, clock, counter. */
function instanceTag(): string {
  instances += 1;
  const host = os.hostname().replace(/[^A-Za-z0-9]/g, '').slice(0, 16) || 'host';
  return `${host}-${process.pid}-${Date.now().toString(36)}-${instances}`;
}

/** The id of the newest entry of a stream, so event reading starts exactly there ('0-0' for none). */
async function lastStreamId(redis: Redis, key: string): Promise<string> {
  const last = await redis.xrevrange(key, '+', '-', 'COUNT', 1);
  return last[0]?.[0] ?? '0-0';
}

export class RedisEvaluator implements Evaluator {
  private readonly datasets = new Map<string, MarketData>();
  private readonly pending = new Map<string, Pending>();
  private readonly cleanups = new Set<Promise<unknown>>();
  private readonly tag = instanceTag();
  private readonly stat: RedisEvaluatorStats = { evaluations: 0, batches: 0, genomes: 0, uploads: 0, stalled: 0 };
  private readonly cfg: Settings;
  private poller: ReturnType<typeof setInterval> | undefined;
  private polling = false;
  private lastWorkerCheck = 0;
  private seq = 0;
  private closed = false;
  /** Wall ms per genome per worker slot over recent evaluations (overheads included); 0 until measured. */
  private msPerGenome = 0;

  private constructor(
    private readonly url: string,
    private readonly prefix: string,
    private readonly redis: Redis,
    private readonly queue: Queue<BatchJobData, string>,
    private readonly events: QueueEvents,
    private readonly logger: ClusterLogger,
    opts: RedisEvaluatorOptions,
  ) {
    this.cfg = settingsOf(opts);
    if (opts.data) {
      const hash = this.addDataset(opts.data);
      if (opts.hash !== undefined && opts.hash !== hash) {
        throw new PlayforgeError('EVOLVE_DATASET_MISMATCH', `the data given hashes to ${hash.slice(0, 12)}, not ${opts.hash.slice(0, 12)}`, { path: 'hash' });
      }
    }
    events.on('completed', ({ jobId, returnvalue }) => this.onCompleted(jobId, returnvalue));
    events.on('failed', ({ jobId, failedReason }) => this.onFailed(jobId, failedReason));
    events.on('stalled', ({ jobId }) => this.onStalled(jobId));
  }

  /** Connects (failing fast with CLUSTER_CONNECT when Redis is unreachable) and starts listening for results. */
  static async open(opts: RedisEvaluatorOptions): Promise<RedisEvaluator> {
    const url = opts.redisUrl;
    const prefix = checkPrefix(opts.prefix ?? DEFAULT_PREFIX);
    settingsOf(opts); // bad options fail before any connection is made
    const logger = opts.logger ?? defaultClusterLogger('playforge.cluster');
    const redis = await openRedis(url, logger);
    const connection = bullConnection(url);
    const queue = new Queue<BatchJobData, string>(QUEUE_NAME, { connection, prefix: bullPrefix(prefix) });
    let events: QueueEvents | undefined;
    try {
      queue.on('error', (e) => logger.warn({ reason: scrub(e, url) }, 'cluster queue connection error'));
      await queue.waitUntilReady();
      // Read events from the stream's current end: none that follow can be missed, even before the first XREAD.
      const lastEventId = await lastStreamId(redis, queue.keys.events);
      events = new QueueEvents(QUEUE_NAME, { connection, prefix: bullPrefix(prefix), lastEventId });
      events.on('error', (e) => logger.warn({ reason: scrub(e, url) }, 'cluster event stream connection error'));
      await events.waitUntilReady();
      return new RedisEvaluator(url, prefix, redis, queue, events, logger, opts);
    } catch (e) {
      await Promise.allSettled([events?.close(), queue.close(), quitRedis(redis)]);
      throw e instanceof PlayforgeError ? e : connectError(url, e);
    }
  }

  /** Makes `data` available to jobs naming its hash; returns the hash. */
  addDataset(data: MarketData): string {
    const hash = datasetHash(data);
    this.datasets.set(hash, data);
    return hash;
  }

  stats(): RedisEvaluatorStats {
    return { ...this.stat };
  }

  async evaluate(job: EvalJob): Promise<EvalResult[]> {
    if (this.closed) throw new PlayforgeError('CLUSTER_CLOSED', 'this cluster evaluator is closed');
    if (job.genomes.length === 0) return [];
    const data = this.datasets.get(job.dataset.hash);
    if (!data) {
      throw new PlayforgeError('CLUSTER_UNKNOWN_DATASET', `job ${job.jobId} names dataset ${job.dataset.hash} (${job.dataset.datasetId}), which was never given to this evaluator (addDataset)`, { path: 'dataset.hash' });
    }
    this.stat.evaluations++;
    // The dataset check (and upload) and the count of worker slots, in parallel: one round trip less before the
    // batches are queued.
    const [upload, slots] = await Promise.all([uploadDataset(this.redis, this.prefix, job.dataset.hash, data, this.cfg.datasetTtlMs), this.workerSlots()]);
    if (upload === 'uploaded') {
      this.stat.uploads++;
      this.logger.info({ dataset: job.dataset.datasetId, hash: job.dataset.hash, bars: data.exec.length }, 'dataset uploaded to Redis');
    }
    const playHash = sha256(job.playYaml);
    const minSize = this.msPerGenome > 0 ? Math.ceil(this.cfg.minBatchMs / this.msPerGenome) : 1;
    const size = this.cfg.batchSize ?? batchSizeFor(job.genomes.length, slots, this.cfg.batchesPerSlot, FALLBACK_BATCH, minSize);
    const started = performance.now();
    const batches = chunk(job.genomes, size);
    const run = ++this.seq;
    const ids = batches.map((_, i) => `${this.tag}-${run}-${i}`);
    // Registered before the jobs exist, so no completion can arrive unexpected.
    const waits = ids.map((id, i) => this.expect(id, `batch ${i + 1}/${batches.length} of job ${job.jobId}`, batches[i].map(genomeKey)));
    try {
      await this.queue.addBulk(
        batches.map((genomes, i) => ({
          name: BATCH_JOB_NAME,
          data: encodeBatch({ jobId: job.jobId, batch: i, playHash, playYaml: job.playYaml, dataset: job.dataset, fitness: job.fitness, genomes }),
          opts: {
            jobId: ids[i],
            attempts: this.cfg.attempts,
            backoff: { type: 'exponential', delay: this.cfg.backoffMs },
            // Results are removed once read; these only bound what a vanished coordinator leaves behind.
            removeOnComplete: { age: 3600 },
            removeOnFail: { age: 24 * 3600 },
          },
        })),
      );
    } catch (e) {
      for (const id of ids) this.pending.delete(id);
      throw new PlayforgeError('CLUSTER_QUEUE', `cannot queue job ${job.jobId} on ${redactUrl(this.url)}: ${scrub(e, this.url)}`);
    }
    this.stat.batches += batches.length;
    this.stat.genomes += job.genomes.length;
    this.startPolling();
    try {
      const results = (await Promise.all(waits)).flat();
      this.measure(performance.now() - started, slots, job.genomes.length);
      return results;
    } catch (e) {
      for (const id of ids) this.pending.delete(id);
      throw e;
    } finally {
      // Finished batches are read; waiting ones are useless once a sibling failed. Active ones cannot be
      // removed (their worker holds the lock) and expire with removeOnComplete.
      this.track(Promise.allSettled(ids.map((id) => this.queue.remove(id))));
    }
  }

  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    this.stopPolling();
    for (const [id, p] of this.pending) {
      this.pending.delete(id);
      p.reject(new PlayforgeError('CLUSTER_CLOSED', `the cluster evaluator was closed while ${p.label} was running`));
    }
    await Promise.allSettled([...this.cleanups]);
    await Promise.allSettled([this.events.close(), this.queue.close(), quitRedis(this.redis)]);
  }

  /** Folds one evaluation's wall time into the ms per genome per slot that sizes the next batches. */
  private measure(ms: number, slots: number, genomes: number): void {
    if (slots <= 0 || genomes <= 0) return;
    const m = (ms * slots) / genomes;
    this.msPerGenome = this.msPerGenome > 0 ? (this.msPerGenome + m) / 2 : m;
  }

  /** Batch slots of the connected workers (0 when none, or when the server hides its client list). */
  private async workerSlots(): Promise<number> {
    try {
      const clients = (await this.queue.getWorkers()) as Array<{ rawname?: string }>;
      return slotsOf(clients.map((c) => c.rawname ?? ''));
    } catch {
      return 0;
    }
  }

  private expect(id: string, label: string, keys: string[]): Promise<EvalResult[]> {
    return new Promise<EvalResult[]>((resolve, reject) => this.pending.set(id, { label, keys, resolve, reject }));
  }

  private take(id: string): Pending | undefined {
    const p = this.pending.get(id);
    if (p) this.pending.delete(id);
    if (this.pending.size === 0) this.stopPolling();
    return p;
  }

  private onCompleted(id: string, returnvalue: unknown): void {
    const p = this.take(id);
    if (!p) return;
    try {
      p.resolve(decodeResults(returnvalue, p.keys));
    } catch (e) {
      p.reject(new PlayforgeError('CLUSTER_BAD_RESULT', `${p.label} returned unreadable results: ${(e as Error).message} (do all workers run the same Playforge version?)`));
    }
  }

  private onFailed(id: string, reason: string | undefined): void {
    const p = this.take(id);
    if (!p) return;
    p.reject(new PlayforgeError('CLUSTER_BATCH_FAILED', `${p.label} failed: ${reason ?? 'no reason given'}`));
  }

  private onStalled(id: string): void {
    const p = this.pending.get(id);
    if (!p) return;
    this.stat.stalled++;
    this.logger.warn({ batch: p.label }, 'a cluster worker stopped mid-batch; the batch went back to the queue');
  }

  private track(work: Promise<unknown>): void {
    this.cleanups.add(work);
    void work.finally(() => this.cleanups.delete(work));
  }

  private startPolling(): void {
    if (this.poller || this.pending.size === 0) return;
    this.lastWorkerCheck = Date.now();
    this.poller = setInterval(() => void this.poll(), this.cfg.pollMs);
    this.poller.unref();
  }

  private stopPolling(): void {
    if (this.poller) clearInterval(this.poller);
    this.poller = undefined;
  }

  /** The safety net: batch states read directly, for completions whose event never arrived. */
  private async poll(): Promise<void> {
    if (this.polling) return;
    this.polling = true;
    try {
      for (const id of [...this.pending.keys()]) {
        const state = await this.queue.getJobState(id);
        if (state === 'completed' || state === 'failed') {
          const job = await Job.fromId<BatchJobData, string>(this.queue, id);
          if (state === 'completed') this.onCompleted(id, job?.returnvalue);
          else this.onFailed(id, job?.failedReason);
        } else if (state === 'unknown') {
          const p = this.take(id);
          p?.reject(new PlayforgeError('CLUSTER_BATCH_LOST', `${p.label} vanished from the queue (was Redis flushed, or the queue obliterated?)`));
        }
      }
      if (this.pending.size > 0 && Date.now() - this.lastWorkerCheck >= this.cfg.noWorkersWarnMs) {
        this.lastWorkerCheck = Date.now();
        if ((await this.queue.getWorkersCount()) === 0) {
          this.logger.warn({ server: redactUrl(this.url), prefix: this.prefix, waiting: this.pending.size }, `no cluster worker is connected: start one with \`playforge worker --redis URL --prefix ${this.prefix}\``);
        }
      }
    } catch (e) {
      this.logger.warn({ reason: scrub(e, this.url) }, 'cluster poll failed; retrying');
    } finally {
      this.polling = false;
    }
  }
}

/** The cluster evaluator `playforge evolve --redis URL` uses. */
export function createRedisEvaluator(opts: RedisEvaluatorOptions): Promise<RedisEvaluator> {
  return RedisEvaluator.open(opts);
}
