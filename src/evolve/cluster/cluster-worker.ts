// The worker side of the cluster (`playforge worker --redis URL`): a BullMQ Worker that takes backtest batches,
// fetches each dataset once by content hash (kept in a byte-bounded LRU), parses each play once per YAML hash,
// and scores with the same `scoreGenome` a local run uses. With concurrency 1 the batch runs in this
// thread, one genome at a time, back to the event loop every ~20 ms, so the lock on the batch keeps being
// renewed while a long batch runs; with concurrency N it runs on the local worker-thread pool (N threads per
// dataset), so N cores work and this thread stays free for the locks. A worker that dies stops renewing its locks, and its
// batches go back to the queue for another worker.
import os from 'node:os';
import { setImmediate as yieldToEventLoop } from 'node:timers/promises';
import type { Redis } from 'ioredis';
import { UnrecoverableError, Worker, type Job } from 'bullmq';
import { PlayforgeError } from '../../common/index.ts';
import { loadPlay, type Play } from '../../dsl/index.ts';
import { ColumnScratch, FeatureCache, type MarketData } from '../../engine/index.ts';
import { scoreGenome, type GenomeScore } from '../evaluator.ts';
import { WorkerPoolEvaluator } from '../pool/worker-pool.ts';
import { bullConnection, connectError, defaultClusterLogger, openRedis, quitRedis, redactUrl, scrub, type ClusterLogger } from './connection.ts';
import { DatasetCache, type DatasetCacheStats } from './dataset-cache.ts';
import { fetchDataset } from './dataset-store.ts';
import {
  bullPrefix, checkPrefix, decodeBatch, DEFAULT_PREFIX, type BatchPayload, DEFAULT_WORKER_TIMINGS, encodeResults, QUEUE_NAME, sha256, workerName, type BatchJobData,
  type WorkerTimings,
} from './protocol.ts';

export interface ClusterWorkerOptions extends Partial<WorkerTimings> {
  redisUrl: string;
  /** Must match the coordinator's (default `pf`). */
  prefix?: string;
  /** Batches in progress at once, and threads evaluating them (default 1: this thread). */
  concurrency?: number;
  /** Byte cap of the dataset cache (default 1 GiB) and of the feature-column cache (engine default). */
  datasetCacheBytes?: number;
  featureCacheBytes?: number;
  /** Close gracefully on the first SIGINT/SIGTERM (finish the batches in hand), exit at once on the second. */
  handleSignals?: boolean;
  logger?: ClusterLogger;
}

export interface ClusterWorkerStats {
  batches: number;
  genomes: number;
  failedAttempts: number;
  datasets: DatasetCacheStats;
}

export interface ClusterWorker {
  stats(): ClusterWorkerStats;
  /** Stops taking batches, lets the ones in hand finish, disconnects. */
  close(): Promise<void>;
  /** Settles when the worker has closed (by close() or a signal). */
  readonly closed: Promise<void>;
}

const MAX_PLAYS = 64;
/** Thread pools kept at once (one per dataset): a run uses one dataset, a few runs may alternate. */
const MAX_POOLS = 2;

/** Parsed plays by YAML hash, the oldest dropped beyond MAX_PLAYS. */
class PlayCache {
  private readonly plays = new Map<string, Play>();

  get(hash: string, yaml: string): Play {
    const hit = this.plays.get(hash);
    if (hit) return hit;
    if (sha256(yaml) !== hash) throw new UnrecoverableError(`the play text does not match its hash ${hash}`);
    const { play, errors } = loadPlay(yaml, 'cluster-job.yml');
    if (!play) throw new UnrecoverableError(`the play does not load: ${errors.map((e) => e.format()).join('; ')}`);
    this.plays.set(hash, play);
    if (this.plays.size > MAX_PLAYS) this.plays.delete(this.plays.keys().next().value as string);
    return play;
  }
}

/** Runs one batch's genomes; results in genome order. */
interface BatchRunner {
  run(batch: BatchPayload, play: Play, data: MarketData): Promise<GenomeScore[]>;
  close(): Promise<void>;
}

