// Cluster: generations evaluated by two `playforge worker` processes through Redis, against the local
// worker-thread pool with two threads, in the same run on the same machine. The ratio is the cluster's
// overhead (queue round trips, JSON transport, and on this 2-vCPU machine Redis and the coordinator competing
// with the two busy workers): the target is <= 1.15. The overhead is a fixed few ms per generation, so it is
// measured on two generations and also given in ms:
//  1. the seed evolution's: 100 random genomes of the widened seed example on the shipped BTCUSDT 15m training
//     window (~0.1 ms per backtest once warm, ~7 ms of work per thread), after ~4,000 warm-up genomes per
//     thread or process (where V8 has stopped optimising);
//  2. a heavy one, what a cluster is for: 96 variants of the always-in-market EMA cross over 1M 1m bars
//     (~10 ms per backtest).
// Needs Redis (REDIS_URL); skipped with a notice without it.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { CandleStore } from '../../src/data/index.ts';
import { loadPlayFile, serializePlay, type Genome, type Play } from '../../src/dsl/index.ts';
import type { MarketData } from '../../src/engine/index.ts';
import { createRedisEvaluator } from '../../src/evolve/cluster/index.ts';
import { encodeExact } from '../../src/evolve/cluster/codec.ts';
import { datasetHash, windowOf } from '../../src/evolve/dataset.ts';
import type { EvalJob, Evaluator } from '../../src/evolve/evaluator.ts';
import { fitnessConfig } from '../../src/evolve/fitness.ts';
import { loadEvolutionData } from '../../src/evolve/index.ts';
import { WorkerPoolEvaluator } from '../../src/evolve/pool/worker-pool.ts';
import { deleteByPrefix, startWorkerProcess, stopWorkerProcess, uniquePrefix, type WorkerProcess } from '../../test/evolve/cluster/helpers.ts';
import type { BenchSuite, Figure } from '../harness.ts';
import { benchPlay } from '../support/plays.ts';
import { randomWalkCandles } from '../support/random-walk.ts';
import { distinctGenomes, importShippedBtc15m } from '../support/shipped.ts';

const REPEATS = 7;
const WIDE_SEED = new URL('../../test/fixtures/evolve/regime_markov_wide.yml', import.meta.url).pathname;

function median(xs: number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.floor(s.length / 2)];
}

async function timed(fn: () => Promise<unknown>): Promise<number> {
  const t0 = performance.now();
  await fn();
  return performance.now() - t0;
}

/** `generations` generations of `count` distinct genomes of `play` each. */
const generations = (play: Play, count: number, generations: number, seed: number): Genome[][] =>
  Array.from({ length: generations }, (_, k) => distinctGenomes(play, count, seed * 1_000 + k));

interface Workload {
  play: Play;
  data: MarketData;
  datasetId: string;
  /** Warm-up generations (the first is also checked: cluster and pool must agree exactly), then timed ones. */
  warm: Genome[][];
  timed: Genome[][];
}

/** Median ms per generation of the local pool and of the cluster, each fresh and warmed on the same genomes. */
async function compare(url: string, w: Workload): Promise<{ pool: number; cluster: number }> {
  const hash = datasetHash(w.data);
  const playYaml = serializePlay(w.play);
  const job = (genomes: Genome[]): EvalJob => ({
    jobId: 'bench', playYaml, fitness: fitnessConfig(), genomes,
    dataset: { hash, datasetId: w.datasetId, execInterval: w.data.execInterval, window: windowOf(w.data.exec, Number(w.data.exec.ts[1] - w.data.exec.ts[0])) },
  });
  const prefix = uniquePrefix().replace('pf_test', 'pf_bench');
  const workers: WorkerProcess[] = [];
  let pool: Evaluator | undefined;
  let cluster: Evaluator | undefined;
  try {
    const started = await Promise.allSettled([startWorkerProcess(url, prefix), startWorkerProcess(url, prefix)]);
    for (const s of started) if (s.status === 'fulfilled') workers.push(s.value);
    for (const s of started) if (s.status === 'rejected') throw s.reason;
    pool = new WorkerPoolEvaluator(hash, w.data, { workers: 2 });
    cluster = await createRedisEvaluator({ redisUrl: url, prefix, data: w.data, hash });
    for (const [k, g] of w.warm.entries()) {
      const [a, b] = [await pool.evaluate(job(g)), await cluster.evaluate(job(g))];
      if (k === 0 && encodeExact(a) !== encodeExact(b)) throw new Error('cluster results differ from the local pool');
    }
    // Alternate the two so load from elsewhere on the machine hits both alike.
    const poolMs: number[] = [], clusterMs: number[] = [];
    for (const g of w.timed) {
      poolMs.push(await timed(() => pool!.evaluate(job(g))));
      clusterMs.push(await timed(() => cluster!.evaluate(job(g))));
    }
    return { pool: median(poolMs), cluster: median(clusterMs) };
  } finally {
    await cluster?.close();
    await pool?.close();
    await Promise.all(workers.map((p) => stopWorkerProcess(p, 'SIGTERM')));
    await deleteByPrefix(url, prefix);
  }
}

