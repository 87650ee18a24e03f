// The cluster against the real Redis (REDIS_URL; required when PLAYFORGE_REQUIRE_SERVICES=1): two
// `playforge worker` processes started through the CLI, one killed mid-batch, and every evaluation equal to
// the local in-thread one. Each run has its own key prefix, deleted afterwards.
import { Redis } from 'ioredis';
import { afterAll, describe, expect, it } from 'vitest';
import { enumerateGenomes, loadPlay, serializePlay, type Genome, type Play } from '../../../src/dsl/index.ts';
import { FeatureCache, type MarketData } from '../../../src/engine/index.ts';
import { createRedisEvaluator, datasetKey, type ClusterLogger, type RedisEvaluator } from '../../../src/evolve/cluster/index.ts';
import { encodeExact } from '../../../src/evolve/cluster/codec.ts';
import { datasetHash } from '../../../src/evolve/dataset.ts';
import { evaluateGenomes, type EvalJob, type EvalResult } from '../../../src/evolve/evaluator.ts';
import { fitnessConfig } from '../../../src/evolve/fitness.ts';
import { runEvolution, type EvaluatorFactory, type RunData } from '../../../src/evolve/index.ts';
import {
  CLUSTER_PLAY, deleteByPrefix, fixtureMarketData, redisUrl, startWorkerProcess, stopWorkerProcess, uniquePrefix, withRedis, type LogLine,
  type WorkerProcess,
} from './helpers.ts';

// Short locks so a killed worker's batch is back in the queue within a few seconds.
const WORKER_ARGS = ['--lock-duration', '2000', '--stalled-interval', '1000'];
// The second worker evaluates on two threads (the local pool), the first in its own thread: both paths run.

