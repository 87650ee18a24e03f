// Evolutions in the warm store (src/store): the play, one evolutions row per evolved play, and per generation
// its row plus every individual (genome, fitness, objectives, metrics, parents) written in ONE transaction, so
// a run killed at any moment leaves only complete generations, which is what --resume continues from.
import { createHash } from 'node:crypto';
import { PlayforgeError } from '../common/index.ts';
import type { Genome } from '../dsl/index.ts';
import type { Metrics } from '../engine/index.ts';
import { withTransaction, type SqlQueryable } from '../store/index.ts';
import { genomeKey, type EvalResult } from './evaluator.ts';
import type { GenerationRecord, Member } from './evolution.ts';

export type EvolutionStatus = 'running' | 'completed' | 'failed' | 'cancelled';

export interface EvolutionRow {
  id: string;
  playId: string;
  playYaml: string;
  dataset: string;
  seed: number;
  config: Record<string, unknown>;
  status: string;
  train: { from: number; to: number };
  holdout: { from: number; to: number } | null;
  bestIndividualId: number | null;
}

/** JSON cannot hold Infinity/NaN (profitFactor without losses): they are stored as strings and restored. */
function encodeMetrics(r: EvalResult): Record<string, unknown> {
  if (!r.metrics) return { error: r.error ?? 'no metrics' };
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(r.metrics)) out[k] = typeof v === 'number' && !Number.isFinite(v) ? String(v) : v;
  return out;
}

function decodeMetrics(obj: Record<string, unknown>): { metrics: Metrics | null; error?: string } {
  if ('error' in obj) return { metrics: null, error: String(obj.error) };
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(obj)) out[k] = v === 'Infinity' || v === '-Infinity' || v === 'NaN' ? Number(v) : v;
  return { metrics: out as unknown as Metrics };
}

export function genomeHash(key: string): string {
  return createHash('sha256').update(key).digest('hex');
}

const ts = (ms: number) => new Date(ms);
const ms = (d: unknown) => (d instanceof Date ? d.getTime() : new Date(String(d)).getTime());

export class EvolutionStore {
  constructor(private readonly sql: SqlQueryable) {}

  /** The play row for this YAML (found by content hash when it is already stored). */
  async ensurePlay(name: string, description: string | undefined, yaml: string): Promise<string> {
    const hash = createHash('sha256').update(yaml).digest('hex');
    const { rows } = await this.sql.query<{ id: string }>(
      `insert into plays (name, description, yaml, content_hash) values ($1, $2, $3, $4)
       on conflict (content_hash) do update set name = plays.name returning id`,
      [name, description ?? null, yaml, hash],
    );
    return rows[0].id;
  }

  async createEvolution(e: { playId: string; dataset: string; seed: number; config: Record<string, unknown>; train: { from: number; to: number }; holdout: { from: number; to: number } | null }): Promise<string> {
    const { rows } = await this.sql.query<{ id: string }>(
      `insert into evolutions (play_id, dataset, seed, config, status, train_start, train_end, holdout_start, holdout_end, started_at)
       values ($1, $2, $3, $4, 'running', $5, $6, $7, $8, now()) returning id`,
      [e.playId, e.dataset, e.seed, JSON.stringify(e.config), ts(e.train.from), ts(e.train.to), e.holdout ? ts(e.holdout.from) : null, e.holdout ? ts(e.holdout.to) : null],
    );
    return rows[0].id;
  }

  /**
   * Writes one generation in a transaction and sets each member's row id. Parents are the previous
   * generation's members (row ids); NSGA-II offspring that did not survive are stored with origin `discarded:...`.
   */
  async saveGeneration(evolutionId: string, rec: GenerationRecord, prev: GenerationRecord | undefined, stats: Record<string, unknown>): Promise<void> {
    const rows = [...rec.members.map((m) => ({ m, origin: m.origin })), ...rec.discarded.map((m) => ({ m, origin: `discarded:${m.origin}` }))];
    const parentIds = (m: Member) => m.parents.map((i) => prev?.members[i]?.id).filter((x): x is number => typeof x === 'number');
    await withTransaction(this.sql, async (tx) => {
      await tx.query(
        `insert into generations (evolution_id, generation, best_fitness, median_fitness, mean_fitness, evaluated, stats) values ($1, $2, $3, $4, $5, $6, $7)`,
        [evolutionId, rec.generation, rec.best, rec.median, rec.mean, rec.evaluated, JSON.stringify({ ...stats, bestSoFar: rec.bestSoFar, size: rec.members.length, frontSize: rec.frontSize ?? null })],
      );
      const params: unknown[] = [];
      const values = rows.map(({ m, origin }) => {
        const b = params.length;
        params.push(evolutionId, rec.generation, JSON.stringify(m.genome), genomeHash(m.key), m.result.fitness, m.result.objectives, JSON.stringify(encodeMetrics(m.result)), parentIds(m), origin);
        return `($${b + 1}, $${b + 2}, $${b + 3}, $${b + 4}, $${b + 5}, $${b + 6}, $${b + 7}, $${b + 8}, $${b + 9})`;
      });
      const { rows: ids } = await tx.query<{ id: number }>(
        `insert into individuals (evolution_id, generation, genome, genome_hash, fitness, objectives, metrics, parent_ids, origin)
         values ${values.join(', ')} returning id`,
        params,
      );
      rows.forEach(({ m }, i) => (m.id = Number(ids[i].id)));
    });
  }