/** Work between two returns to the event loop in the in-thread runner, ms. */
const YIELD_EVERY_MS = 20;

/** Concurrency 1: this thread, back to the event loop every YIELD_EVERY_MS so timers (lock renewal, signals) keep running. */
function inThreadRunner(featureCacheBytes: number | undefined): BatchRunner {
  const features = new FeatureCache(featureCacheBytes ? { maxBytes: featureCacheBytes } : {});
  // One scratch for every genome (each backtest gives its columns back).
  const scratch = new ColumnScratch();
  return {
    async run(batch, play, data) {
      const results: GenomeScore[] = [];
      let since = performance.now();
      for (const genome of batch.genomes) {
        results.push(scoreGenome(play, data, batch.fitness, genome, features, scratch));
        // Back to the event loop every ~20 ms of work (lock renewals run there, every half lock duration):
        // a turn per genome cost more than short backtests themselves.
        if (performance.now() - since >= YIELD_EVERY_MS) {
          await yieldToEventLoop();
          since = performance.now();
        }
      }
      return results;
    },
    close: async () => undefined,
  };
}

/** Concurrency N: the local worker-thread pool, N threads per dataset (the data is shared, not copied). */
function poolRunner(threads: number, featureCacheBytes: number | undefined): BatchRunner {
  // Most recently used last; `busy` counts the batches running on a pool, which is never closed under them.
  const pools = new Map<string, { pool: WorkerPoolEvaluator; busy: number }>();
  const retired: Array<Promise<void>> = [];
  const acquire = (hash: string, data: MarketData) => {
    const entry = pools.get(hash) ?? { pool: new WorkerPoolEvaluator(hash, data, { workers: threads, ...(featureCacheBytes ? { cacheBytes: featureCacheBytes } : {}) }), busy: 0 };
    pools.delete(hash);
    pools.set(hash, entry);
    entry.busy++;
    for (const [h, e] of pools) {
      if (pools.size <= MAX_POOLS) break;
      if (e.busy > 0) continue;
      pools.delete(h);
      retired.push(e.pool.close().catch(() => undefined));
    }
    return entry;
  };
  return {
    async run(batch, _play, data) {
      const entry = acquire(batch.dataset.hash, data);
      try {
        return await entry.pool.evaluate({ jobId: batch.jobId, playYaml: batch.playYaml, dataset: batch.dataset, fitness: batch.fitness, genomes: batch.genomes });
      } finally {
        entry.busy--;
      }
    },
    async close() {
      await Promise.allSettled([...[...pools.values()].map((e) => e.pool.close()), ...retired]);
      pools.clear();
    },
  };
}

