// Generations: many variants of one play backtested together, as an evolution does — every figure a ratio
// to the reference EMA-cross loop (bench/suites/engine.bench.ts) measured in the same run.
//  1. 100 distinct variants of the EMA-cross play (bench/plays/ema_cross_variants.yml) over 1,000,000 1m
//     bars: in this thread, and on a 2-thread WorkerPoolEvaluator (src/evolve's pool, as evolutions use it),
//     after a warm-up generation (threads started, code optimised, most EMA lengths in each thread's cache).
//  2. 100 random variants of the seed example (its three lists widened: test/fixtures/evolve) on the shipped
//     BTCUSDT 15m bars with funding, through the store and loadBacktestData: backtests per second after 20
//     warm-up generations (in-thread and on the pool alike), and where the time goes (indicators, structures,
//     conditions, the bar loop) summed over the generation.
import { mkdtempSync, rmSync } from 'node:fs';
import { cpus, loadavg, tmpdir } from 'node:os';
import path from 'node:path';
import { CandleStore } from '../../src/data/index.ts';
import { loadPlayFile, resolvePlay, serializePlay, type Genome } from '../../src/dsl/index.ts';
import { ColumnScratch, FeatureCache, loadBacktestData, scorePlay, type MarketData } from '../../src/engine/index.ts';
import { datasetHash, fitnessConfig, InlineEvaluator, WorkerPoolEvaluator, windowOf, type EvalJob, type Evaluator } from '../../src/evolve/index.ts';
import { timeMedian, type BenchSuite, type Figure } from '../harness.ts';
import { benchPlay } from '../support/plays.ts';
import { distinctGenomes, importShippedBtc15m } from '../support/shipped.ts';
import { randomWalkCandles } from '../support/random-walk.ts';
import { referenceEmaCross } from './engine.bench.ts';

const N = 1_000_000;
const VARIANTS = 100;
/** Warm-up generations of the seed-example figures (~2,000 genomes in this thread, ~1,000 per pool thread). */
const WARM_GENERATIONS = 20;
const WIDE_SEED = new URL('../../test/fixtures/evolve/regime_markov_wide.yml', import.meta.url).pathname;

/** Wall ms of one generation on `ev`, and the best of `rounds` fresh generations after a warm-up one. */
async function generationMs(ev: Evaluator, job: (g: Genome[]) => EvalJob, warm: Genome[], rounds: Genome[][]): Promise<{ warmMs: number; ms: number }> {
  let t0 = performance.now();
  await ev.evaluate(job(warm));
  const warmMs = performance.now() - t0;
  let ms = Infinity;
  for (const g of rounds) {
    t0 = performance.now();
    await ev.evaluate(job(g));
    ms = Math.min(ms, performance.now() - t0);
  }
  return { warmMs, ms };
}

async function emaGeneration(figures: Figure[]): Promise<void> {
  const candles = randomWalkCandles(N);
  const eq = new Float64Array(N);
  const refMs = await timeMedian(() => referenceEmaCross(candles.close, eq), 7, 3);
  const play = await benchPlay('bench/plays/ema_cross_variants.yml');
  const data: MarketData = { dataset: { exchange: 'bench', symbol: 'BTCUSDT', interval: '1m' }, exec: candles, execInterval: '1m' };
  const hash = datasetHash(data);
  const yaml = serializePlay(play);
  const job = (g: Genome[]): EvalJob => ({
    jobId: 'bench', playYaml: yaml, fitness: fitnessConfig(), genomes: g,
    dataset: { hash, datasetId: 'bench:BTCUSDT:1m', execInterval: '1m', window: windowOf(candles, 60_000) },
  });
  const seen = new Set<string>();
  const warm = distinctGenomes(play, VARIANTS, 1, seen);
  const rounds = [2, 3].map((s) => distinctGenomes(play, VARIANTS, s, seen));
  const ideal = (VARIANTS * refMs) / 2; // the reference loop, 100 times, on 2 cores
  const run = async (make: () => Evaluator) => {
    const ev = make();
    try {
      return await generationMs(ev, job, warm, rounds);
    } finally {
      await ev.close();
    }
  };
  const inline = await run(() => new InlineEvaluator(hash, data));
  const pool = await run(() => new WorkerPoolEvaluator(hash, data, { workers: 2 }));
  const load = `1-min load ${loadavg()[0].toFixed(1)} on ${cpus().length} cores`;
  figures.push(
    { name: 'reference EMA(12/26) cross loop, 1M bars (this suite)', value: refMs, unit: 'ms', baseline: 'itself', baselineValue: refMs, ratio: 1 },
    {
      name: `generation: ${VARIANTS} EMA-cross variants x 1M bars, in-thread`, value: inline.ms, unit: 'ms', baseline: `${VARIANTS} reference loops`,
      baselineValue: VARIANTS * refMs, ratio: inline.ms / (VARIANTS * refMs), note: `${((VARIANTS * 1000) / inline.ms).toFixed(0)} backtests/s; first generation (computing its EMAs) ${inline.warmMs.toFixed(0)} ms`,
    },
    {
      name: `generation: ${VARIANTS} EMA-cross variants x 1M bars, 2 worker threads`, value: pool.ms, unit: 'ms', baseline: `${VARIANTS} reference loops on 2 cores`,
      baselineValue: ideal, ratio: pool.ms / ideal,
      note: `goal < 120 ms wall; ${((VARIANTS * 1000) / pool.ms).toFixed(0)} backtests/s; first generation ${pool.warmMs.toFixed(0)} ms; ${load}`,
    },
  );
}

