// Reading evolutions from the warm store and storing validation reports, on PGlite and (when configured)
// the PostgreSQL server.
import { afterAll, describe, expect, it } from 'vitest';
import { loadEvolutionRecord, loadValidationReport, saveValidationReport, toJsonSafe, fromJsonSafe } from '../../src/validate/evolution-store.ts';
import { validateEvolution } from '../../src/validate/pipeline.ts';
import { testDatabases } from '../store/helpers/test-databases.ts';
import { freshStore, persistEvolution } from './db-helpers.ts';
import { crossPlay, exhaustiveEvolution, HOUR, syntheticMarket, T0 } from './helpers.ts';

const DAY = 24 * HOUR;
const play = crossPlay();
const market = syntheticMarket(3, 24 * 120);
const memory = exhaustiveEvolution(play, market, { from: T0, to: T0 + 90 * DAY }, { from: T0 + 90 * DAY, to: T0 + 120 * DAY });
// A failed backtest, recorded the way src/evolve records one.
memory.individuals.push({ id: 99, generation: 1, genome: memory.individuals[0].genome, genomeKey: memory.individuals[0].genomeKey, fitness: -1e6, metrics: null, error: 'ENGINE_X: boom' });

describe('JSON-safe numbers', () => {
  it('round-trips infinities through JSON', () => {
    const v = { a: Infinity, b: [-Infinity, 1], c: { d: NaN } };
    const back = fromJsonSafe<typeof v>(JSON.parse(JSON.stringify(toJsonSafe(v))));
    expect(back.a).toBe(Infinity);
    expect(back.b).toEqual([-Infinity, 1]);
    expect(back.c.d).toBeNaN();
    expect(toJsonSafe({ at: new Date(Date.UTC(2025, 0, 2)) })).toEqual({ at: '2025-01-02T00:00:00.000Z' });
    expect(toJsonSafe(Float64Array.from([1, Infinity]))).toEqual([1, 'Infinity']);
  });
});

for (const database of testDatabases()) {
  describe(`evolutions and validation reports on ${database.name}`, () => {
    afterAll(() => database.dispose());

    it('reads an evolution as src/evolve stores it', async () => {
      const store = await freshStore(database);
      const stored = await persistEvolution(store.sql, memory);
      const record = await loadEvolutionRecord(store.sql, stored.id);
      expect(record.dataset).toBe('bybit:BTCUSDT:1h');
      expect(record.play.name).toBe('validate_ema_cross');
      expect(record.train).toEqual(memory.train);
      expect(record.holdout).toEqual(memory.holdout);
      expect(record.bestIndividualId).toBe(stored.bestIndividualId);
      expect(record.individuals).toHaveLength(memory.individuals.length);
      const failed = record.individuals.find((t) => t.error);
      expect(failed?.error).toBe('ENGINE_X: boom');
      expect(failed?.metrics).toBeNull();
      const best = record.individuals.find((t) => t.id === record.bestIndividualId)!;
      const original = memory.individuals.find((t) => t.id === memory.bestIndividualId)!;
      expect(best.genome).toEqual(original.genome);
      expect(best.genomeKey).toBe(original.genomeKey);
      expect(best.metrics).toEqual(original.metrics);
    });

    it('refuses unknown ids and unfinished evolutions', async () => {
      const store = await freshStore(database);
      await expect(loadEvolutionRecord(store.sql, 'nope')).rejects.toThrow(/not an evolution id/);
      await expect(loadEvolutionRecord(store.sql, '00000000-0000-4000-8000-00000000abcd')).rejects.toThrow(/no evolution/);
      const running = await persistEvolution(store.sql, memory, 'running');
      await expect(loadEvolutionRecord(store.sql, running.id)).rejects.toThrow(/is running, not completed/);
      expect((await loadEvolutionRecord(store.sql, running.id, { allowIncomplete: true })).status).toBe('running');
    });

    it('stores a report with its holdout and walk-forward evidence and an audit line', async () => {
      const store = await freshStore(database);
      const stored = await persistEvolution(store.sql, memory);
      const record = await loadEvolutionRecord(store.sql, stored.id);
      const report = await validateEvolution({ record, play, market }, { partitions: 8, walkForward: { windows: 2, budget: 3 }, monteCarlo: { simulations: 100 } });
      const saved = await saveValidationReport(store.sql, record, report);
      const back = await loadValidationReport(store.sql, saved.id);
      expect(back.evolutionId).toBe(record.id);
      expect(back.passed).toBe(report.gate.passed);
      expect(back.individualId).toBe(report.individualId);
      expect(back.report.gate.reasons).toEqual(report.gate.reasons);
      expect(back.report.training).toEqual(report.training);
      const kinds = await store.sql.query<{ kind: string }>(`select kind from backtests where evolution_id = $1 order by kind`, [record.id]);
      expect(kinds.rows.map((r) => r.kind)).toEqual(['holdout', 'walk_forward']);
      const audit = await store.sql.query<{ action: string; entity_id: string }>(`select action, entity_id from audit_log`);
      expect(audit.rows).toEqual([{ action: 'evolution.validated', entity_id: record.id }]);
    });
  });
}