  async finish(evolutionId: string, status: EvolutionStatus, bestIndividualId: number | null, error?: string): Promise<void> {
    await this.sql.query(
      `update evolutions set status = $2, best_individual_id = $3, error = $4, finished_at = case when $2 = 'running' then null else now() end where id = $1`,
      [evolutionId, status, bestIndividualId, error ?? null],
    );
  }

  async markRunning(evolutionId: string): Promise<void> {
    await this.sql.query(`update evolutions set status = 'running', error = null, finished_at = null where id = $1`, [evolutionId]);
  }

  async loadEvolution(id: string): Promise<EvolutionRow> {
    if (!/^[0-9a-f-]{36}$/i.test(id)) throw new PlayforgeError('EVOLVE_NOT_FOUND', `'${id}' is not an evolution id (a UUID printed by playforge evolve)`, { path: '--resume' });
    const { rows } = await this.sql.query<Record<string, unknown>>(
      `select e.*, p.yaml from evolutions e join plays p on p.id = e.play_id where e.id = $1`, [id],
    );
    if (!rows.length) throw new PlayforgeError('EVOLVE_NOT_FOUND', `no evolution ${id} in this store (check --data-dir or DATABASE_URL)`, { path: '--resume' });
    return toRow(rows[0]);
  }

  /** Every evolution of a run (config.runId), in the run's play order. */
  async loadRun(runId: string): Promise<EvolutionRow[]> {
    const { rows } = await this.sql.query<Record<string, unknown>>(
      `select e.*, p.yaml from evolutions e join plays p on p.id = e.play_id where e.config->>'runId' = $1 order by (e.config->>'stream')::int`, [runId],
    );
    return rows.map(toRow);
  }

  /** The complete generations of an evolution, members in their stored order. */
  async loadHistory(evolutionId: string): Promise<GenerationRecord[]> {
    const gens = await this.sql.query<{ generation: number; best_fitness: number; median_fitness: number; mean_fitness: number; evaluated: number; stats: Record<string, unknown> }>(
      `select generation, best_fitness, median_fitness, mean_fitness, evaluated, stats from generations where evolution_id = $1 order by generation`, [evolutionId],
    );
    const inds = await this.sql.query<{ id: number; generation: number; genome: Genome; fitness: number; objectives: number[]; metrics: Record<string, unknown>; parent_ids: number[]; origin: string }>(
      `select id, generation, genome, fitness, objectives, metrics, parent_ids, origin from individuals where evolution_id = $1 order by generation, id`, [evolutionId],
    );
    const byGen = new Map<number, GenerationRecord>();
    const out: GenerationRecord[] = gens.rows.map((g) => {
      const rec: GenerationRecord = {
        generation: g.generation, members: [], discarded: [], best: g.best_fitness, median: g.median_fitness, mean: g.mean_fitness,
        bestSoFar: Number(g.stats.bestSoFar), evaluated: g.evaluated,
        ...(g.stats.frontSize === null || g.stats.frontSize === undefined ? {} : { frontSize: Number(g.stats.frontSize) }),
      };
      byGen.set(g.generation, rec);
      return rec;
    });
    for (const r of inds.rows) {
      const rec = byGen.get(r.generation);
      if (!rec) continue;
      const prev = byGen.get(r.generation - 1);
      const index = new Map((prev?.members ?? []).map((m, i) => [m.id, i]));
      const key = genomeKey(r.genome);
      const { metrics, error } = decodeMetrics(r.metrics);
      const result: EvalResult = { genomeKey: key, fitness: r.fitness, objectives: r.objectives.map(Number), metrics, ...(error ? { error } : {}) };
      const discarded = r.origin.startsWith('discarded:');
      const m: Member = {
        genome: r.genome, key, origin: discarded ? r.origin.slice('discarded:'.length) : r.origin,
        parents: r.parent_ids.map((id) => index.get(Number(id))).filter((i): i is number => i !== undefined),
        result, id: Number(r.id),
      };
      (discarded ? rec.discarded : rec.members).push(m);
    }
    return out;
  }
}

function toRow(r: Record<string, unknown>): EvolutionRow {
  return {
    id: String(r.id), playId: String(r.play_id), playYaml: String(r.yaml), dataset: String(r.dataset), seed: Number(r.seed),
    config: r.config as Record<string, unknown>, status: String(r.status),
    train: { from: ms(r.train_start), to: ms(r.train_end) },
    holdout: r.holdout_start ? { from: ms(r.holdout_start), to: ms(r.holdout_end) } : null,
    bestIndividualId: r.best_individual_id === null || r.best_individual_id === undefined ? null : Number(r.best_individual_id),
  };
}
