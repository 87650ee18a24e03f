// Runs recorded in the warm store (PGlite in memory): every generation is stored in one transaction, and a run
// that failed mid-way resumes from its last complete generation to exactly the uninterrupted result.
import { rmSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadPlayFile, type Play } from '../../src/dsl/index.ts';
import {
  EvolutionStore, InlineEvaluator, loadEvolutionData, resumeEvolution, runEvolution, type EvaluatorFactory, type EvolutionData, type RunData,
  type RunResult,
} from '../../src/evolve/index.ts';
import { openWarmStore, type WarmStore } from '../../src/store/index.ts';
import { btcStoreDir, SEED_PLAY, WIDE_PLAY } from './helpers.ts';

const DATASET = 'bybit:BTCUSDT:1h';
let dir: string;
let warm: WarmStore;
let data: EvolutionData;

const runData = (d: EvolutionData): RunData => ({ datasetId: DATASET, ...d });
/** Generations without row ids (a resumed run's rows are new rows). */
const generations = (r: RunResult) => r.evolutions.map((e) => e.history.map((g) => g.members.map(({ id: _id, ...m }) => m)));
const winners = (r: RunResult) => r.evolutions.map((e) => e.winners.map(({ individualId: _id, ...w }) => w));

/** An in-thread evaluator that dies on its `failAt`-th job, like a run killed mid-generation. */
function failingFactory(failAt: number): EvaluatorFactory {
  return async (hash, train) => {
    const inner = new InlineEvaluator(hash, train);
    let jobs = 0;
    return {
      evaluate: (job) => (++jobs === failAt ? Promise.reject(new Error('killed mid-generation')) : inner.evaluate(job)),
      close: () => inner.close(),
    };
  };
}

async function plays(): Promise<Play[]> {
  const out: Play[] = [];
  for (const f of [WIDE_PLAY, SEED_PLAY]) out.push((await loadPlayFile(f)).play!);
  return out;
}

beforeAll(async () => {
  dir = await btcStoreDir();
  data = await loadEvolutionData(dir, await plays(), DATASET, { from: Date.UTC(2025, 0, 1) });
  warm = await openWarmStore({ inMemory: true });
}, 120_000);

afterAll(async () => {
  await warm?.close();
  rmSync(dir, { recursive: true, force: true });
});

describe('evolution persistence', () => {
  it('stores every generation and individual, with parents, and reads them back unchanged', async () => {
    const store = new EvolutionStore(warm.sql);
    const r = await runEvolution({ plays: data.plays.slice(0, 1), data: runData(data), seed: 2, ga: { population: 12, maxGenerations: 3 }, workers: 0, store });
    const e = r.evolutions[0];
    expect(e.id).toMatch(/^[0-9a-f-]{36}$/);
    const back = await store.loadHistory(e.id!);
    expect(back.length).toBe(3);
    expect(back.map((g) => g.members.map((m) => ({ ...m, genome: { ...m.genome } })))).toEqual(e.history.map((g) => g.members));
    const row = await store.loadEvolution(e.id!);
    expect(row.status).toBe('completed');
    expect(row.bestIndividualId).toBe(e.winners[0].individualId);
    expect(row.train).toEqual(data.trainWindow);
    expect(row.holdout).toEqual(data.holdoutWindow);
    // Elites of generation 1 point at their rows in generation 0.
    const elite = back[1].members.find((m) => m.origin === 'elite')!;
    expect(back[0].members[elite.parents[0]].key).toBe(elite.key);
    const { rows } = await warm.sql.query<{ n: number }>('select count(*)::int as n from individuals where evolution_id = $1', [e.id]);
    expect(rows[0].n).toBe(36);
  }, 120_000);

  it('a two-play run that dies in its first play, then (resumed) in its second, ends exactly like the uninterrupted run', async () => {
    const store = new EvolutionStore(warm.sql);
    const ga = { population: 12, maxGenerations: 4, patience: 4 };
    const reference = await runEvolution({ plays: data.plays, data: runData(data), seed: 8, ga, workers: 0 });
    // Jobs: play 1 takes one per generation (4), play 2 (18 combinations, enumerated) one. The third job is
    // generation 2 of play 1; resumed, the third job is play 2's generation 0.
    const failed = runEvolution({ plays: data.plays, data: runData(data), seed: 8, ga, evaluator: failingFactory(3), store });
    await expect(failed).rejects.toThrow('killed mid-generation');
    const { rows } = await warm.sql.query<{ id: string; status: string }>(
      `select id, status from evolutions where config->>'runId' = (select config->>'runId' from evolutions where status = 'failed' order by created_at desc limit 1) order by (config->>'stream')::int`,
    );
    const id = rows[0].id;
    expect(rows.map((r) => r.status)).toEqual(['failed', 'running']);
    expect((await store.loadHistory(id)).length).toBe(2);
    await expect(resumeEvolution(store, rows[1].id, { data: runData(data), evaluator: failingFactory(3) })).rejects.toThrow('killed mid-generation');
    expect((await store.loadHistory(id)).length).toBe(4);
    const resumed = await resumeEvolution(store, id, { data: runData(data), workers: 0 });
    expect(generations(resumed)).toEqual(generations(reference));
    expect(winners(resumed)).toEqual(winners(reference));
    expect(resumed.evolutions.map((e) => e.stopReason)).toEqual(reference.evolutions.map((e) => e.stopReason));
    const after = await warm.sql.query<{ status: string }>(`select status from evolutions where config->>'runId' = $1`, [resumed.runId]);
    expect(after.rows.map((r) => r.status)).toEqual(['completed', 'completed']);
  }, 120_000);

  it('refuses to resume on training data that changed', async () => {
    const store = new EvolutionStore(warm.sql);
    const r = await runEvolution({ plays: data.plays.slice(1), data: runData(data), seed: 1, ga: { population: 30 }, workers: 0, store });
    const shorter = await loadEvolutionData(dir, data.plays.slice(1), DATASET, { from: Date.UTC(2025, 1, 1) });
    await expect(resumeEvolution(store, r.evolutions[0].id!, { data: runData(shorter), workers: 0 })).rejects.toMatchObject({ code: 'EVOLVE_DATA_CHANGED' });
  }, 120_000);
});
