// Database fixtures for the validate and library tests: a migrated schema per test on PGlite (and on the
// server when DATABASE_URL is set), and an evolution written the way src/evolve persists one.
import { createHash } from 'node:crypto';
import { prepareWarmStore, type SqlQueryable, type WarmStore } from '../../src/store/index.ts';
import type { EvolutionRecord } from '../../src/validate/evolution-record.ts';
import { toJsonSafe } from '../../src/validate/evolution-store.ts';
import { recordingLogger } from '../store/helpers/services.ts';
import type { TestDatabase } from '../store/helpers/test-databases.ts';

export async function freshStore(database: TestDatabase): Promise<WarmStore> {
  const schema = await database.createSchema();
  return prepareWarmStore(await database.connect(schema), { logger: recordingLogger().logger });
}

const sha = (s: string) => createHash('sha256').update(s).digest('hex');

/** Insert the record's play, evolution (completed) and individuals; returns the record with the store's ids. */
export async function persistEvolution(db: SqlQueryable, record: EvolutionRecord, status = 'completed'): Promise<EvolutionRecord> {
  const { rows: plays } = await db.query<{ id: string }>(
    `insert into plays (name, yaml, content_hash) values ($1, $2, $3)
     on conflict (content_hash) do update set name = plays.name returning id`,
    [record.play.name, record.playYaml, sha(record.playYaml)],
  );
  const playId = plays[0].id;
  const finished = ['completed', 'failed', 'cancelled'].includes(status);
  const { rows: evs } = await db.query<{ id: string }>(
    `insert into evolutions (play_id, dataset, seed, config, status, train_start, train_end, holdout_start, holdout_end, started_at, finished_at)
     values ($1, $2, $3, $4, $5, $6, $7, $8, $9, now(), $10) returning id`,
    [playId, record.dataset, record.seed, JSON.stringify(record.config), status, new Date(record.train.from), new Date(record.train.to),
      record.holdout ? new Date(record.holdout.from) : null, record.holdout ? new Date(record.holdout.to) : null, finished ? new Date() : null],
  );
  const evolutionId = evs[0].id;
  const idMap = new Map<number, number>();
  for (const t of record.individuals) {
    const { rows } = await db.query<{ id: number }>(
      `insert into individuals (evolution_id, generation, genome, genome_hash, fitness, objectives, metrics, origin)
       values ($1, $2, $3, $4, $5, $6, $7, 'random') returning id`,
      [evolutionId, t.generation, JSON.stringify(t.genome), sha(t.genomeKey), t.fitness, [t.fitness ?? 0], JSON.stringify(t.error ? { error: t.error } : toJsonSafe(t.metrics ?? {}))],
    );
    idMap.set(t.id, Number(rows[0].id));
  }
  const best = record.bestIndividualId === null ? null : idMap.get(record.bestIndividualId) ?? null;
  await db.query(`update evolutions set best_individual_id = $2 where id = $1`, [evolutionId, best]);
  return {
    ...record, id: evolutionId, playId, status, bestIndividualId: best,
    individuals: record.individuals.map((t) => ({ ...t, id: idMap.get(t.id)! })),
  };
}