async function seedGeneration(figures: Figure[]): Promise<void> {
  const dir = mkdtempSync(path.join(tmpdir(), 'pf-bench-gen-'));
  try {
    const store = await CandleStore.open(dir);
    let loaded: Awaited<ReturnType<typeof loadBacktestData>>;
    const { play: ranged, errors } = await loadPlayFile(WIDE_SEED);
    if (!ranged) throw new Error(errors.map((e) => e.format()).join('\n'));
    try {
      await importShippedBtc15m(store);
      loaded = await loadBacktestData(store, ranged, 'bybit:BTCUSDT:15m', { subBars: false });
    } finally {
      store.close();
    }
    const { play, data } = loaded;
    const bars = data.exec.length;
    const eq = new Float64Array(bars);
    const refMs = await timeMedian(() => referenceEmaCross(data.exec.close, eq), 7, 3);
    const seen = new Set<string>();
    const warm = distinctGenomes(play, VARIANTS, 11, seen), timed = distinctGenomes(play, VARIANTS, 12, seen);

    // In this thread, with the per-backtest timings summed: WARM_GENERATIONS warm-up generations, then a fresh
    // one, each scored as evaluators score (scorePlay, condition columns reused through one scratch).
    const cache = new FeatureCache();
    const scratch = new ColumnScratch();
    for (let r = 0; r < WARM_GENERATIONS; r++) for (const g of warm) scorePlay(resolvePlay(play, g), data, { cache, scratch });
    const sums = { indicatorsMs: 0, structuresMs: 0, conditionsMs: 0, loopMs: 0 };
    const t0 = performance.now();
    let trades = 0;
    for (const g of timed) {
      const bt = scorePlay(resolvePlay(play, g), data, { cache, scratch });
      for (const k of Object.keys(sums) as (keyof typeof sums)[]) sums[k] += bt.timings[k];
      trades += bt.metrics.trades;
    }
    const ms = performance.now() - t0;
    const share = (x: number) => `${((100 * x) / ms).toFixed(0)}%`;
    const other = ms - sums.indicatorsMs - sums.structuresMs - sums.conditionsMs - sums.loopMs;

    const hash = datasetHash(data);
    const yaml = serializePlay(play);
    const job = (g: Genome[]): EvalJob => ({
      jobId: 'bench', playYaml: yaml, fitness: fitnessConfig(), genomes: g,
      dataset: { hash, datasetId: 'bybit:BTCUSDT:15m', execInterval: data.execInterval, window: windowOf(data.exec, 900_000) },
    });
    const ev = new WorkerPoolEvaluator(hash, data, { workers: 2 });
    let pool: { warmMs: number; ms: number };
    try {
      // The same warm-up per thread as in-thread (a thread that has seen only ~50 genomes is still being
      // optimised by V8's compiler threads, on the cores the other thread needs); the first generation's time
      // is the pool's first.
      const first = await generationMs(ev, job, warm, []);
      for (let r = 2; r < WARM_GENERATIONS; r++) await ev.evaluate(job(warm));
      pool = { ...(await generationMs(ev, job, warm, [timed, distinctGenomes(play, VARIANTS, 13, seen)])), warmMs: first.warmMs };
    } finally {
      await ev.close();
    }
    figures.push(
      {
        name: `generation: ${VARIANTS} random seed-example variants, BTCUSDT 15m, in-thread`, value: (VARIANTS * 1000) / ms, unit: 'bt/s',
        baseline: `reference EMA loop over the same ${bars} bars`, baselineValue: 1000 / refMs, ratio: ms / VARIANTS / refMs,
        note: `time ratio per backtest; ${(ms / VARIANTS).toFixed(2)} ms each, ${trades} trades; indicators ${share(sums.indicatorsMs)}, structures ${share(sums.structuresMs)}, conditions ${share(sums.conditionsMs)}, bar loop ${share(sums.loopMs)}, rest (play resolution, compile, metrics) ${share(other)}`,
      },
      {
        name: `generation: ${VARIANTS} random seed-example variants, BTCUSDT 15m, 2 worker threads`, value: (VARIANTS * 1000) / pool.ms, unit: 'bt/s',
        baseline: 'in-thread backtests/s', baselineValue: (VARIANTS * 1000) / ms, ratio: ms / pool.ms,
        note: `speed-up over in-thread, higher is better; ${pool.ms.toFixed(0)} ms per generation after ${WARM_GENERATIONS} warm-up generations, first ${pool.warmMs.toFixed(0)} ms`,
      },
    );
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

export const suite: BenchSuite = {
  name: 'engine generation',
  async run(): Promise<Figure[]> {
    const figures: Figure[] = [];
    await emaGeneration(figures);
    await seedGeneration(figures);
    return figures;
  },
};