function figures(label: string, genomes: number, { pool: p, cluster: c }: { pool: number; cluster: number }, note: string): Figure[] {
  return [
    {
      name: `${label}: generation of ${genomes} genomes, 2 cluster workers`,
      value: c, unit: 'ms', baseline: 'local worker-thread pool, 2 threads', baselineValue: p, ratio: c / p,
      note: `${note}; median of ${REPEATS}; target <= 1.15`,
    },
    {
      name: `${label}: cluster cost per generation`,
      value: c - p, unit: 'ms', baseline: 'local pool generation', baselineValue: p, ratio: (c - p) / p,
      note: 'queue round trips, transport, Redis and the coordinator on the same 2 cores',
    },
  ];
}

async function seedWorkload(dir: string): Promise<Workload> {
  const store = await CandleStore.open(dir);
  try {
    await importShippedBtc15m(store);
  } finally {
    store.close();
  }
  const { play, errors } = await loadPlayFile(WIDE_SEED);
  if (!play) throw new Error(errors.map((e) => e.format()).join('\n'));
  const d = await loadEvolutionData(dir, [play], 'bybit:BTCUSDT:15m', { subBars: false });
  // 80 warm-up generations of 100: ~4,000 genomes per thread or process.
  const gens = generations(d.plays[0], 100, 80 + REPEATS, 1);
  return { play: d.plays[0], data: d.train, datasetId: 'bybit:BTCUSDT:15m', warm: gens.slice(0, 80), timed: gens.slice(80) };
}

async function heavyWorkload(): Promise<Workload> {
  const play = await benchPlay('bench/plays/ema_cross_variants.yml');
  const data: MarketData = { dataset: { exchange: 'bench', symbol: 'BTCUSDT', interval: '1m' }, exec: randomWalkCandles(1_000_000), execInterval: '1m' };
  // Two warm-up generations (EMAs computed and cached in every thread and process; ~200 long backtests each).
  const gens = generations(play, 96, 2 + REPEATS, 2);
  return { play, data, datasetId: 'bench:BTCUSDT:1m', warm: gens.slice(0, 2), timed: gens.slice(2) };
}

export const suite: BenchSuite = {
  name: 'cluster',
  async run(): Promise<Figure[]> {
    const url = process.env.REDIS_URL;
    if (!url) {
      console.log('cluster: skipped — REDIS_URL is not set (e.g. REDIS_URL=redis://127.0.0.1:6379 npm run bench -- --only cluster)');
      return [];
    }
    const dir = mkdtempSync(path.join(tmpdir(), 'pf-bench-cluster-'));
    try {
      const seed = await compare(url, await seedWorkload(dir));
      const heavy = await compare(url, await heavyWorkload());
      return [
        ...figures('seed evolution', 100, seed, 'widened seed example, BTCUSDT 15m training window (55k bars), ~0.1 ms per backtest, after 80 warm-up generations'),
        ...figures('heavy', 96, heavy, 'EMA-cross variants over 1M 1m bars, ~10 ms per backtest, after 2 warm-up generations'),
      ];
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  },
};