export async function startClusterWorker(opts: ClusterWorkerOptions): Promise<ClusterWorker> {
  const url = opts.redisUrl;
  const prefix = checkPrefix(opts.prefix ?? DEFAULT_PREFIX);
  const logger = opts.logger ?? defaultClusterLogger('playforge.worker');
  const timings: WorkerTimings = {
    lockDurationMs: opts.lockDurationMs ?? DEFAULT_WORKER_TIMINGS.lockDurationMs,
    stalledIntervalMs: opts.stalledIntervalMs ?? DEFAULT_WORKER_TIMINGS.stalledIntervalMs,
    maxStalledCount: opts.maxStalledCount ?? DEFAULT_WORKER_TIMINGS.maxStalledCount,
  };
  const concurrency = opts.concurrency ?? 1;
  for (const [name, v] of Object.entries({ ...timings, concurrency })) {
    if (!(Number.isInteger(v) && v >= (name === 'maxStalledCount' ? 0 : 1))) {
      throw new PlayforgeError('CLUSTER_BAD_OPTION', `${name} must be a positive integer, got ${v}`, { path: name });
    }
  }

  const redis: Redis = await openRedis(url, logger);
  const datasets = new DatasetCache(async (hash) => {
    const t0 = performance.now();
    const got = await fetchDataset(redis, prefix, hash);
    logger.info({ hash, bytes: got.bytes, bars: got.data.exec.length, ms: Math.round(performance.now() - t0) }, 'dataset fetched');
    return got;
  }, opts.datasetCacheBytes ?? 1024 ** 3);
  const runner = concurrency > 1 ? poolRunner(concurrency, opts.featureCacheBytes) : inThreadRunner(opts.featureCacheBytes);
  const plays = new PlayCache();
  const stat = { batches: 0, genomes: 0, failedAttempts: 0 };

  const processBatch = async (job: Job<BatchJobData, string>): Promise<string> => {
    let batch;
    try {
      batch = decodeBatch(job.data);
    } catch (e) {
      throw new UnrecoverableError((e as Error).message);
    }
    logger.debug({ job: job.id, batch: batch.batch, of: batch.jobId, genomes: batch.genomes.length, attempt: job.attemptsStarted }, 'batch started');
    const t0 = performance.now();
    const play = plays.get(batch.playHash, batch.playYaml);
    const data = await datasets.get(batch.dataset.hash);
    const results = await runner.run(batch, play, data);
    if (results.length !== batch.genomes.length) throw new Error(`${results.length} results for ${batch.genomes.length} genomes`);
    stat.batches++;
    stat.genomes += results.length;
    logger.debug({ job: job.id, genomes: results.length, ms: Math.round(performance.now() - t0) }, 'batch done');
    return encodeResults(results, batch.fitness.objectives.length);
  };

  const worker = new Worker<BatchJobData, string>(QUEUE_NAME, processBatch, {
    connection: bullConnection(url),
    prefix: bullPrefix(prefix),
    name: workerName(concurrency, os.hostname(), process.pid),
    concurrency,
    lockDuration: timings.lockDurationMs,
    stalledInterval: timings.stalledIntervalMs,
    maxStalledCount: timings.maxStalledCount,
    // The coordinator removes results once read; these bound what is left when it is gone.
    removeOnComplete: { age: 3600 },
    removeOnFail: { age: 24 * 3600 },
    autorun: false,
  });
  worker.on('error', (e) => logger.warn({ reason: scrub(e, url) }, 'cluster worker error'));
  worker.on('failed', (job, e) => {
    stat.failedAttempts++;
    logger.warn({ job: job?.id, attempt: job?.attemptsMade, reason: scrub(e, url) }, 'batch failed');
  });

  let resolveClosed!: () => void;
  const closed = new Promise<void>((resolve) => (resolveClosed = resolve));
  let closing: Promise<void> | undefined;
  const signals: NodeJS.Signals[] = ['SIGINT', 'SIGTERM'];
  const onSignal = (signal: NodeJS.Signals): void => {
    if (closing) {
      logger.warn({ signal }, 'second signal: exiting now; unfinished batches go back to the queue');
      process.exit(130);
    }
    logger.info({ signal }, 'shutting down: finishing the batches in hand (signal again to exit now)');
    void close();
  };
  const close = (): Promise<void> => {
    closing ??= (async () => {
      await worker.close().catch((e: unknown) => logger.warn({ reason: scrub(e, url) }, 'closing the queue connection failed'));
      await runner.close();
      await quitRedis(redis);
      if (opts.handleSignals) for (const s of signals) process.off(s, onSignal);
      logger.info({ ...stat }, 'cluster worker stopped');
      resolveClosed();
    })();
    return closing;
  };

  try {
    await worker.waitUntilReady();
  } catch (e) {
    await Promise.allSettled([worker.close(true), runner.close(), quitRedis(redis)]);
    throw connectError(url, e);
  }
  if (opts.handleSignals) for (const s of signals) process.on(s, onSignal);
  void worker.run().catch((e: unknown) => logger.error({ reason: scrub(e, url) }, 'cluster worker stopped on an error'));
  logger.info(
    { server: redactUrl(url), prefix, queue: QUEUE_NAME, concurrency, pid: process.pid, ...timings },
    'cluster worker ready',
  );

  return {
    stats: () => ({ ...stat, datasets: datasets.stats() }),
    close,
    closed,
  };
}
