// The worker-thread pool on its own: every thread claims genomes of a job through one shared counter, so each
// genome must be evaluated exactly once and come back in the job's order, equal to the in-thread evaluator's.
import { rmSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createRng } from '../../src/common/index.ts';
import { genomeOf, loadPlayFile, serializePlay, type Genome } from '../../src/dsl/index.ts';
import {
  cacheBytesPerWorker, datasetHash, fitnessConfig, genomeKey, InlineEvaluator, loadEvolutionData, sampleGenes, WorkerPoolEvaluator, type EvalJob, type EvolutionData,
} from '../../src/evolve/index.ts';
import { packResults, unpackResults } from '../../src/evolve/pool/reply-codec.ts';
import { btcStoreDir, WIDE_PLAY } from './helpers.ts';

const DATASET = 'bybit:BTCUSDT:1h';
let dir: string, d: EvolutionData, pool: WorkerPoolEvaluator, inline: InlineEvaluator, hash: string;

function job(genomes: Genome[]): EvalJob {
  return {
    jobId: 'pool-test', playYaml: serializePlay(d.plays[0]), fitness: fitnessConfig(), genomes,
    dataset: { hash, datasetId: DATASET, execInterval: d.train.execInterval, window: d.trainWindow },
  };
}

beforeAll(async () => {
  dir = await btcStoreDir();
  const { play, errors } = await loadPlayFile(WIDE_PLAY);
  if (!play) throw new Error(errors.map((e) => e.format()).join('\n'));
  d = await loadEvolutionData(dir, [play], DATASET, { from: Date.UTC(2025, 0, 1) });
  hash = datasetHash(d.train);
  pool = new WorkerPoolEvaluator(hash, d.train, { workers: 2 });
  inline = new InlineEvaluator(hash, d.train);
}, 120_000);

afterAll(async () => {
  await pool?.close();
  rmSync(dir, { recursive: true, force: true });
});

describe('worker-thread pool', () => {
  it('caps each thread\'s feature cache at the engine\'s 512 MiB, all of them at a quarter of the memory', () => {
    const MiB = 1024 * 1024, GiB = 1024 * MiB;
    expect(cacheBytesPerWorker(2, 24 * GiB)).toBe(512 * MiB);
    expect(cacheBytesPerWorker(32, 32 * GiB)).toBe(256 * MiB);
    expect(cacheBytesPerWorker(64, 4 * GiB)).toBe(64 * MiB);
  });

  it('returns each genome of a job once, in the job order, exactly as the in-thread evaluator (duplicates too)', async () => {
    const rng = createRng(11), genes = genomeOf(d.plays[0]);
    const genomes = Array.from({ length: 37 }, () => sampleGenes(genes, rng));
    genomes.push(genomes[3], genomes[0]); // a job may repeat a genome: each copy gets its own result
    const [pooled, expected] = [await pool.evaluate(job(genomes)), await inline.evaluate(job(genomes))];
    expect(pooled.map((r) => r.genomeKey)).toEqual(genomes.map(genomeKey));
    expect(pooled).toEqual(expected);
  }, 120_000);

  it('takes jobs smaller than the pool, and an empty job', async () => {
    const g = sampleGenes(genomeOf(d.plays[0]), createRng(5));
    expect(await pool.evaluate(job([g]))).toEqual(await inline.evaluate(job([g])));
    expect(await pool.evaluate(job([]))).toEqual([]);
  }, 60_000);

  it('runs concurrent jobs without mixing their genomes', async () => {
    const genes = genomeOf(d.plays[0]);
    const jobs = [1, 2, 3].map((s) => { const rng = createRng(s); return Array.from({ length: 9 }, () => sampleGenes(genes, rng)); });
    const results = await Promise.all(jobs.map((g) => pool.evaluate(job(g))));
    for (const [k, r] of results.entries()) expect(r).toEqual(await inline.evaluate(job(jobs[k])));
  }, 120_000);

  it('reports a thread\'s error with its code, and the next job runs as usual', async () => {
    const g = sampleGenes(genomeOf(d.plays[0]), createRng(2));
    await expect(pool.evaluate({ ...job([g]), playYaml: 'name: [unclosed' })).rejects.toMatchObject({ code: 'EVOLVE_BAD_JOB' });
    expect(await pool.evaluate(job([g]))).toEqual(await inline.evaluate(job([g])));
  }, 60_000);

  it('refuses jobs once closed, and closes with a job queued', async () => {
    const own = new WorkerPoolEvaluator(hash, d.train, { workers: 2 });
    const g = sampleGenes(genomeOf(d.plays[0]), createRng(3));
    const running = own.evaluate(job([g]));
    await own.close();
    await running.then((r) => expect(r).toHaveLength(1), (e: unknown) => expect(e).toMatchObject({ code: 'EVOLVE_POOL_CLOSED' }));
    await expect(own.evaluate(job([g]))).rejects.toMatchObject({ code: 'EVOLVE_POOL_CLOSED' });
  }, 60_000);

  it('rejects a job for another dataset with a clear error', async () => {
    const other = { ...job([]), genomes: [sampleGenes(genomeOf(d.plays[0]), createRng(1))], dataset: { ...job([]).dataset, hash: 'f'.repeat(64) } };
    await expect(pool.evaluate(other)).rejects.toMatchObject({ code: 'EVOLVE_DATASET_MISMATCH' });
  });
});

describe('pool reply codec', () => {
  it('round-trips results bit for bit: failures with their error, NaN, ±Infinity and -0', async () => {
    const rng = createRng(3), genes = genomeOf(d.plays[0]);
    const real = await inline.evaluate(job(Array.from({ length: 4 }, () => sampleGenes(genes, rng))));
    const k = real[0].objectives.length;
    const odd = { ...real[1], objectives: [-0, ...real[1].objectives.slice(1)], metrics: { ...real[1].metrics!, profitFactor: Infinity, calmar: -Infinity, sharpe: NaN, expectancy: -0 } };
    const failed = { genomeKey: 'k', fitness: -1e6, objectives: real[0].objectives.map(() => -1e6), metrics: null, error: 'ENGINE_X: broken' };
    const results = [real[0], odd, failed, real[2], real[3]];
    const back = unpackResults(structuredClone(packResults(results, k)), results.map((r) => r.genomeKey));
    expect(back).toEqual(results);
    expect(Object.is(back[1].objectives[0], -0) && Object.is(back[1].metrics!.expectancy, -0)).toBe(true);
    expect(back.map((r) => Object.keys(r.metrics ?? {}))).toEqual(results.map((r) => Object.keys(r.metrics ?? {})));
  });
});