function mustLoad(yaml: string): Play {
  const { play, errors } = loadPlay(yaml, 'cluster.yml');
  if (!play) throw new Error(errors.map((e) => e.format()).join('\n'));
  return play;
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** A logger that keeps what the coordinator said, so the tests can check it (and keep the output clean). */
function recordingLogger(): ClusterLogger & { lines: Array<{ level: string; message: string; fields: Record<string, unknown> }> } {
  const lines: Array<{ level: string; message: string; fields: Record<string, unknown> }> = [];
  const at = (level: string) => (fields: Record<string, unknown>, message: string) => void lines.push({ level, message, fields });
  return { lines, debug: at('debug'), info: at('info'), warn: at('warn'), error: at('error') };
}

if (withRedis) {
  describe('cluster evaluation on Redis', () => {
    const prefix = uniquePrefix();
    const play = mustLoad(CLUSTER_PLAY);
    const data: MarketData = fixtureMarketData(3000);
    const hash = datasetHash(data);
    const fitness = fitnessConfig({ minTrades: 3 });
    const genomes: Genome[] = [...enumerateGenomes(play)];
    // One genome outside its gene's domain: it fails identically everywhere.
    genomes.splice(7, 0, { ...genomes[0], 'features.ema_slow.params.length': 23 });
    const job = (jobId: string, g: Genome[] = genomes): EvalJob => ({
      jobId,
      playYaml: serializePlay(play),
      dataset: { hash, datasetId: 'bybit:BTCUSDT:1h', execInterval: '1h', window: { from: data.exec.ts[0], to: data.exec.ts[data.exec.length - 1] + 3_600_000 } },
      fitness,
      genomes: g,
    });
    const log = recordingLogger();
    const workers: WorkerProcess[] = [];
    let evaluator: RedisEvaluator | undefined;
    let url = '';
    let local: EvalResult[] = [];

    // Set up on first use inside a test rather than in beforeAll: when Redis is required but unreachable,
    // every case then FAILS with the reason (vitest reports the cases of a failed beforeAll as skipped).
    let ready: Promise<RedisEvaluator> | undefined;
    const cluster = (): Promise<RedisEvaluator> =>
      (ready ??= (async () => {
        url = redisUrl();
        local = evaluateGenomes(play, data, fitness, genomes, new FeatureCache());
        const started = await Promise.allSettled([startWorkerProcess(url, prefix, WORKER_ARGS), startWorkerProcess(url, prefix, [...WORKER_ARGS, '--concurrency', '2'])]);
        for (const s of started) if (s.status === 'fulfilled') workers.push(s.value);
        for (const s of started) if (s.status === 'rejected') throw s.reason;
        evaluator = await createRedisEvaluator({ redisUrl: url, prefix, data, hash, batchSize: 6, logger: log });
        return evaluator;
      })());

    afterAll(async () => {
      await evaluator?.close();
      await Promise.all(workers.map((w) => stopWorkerProcess(w)));
      if (evaluator) await deleteByPrefix(url, prefix);
    });

    const started = (w: WorkerProcess) => w.lines.filter((l) => l.msg === 'batch started');

    it('returns exactly the local results, in genome order, with the dataset stored and fetched once', async () => {
      await cluster();
      expect(local[7].error).toMatch(/DSL_VALUE_NOT_IN_DOMAIN/);
      expect(new Set(local.map((r) => r.fitness)).size).toBeGreaterThan(50);
      const first = await evaluator!.evaluate(job('gen-0'));
      expect(first).toEqual(local);
      expect(encodeExact(first)).toBe(encodeExact(local));
      // A second generation with a subset in another order: same numbers, new order.
      const subset = [genomes[40], genomes[3], genomes[7], genomes[95]];
      const second = await evaluator!.evaluate(job('gen-1', subset));
      expect(second).toEqual([local[40], local[3], local[7], local[95]]);
      expect(log.lines.filter((l) => l.message === 'dataset uploaded to Redis')).toHaveLength(1);
      expect(evaluator!.stats()).toMatchObject({ evaluations: 2, uploads: 1, batches: Math.ceil(genomes.length / 6) + 1, stalled: 0 });
      // Both workers took part, and each fetched the dataset exactly once.
      for (const w of workers) {
        expect(started(w).length).toBeGreaterThan(0);
        expect(w.lines.filter((l) => l.msg === 'dataset fetched').map((l) => l.hash)).toEqual([hash]);
      }
      const admin = new Redis(url);
      try {
        const ttl = await admin.pttl(datasetKey(prefix, hash));
        expect(ttl).toBeGreaterThan(0);
        expect(ttl).toBeLessThanOrEqual(24 * 3600_000);
      } finally {
        await admin.quit();
      }
      // This case pays for starting the processes and their threads (tsx compiles on first start): on a busy
      // machine that alone can take half a minute.
    }, 120_000);

    it('runs an evolution equal to the local one while a worker is killed mid-batch (its batch is redone by the other)', async () => {
      await cluster();
      const runData: RunData = { datasetId: 'bybit:BTCUSDT:1h', train: data, trainWindow: job('w').dataset.window, holdoutWindow: null, holdoutBars: 0 };
      const runOptions = { plays: [play], data: runData, seed: 20_261_124, ga: { population: 16, maxGenerations: 6, patience: 10 }, fitness };
      const localRun = await runEvolution({ ...runOptions, workers: 0 });
      expect(localRun.evolutions[0].generations).toBeGreaterThan(2);
      const made: RedisEvaluator[] = [];
      const clusterFactory: EvaluatorFactory = async (h, train) => {
        const e = await createRedisEvaluator({ redisUrl: url, prefix, data: train, hash: h, batchSize: 3, logger: log });
        made.push(e);
        return e;
      };
      const [victim, survivor] = workers;
      // Freeze the victim right after it announced a batch; if that batch had already finished, let it go on
      // and try the next one. Killing a frozen process that has not finished its batch kills it mid-batch.
      let killedJob: string | undefined;
      const tried = new Set<unknown>(started(victim).map((l) => l.job));
      const killMidBatch = async (): Promise<string> => {
        for (;;) {
          const line: LogLine = await victim.waitFor((l) => l.msg === 'batch started' && !tried.has(l.job), 'the victim to start a batch', 20_000);
          tried.add(line.job);
          victim.child.kill('SIGSTOP');
          await sleep(300); // everything it wrote before the stop has arrived by now
          if (!victim.lines.some((l) => l.msg === 'batch done' && l.job === line.job)) {
            victim.child.kill('SIGKILL');
            return String(line.job);
          }
          victim.child.kill('SIGCONT');
        }
      };
      const killing = killMidBatch().then((id) => (killedJob = id));
      // Evolve until the kill has landed inside a run (a run can finish before the victim is caught).
      for (let run = 0; run < 5 && killedJob === undefined; run++) {
        const clusterRun = await runEvolution({ ...runOptions, evaluator: clusterFactory });
        expect(clusterRun.evolutions).toEqual(localRun.evolutions);
        expect(encodeExact(clusterRun.evolutions)).toBe(encodeExact(localRun.evolutions));
      }
      await killing;
      expect(killedJob).toBeDefined();
      const exit = await victim.exited;
      expect(exit.signal).toBe('SIGKILL');
      expect(made.reduce((n, e) => n + e.stats().stalled, 0)).toBeGreaterThanOrEqual(1);
      expect(log.lines.filter((l) => l.level === 'warn').map((l) => l.message)).toContain('a cluster worker stopped mid-batch; the batch went back to the queue');
      // The survivor ran the killed batch again, as its second start.
      const redone = survivor.lines.filter((l) => l.msg === 'batch started' && l.job === killedJob);
      expect(redone.map((l) => l.attempt)).toContain(2);
    });

    it('fails the evaluation with the reason when a batch cannot succeed', async () => {
      await cluster();
      const broken = { ...job('broken', genomes.slice(0, 3)), playYaml: 'name: broken\nfeatures: {}\nactions: { entry_long: [[nope, ">", 1]] }\n' };
      await expect(evaluator!.evaluate(broken)).rejects.toMatchObject({ code: 'CLUSTER_BATCH_FAILED', message: expect.stringMatching(/does not load/) });
      // The evaluator still works afterwards.
      expect(await evaluator!.evaluate(job('after', genomes.slice(0, 2)))).toEqual(local.slice(0, 2));
    });

    it('refuses a dataset it was never given', async () => {
      await cluster();
      const other = { ...job('other'), dataset: { ...job('other').dataset, hash: 'f'.repeat(64) } };
      await expect(evaluator!.evaluate(other)).rejects.toMatchObject({ code: 'CLUSTER_UNKNOWN_DATASET' });
    });

    it('waits for workers while none is connected, says so, and close() ends the wait', async () => {
      await cluster();
      const quiet = recordingLogger();
      const lonely = await createRedisEvaluator({ redisUrl: url, prefix: `${prefix}_empty`, data, hash, pollMs: 20, noWorkersWarnMs: 50, logger: quiet });
      try {
        const waiting = lonely.evaluate(job('nobody', genomes.slice(0, 5)));
        const settled = waiting.then(() => 'resolved', (e: unknown) => e);
        while (!quiet.lines.some((l) => l.message.startsWith('no cluster worker is connected'))) await sleep(20);
        const warning = quiet.lines.find((l) => l.message.startsWith('no cluster worker is connected'));
        expect(warning?.message).toContain(`--prefix ${prefix}_empty`);
        expect(lonely.stats()).toMatchObject({ batches: 2, genomes: 5 }); // 4 per batch while no worker is there
        await lonely.close();
        expect(await settled).toMatchObject({ code: 'CLUSTER_CLOSED' });
        await expect(lonely.evaluate(job('late'))).rejects.toMatchObject({ code: 'CLUSTER_CLOSED' });
      } finally {
        await lonely.close();
        await deleteByPrefix(url, `${prefix}_empty`);
      }
    });

    it('shuts a worker down gracefully on SIGTERM', async () => {
      await cluster();
      const survivor = workers[1];
      survivor.child.kill('SIGTERM');
      expect(await survivor.exited).toEqual({ code: 0, signal: null });
      expect(survivor.lines.some((l) => l.msg === 'cluster worker stopped')).toBe(true);
      expect(survivor.other).toEqual([]);
    });
  });
}

describe('cluster connection errors', () => {
  it('fails fast when Redis is unreachable, without echoing the password', async () => {
    const attempt = createRedisEvaluator({ redisUrl: 'redis://user:s3cret-pw@127.0.0.1:1', logger: recordingLogger() });
    const error = await attempt.then(
      () => undefined,
      (e: unknown) => e as Error & { code?: string },
    );
    expect(error?.code).toBe('CLUSTER_CONNECT');
    expect(error?.message).toContain('redis://user:***@127.0.0.1:1');
    expect(error?.message).not.toContain('s3cret-pw');
  });

  it('the worker command exits with an error naming the server, never its password', async () => {
    const w = startWorkerProcess('redis://user:s3cret-pw@127.0.0.1:1', 'pf_unreachable');
    await expect(w).rejects.toThrow(/exited \(1\)/);
    const message = String(await w.catch((e: unknown) => (e as Error).message));
    expect(message).toContain('CLUSTER_CONNECT');
    expect(message).toContain('redis://user:***@127.0.0.1:1');
    expect(message).not.toContain('s3cret-pw');
  });
});
