// Evolution: evaluations per second in-thread and on 1 and 2 worker threads (scaling), and whole evolutions on
// the shipped 2 years of BTCUSDT 15m bars (training window = first 75%), each as a ratio to baselines measured
// in this run (one single backtest; the in-thread evaluator; one worker thread).
import { mkdtempSync, rmSync } from 'node:fs';
import { cpus, loadavg, tmpdir } from 'node:os';
import path from 'node:path';
import { createRng } from '../../src/common/index.ts';
import { CandleStore, EXAMPLES_DATA_DIR, importFile } from '../../src/data/index.ts';
import { defaultGenome, genomeOf, loadPlayFile, resolvePlay, serializePlay, type Genome, type Play } from '../../src/dsl/index.ts';
import { backtestPlay, FeatureCache } from '../../src/engine/index.ts';
import {
  datasetHash, fitnessConfig, genomeKey, InlineEvaluator, loadEvolutionData, runEvolution, sampleGenes, WorkerPoolEvaluator, type EvalJob,
  type EvolutionData, type Evaluator,
} from '../../src/evolve/index.ts';
import { timeMedian, type BenchSuite, type Figure } from '../harness.ts';

const DATASET = 'bybit:BTCUSDT:15m';
const SEED = new URL('../../examples/plays/regime_markov_candidate_001.yml', import.meta.url).pathname;
const WIDE = new URL('../../test/fixtures/evolve/regime_markov_wide.yml', import.meta.url).pathname;

async function play(file: string): Promise<Play> {
  const { play: p, errors } = await loadPlayFile(file);
  if (!p) throw new Error(errors.map((e) => e.format()).join('\n'));
  return p;
}

/** `n` distinct genomes of a play, none in `skip`. */
function genomes(p: Play, n: number, seed: number, skip = new Set<string>()): Genome[] {
  const rng = createRng(seed), genes = genomeOf(p), out: Genome[] = [];
  while (out.length < n) {
    const g = sampleGenes(genes, rng), k = genomeKey(g);
    if (!skip.has(k)) {
      skip.add(k);
      out.push(g);
    }
  }
  return out;
}

/**
 * Steady-state evaluations per second of `ev`: warm-up jobs of 256 genomes, as generations of an evolution come
 * (thread start, optimised code, and every feature column in each worker's cache: one job lands each key range
 * of its sorted genomes on one worker only), then
 * the best of the timed jobs (the machine is shared: the best run is the one least disturbed by others). Also
 * the process CPU time (all threads) per timed evaluation: the work itself, whatever the other load.
 */
async function evalsPerSecond(ev: Evaluator, job: (g: Genome[]) => EvalJob, warm: Genome[], timed: Genome[][]): Promise<{ rate: number; cpuMs: number }> {
  for (let k = 0; k < warm.length; k += 256) await ev.evaluate(job(warm.slice(k, k + 256)));
  let best = 0, n = 0;
  const c0 = process.cpuUsage();
  for (const t of timed) {
    const t0 = performance.now();
    await ev.evaluate(job(t));
    best = Math.max(best, (t.length * 1000) / (performance.now() - t0));
    n += t.length;
  }
  const cpu = process.cpuUsage(c0);
  return { rate: best, cpuMs: (cpu.user + cpu.system) / 1000 / n };
}

