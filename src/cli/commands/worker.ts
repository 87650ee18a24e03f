// `playforge worker --redis URL`: a cluster worker that takes backtest batches from the evolution queue until
// SIGINT/SIGTERM. A thin shell over src/evolve/cluster; logs go to stderr as JSON lines, stdout stays empty.
import type { Command } from 'commander';
import { PlayforgeError } from '../../common/errors.ts';
import { DEFAULT_PREFIX, DEFAULT_WORKER_TIMINGS, startClusterWorker } from '../../evolve/cluster/index.ts';

interface WorkerOptions {
  redis?: string;
  concurrency: string;
  prefix: string;
  lockDuration: string;
  stalledInterval: string;
  datasetCacheMb: string;
}

function positiveInt(value: string, flag: string): number {
  const n = Number(value);
  if (!Number.isInteger(n) || n < 1) throw new PlayforgeError('CLI_BAD_OPTION', `${flag} must be a positive integer, got "${value}"`, { path: flag });
  return n;
}

export function registerWorkerCommand(program: Command): void {
  program
    .command('worker')
    .description('process backtest batches of cluster evolutions (`playforge evolve --redis URL`) until stopped')
    .option('--redis <url>', 'Redis server of the cluster (env REDIS_URL)')
    .option('--concurrency <n>', 'batches in progress at once in this process', '1')
    .option('--prefix <name>', 'namespace of the cluster keys; must match the coordinator', DEFAULT_PREFIX)
    .option('--lock-duration <ms>', 'how long a batch stays claimed without a heartbeat', String(DEFAULT_WORKER_TIMINGS.lockDurationMs))
    .option('--stalled-interval <ms>', 'how often to look for batches whose worker died', String(DEFAULT_WORKER_TIMINGS.stalledIntervalMs))
    .option('--dataset-cache-mb <n>', 'memory for cached datasets', '1024')
    .action(async (opts: WorkerOptions) => {
      const redisUrl = opts.redis ?? process.env.REDIS_URL;
      if (!redisUrl) throw new PlayforgeError('CLI_MISSING_OPTION', 'worker needs a Redis server: --redis redis://HOST:6379 (or REDIS_URL)', { path: '--redis' });
      const worker = await startClusterWorker({
        redisUrl,
        prefix: opts.prefix,
        concurrency: positiveInt(opts.concurrency, '--concurrency'),
        lockDurationMs: positiveInt(opts.lockDuration, '--lock-duration'),
        stalledIntervalMs: positiveInt(opts.stalledInterval, '--stalled-interval'),
        datasetCacheBytes: positiveInt(opts.datasetCacheMb, '--dataset-cache-mb') * 1024 * 1024,
        handleSignals: true,
      });
      await worker.closed;
    });
}
