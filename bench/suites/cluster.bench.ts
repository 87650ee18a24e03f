// Cluster: one generation (96 genomes of a ranged EMA-cross play on 20k 1h bars) evaluated by two
// `playforge worker` processes through Redis, against the local worker-thread pool with two threads, in the
// same run on the same machine. The ratio is the cluster's overhead (queueing, JSON transport, per-process
// caches): the target is <= 1.15. Needs Redis (REDIS_URL); skipped with a notice without it.
import { enumerateGenomes, loadPlay, serializePlay } from '../../src/dsl/index.ts';
import type { MarketData } from '../../src/engine/index.ts';
import { createRedisEvaluator } from '../../src/evolve/cluster/index.ts';
import { encodeExact } from '../../src/evolve/cluster/codec.ts';
import { datasetHash } from '../../src/evolve/dataset.ts';
import type { EvalJob, Evaluator } from '../../src/evolve/evaluator.ts';
import { fitnessConfig } from '../../src/evolve/fitness.ts';
import { WorkerPoolEvaluator } from '../../src/evolve/pool/worker-pool.ts';
import { CLUSTER_PLAY, deleteByPrefix, startWorkerProcess, stopWorkerProcess, uniquePrefix, type WorkerProcess } from '../../test/evolve/cluster/helpers.ts';
import type { BenchSuite, Figure } from '../harness.ts';
import { randomWalkCandles } from '../support/random-walk.ts';

const BARS = 20_000;
const REPEATS = 7;

function median(xs: number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.floor(s.length / 2)];
}

async function timed(fn: () => Promise<unknown>): Promise<number> {
  const t0 = performance.now();
  await fn();
  return performance.now() - t0;
}

export const suite: BenchSuite = {
  name: 'cluster',
  async run(): Promise<Figure[]> {
    const url = process.env.REDIS_URL;
    if (!url) {
      console.log('cluster: skipped — REDIS_URL is not set (e.g. REDIS_URL=redis://127.0.0.1:6379 npm run bench -- --only cluster)');
      return [];
    }
    const { play, errors } = loadPlay(CLUSTER_PLAY, 'cluster-bench.yml');
    if (!play) throw new Error(errors.map((e) => e.format()).join('\n'));
    const data: MarketData = { exec: randomWalkCandles(BARS, 7, 3_600_000), execInterval: '1h', dataset: { exchange: 'bench', symbol: 'BTCUSDT', interval: '1h' } };
    const hash = datasetHash(data);
    const genomes = [...enumerateGenomes(play)];
    const job: EvalJob = {
      jobId: 'bench',
      playYaml: serializePlay(play),
      dataset: { hash, datasetId: 'bench:BTCUSDT:1h', execInterval: '1h', window: { from: data.exec.ts[0], to: data.exec.ts[BARS - 1] + 3_600_000 } },
      fitness: fitnessConfig({ minTrades: 3 }),
      genomes,
    };

    const prefix = uniquePrefix().replace('pf_test', 'pf_bench');
    const workers: WorkerProcess[] = [];
    let pool: Evaluator | undefined;
    let cluster: Evaluator | undefined;
    try {
      const started = await Promise.allSettled([startWorkerProcess(url, prefix), startWorkerProcess(url, prefix)]);
      for (const s of started) if (s.status === 'fulfilled') workers.push(s.value);
      for (const s of started) if (s.status === 'rejected') throw s.reason;
      pool = new WorkerPoolEvaluator(hash, data, { workers: 2 });
      cluster = await createRedisEvaluator({ redisUrl: url, prefix, data, hash });
      // Warm both (threads and processes started, dataset transferred, feature columns cached), and check
      // that they agree exactly before timing anything.
      const [a, b] = [await pool.evaluate(job), await cluster.evaluate(job)];
      if (encodeExact(a) !== encodeExact(b)) throw new Error('cluster results differ from the local pool');
      // Two more warm-up generations each: code optimised in every thread and process, comparison columns
      // shared (kept from their second request), the cluster's batch size fitted to the measured work.
      for (let r = 0; r < 2; r++) {
        await pool.evaluate(job);
        await cluster.evaluate(job);
      }
      // Alternate the two so load from elsewhere on the machine hits both alike.
      const poolMs: number[] = [];
      const clusterMs: number[] = [];
      for (let r = 0; r < REPEATS; r++) {
        poolMs.push(await timed(() => pool!.evaluate(job)));
        clusterMs.push(await timed(() => cluster!.evaluate(job)));
      }
      const p = median(poolMs), c = median(clusterMs);
      return [
        {
          name: `generation of ${genomes.length} genomes, 2 cluster workers`,
          value: c,
          unit: 'ms',
          baseline: 'local worker-thread pool, 2 threads',
          baselineValue: p,
          ratio: c / p,
          note: `${BARS} bars, median of ${REPEATS}; target <= 1.15`,
        },
        {
          name: 'cluster backtests per second',
          value: (genomes.length / c) * 1000,
          unit: 'bt/s',
          baseline: 'local pool backtests per second',
          baselineValue: (genomes.length / p) * 1000,
          ratio: p / c,
          note: 'higher is better',
        },
      ];
    } finally {
      await cluster?.close();
      await pool?.close();
      await Promise.all(workers.map((w) => stopWorkerProcess(w, 'SIGTERM')));
      await deleteByPrefix(url, prefix);
    }
  },
};