export const suite: BenchSuite = {
  name: 'evolve',
  async run(): Promise<Figure[]> {
    const dir = mkdtempSync(path.join(tmpdir(), 'pf-bench-evolve-'));
    try {
      const store = await CandleStore.open(dir);
      try {
        await importFile(store, path.join(EXAMPLES_DATA_DIR, 'BYBIT_BTCUSDT_15m.csv'));
        await importFile(store, path.join(EXAMPLES_DATA_DIR, 'BYBIT_BTCUSDT_funding.csv'), { kind: 'funding' });
      } finally {
        store.close();
      }
      const [seedPlay, widePlay] = [await play(SEED), await play(WIDE)];
      const d: EvolutionData = await loadEvolutionData(dir, [seedPlay, widePlay], DATASET, { subBars: false });
      const bars = d.trainBars;
      const hash = datasetHash(d.train);
      const fitness = fitnessConfig();
      const [seedRun, wideRun] = d.plays;

      // Baseline: one backtest of the seed example (default genome) on the training window, cold feature cache.
      const concrete = resolvePlay(seedRun, defaultGenome(seedRun));
      const singleMs = await timeMedian(() => backtestPlay(concrete, d.train, { cache: new FeatureCache() }), 5, 1);

      // Steady-state evaluations per second on the widened play's random genomes: the warm-up jobs (4 x 256
      // genomes) leave its 63 feature columns in each thread's cache, as a long evolution does; each timed job
      // (a generation of 100) is new to every evaluator.
      const wideYaml = serializePlay(wideRun);
      const job = (g: Genome[]): EvalJob => ({
        jobId: 'bench', playYaml: wideYaml, fitness, genomes: g,
        dataset: { hash, datasetId: DATASET, execInterval: d.train.execInterval, window: d.trainWindow },
      });
      const seen = new Set<string>();
      const warm = genomes(wideRun, 1024, 1, seen), timed = [2, 3, 4, 5, 6].map((k) => genomes(wideRun, 100, k, seen));
      const rate = async (make: () => Evaluator) => {
        const ev = make();
        try {
          return await evalsPerSecond(ev, job, warm, timed);
        } finally {
          await ev.close();
        }
      };
      const inline = await rate(() => new InlineEvaluator(hash, d.train));
      const one = await rate(() => new WorkerPoolEvaluator(hash, d.train, { workers: 1 }));
      const two = await rate(() => new WorkerPoolEvaluator(hash, d.train, { workers: 2 }));

      // Starting a 2-thread pool: each thread loads the TypeScript module graph and receives the shared columns.
      const poolStartMs = await timeMedian(async () => {
        const ev = new WorkerPoolEvaluator(hash, d.train, { workers: 2 });
        await ev.evaluate(job(warm.slice(0, 2)));
        await ev.close();
      }, 1, 0);

      // Whole evolutions on 2 worker threads, wall time including the pool's start (what a CLI user waits).
      const evolve = async (p: Play) => {
        const t0 = performance.now();
        const r = await runEvolution({ plays: [p], data: { datasetId: DATASET, ...d }, seed: 1, ga: { population: 100, maxGenerations: 30 }, workers: 2 });
        return { ms: performance.now() - t0, e: r.evolutions[0] };
      };
      const seedEvo = await evolve(seedRun);
      const wideEvo = await evolve(wideRun);
      const load = `1-min load average ${loadavg()[0].toFixed(1)} on ${cpus().length} cores during the run`;

      const single = `one backtest of the seed example (${bars} bars, cold cache)`;
      // Context only, not measured: Freqtrade's hyperopt runs one pandas backtest per epoch; at the ~1-3 epochs/s
      // per core commonly reported for one pair over ~2 years of 15m bars, the seed example's 18 evaluations
      // would take ~6-18 s of CPU, and the widened play's evaluations below ~1000x that of one epoch.
      const ftNote = 'Freqtrade-style context (estimate, not measured): ~1-3 hyperopt epochs/s per core on a similar pair/period';
      return [
        { name: 'single backtest, seed example, BTCUSDT 15m training window', value: singleMs, unit: 'ms', baseline: 'itself', baselineValue: singleMs, ratio: 1, note: `${bars} bars` },
        { name: 'evaluations/s, in-thread (0 workers)', value: inline.rate, unit: 'evals/s', baseline: single, baselineValue: 1000 / singleMs, ratio: inline.rate / (1000 / singleMs), note: 'vs 1/single backtest; higher is better; features shared through the cache' },
        { name: 'evaluations/s, 1 worker thread', value: one.rate, unit: 'evals/s', baseline: 'in-thread evaluator', baselineValue: inline.rate, ratio: one.rate / inline.rate, note: 'higher is better' },
        { name: 'evaluations/s, 2 worker threads', value: two.rate, unit: 'evals/s', baseline: '1 worker thread', baselineValue: one.rate, ratio: two.rate / one.rate, note: `wall-clock scaling, goal >= 1.8x; ${load}` },
        { name: 'CPU per evaluation, in-thread', value: inline.cpuMs, unit: 'cpu ms', baseline: single, baselineValue: singleMs, ratio: inline.cpuMs / singleMs },
        { name: 'CPU per evaluation, 1 worker thread', value: one.cpuMs, unit: 'cpu ms', baseline: 'in-thread', baselineValue: inline.cpuMs, ratio: one.cpuMs / inline.cpuMs, note: 'process CPU, all threads' },
        {
          name: 'CPU per evaluation, 2 worker threads', value: two.cpuMs, unit: 'cpu ms', baseline: '1 worker thread', baselineValue: one.cpuMs, ratio: two.cpuMs / one.cpuMs,
          note: `CPU inflation with both threads busy (caches warm: no duplicated features; shared L3/memory, vCPU contention); wall scaling bound on 2 free cores 2 x ${(one.cpuMs / two.cpuMs).toFixed(2)} = ${((2 * one.cpuMs) / two.cpuMs).toFixed(2)}x`,
        },
        { name: 'pool start, 2 worker threads (first tiny job done)', value: poolStartMs, unit: 'ms', baseline: single, baselineValue: singleMs, ratio: poolStartMs / singleMs },
        {
          name: 'whole evolution, seed example (pop 100, max 30 gen), 2 workers', value: seedEvo.ms / 1000, unit: 's', baseline: single, baselineValue: singleMs / 1000,
          ratio: seedEvo.ms / singleMs, note: `${seedEvo.e.evaluations} evaluations, ${seedEvo.e.generations} generation(s), ${seedEvo.e.stopReason}; incl. pool start; goal < 10 s`,
        },
        {
          name: 'whole evolution, widened seed (8,580 genomes, pop 100, max 30 gen), 2 workers', value: wideEvo.ms / 1000, unit: 's', baseline: single, baselineValue: singleMs / 1000,
          ratio: wideEvo.ms / singleMs, note: `${wideEvo.e.evaluations} evaluations, ${wideEvo.e.generations} generations, ${wideEvo.e.stopReason}; ${(wideEvo.e.evaluations / (wideEvo.ms / 1000)).toFixed(0)} evals/s; ${ftNote}`,
        },
      ];
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  },
};
