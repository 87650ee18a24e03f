// The adapter between the warm store and validation: read an evolution (as src/evolve persists it: the play's
// YAML, the evolutions row, every individual with genome, fitness and metrics) into an EvolutionRecord, and
// store a validation report (validation_reports, plus holdout and walk-forward rows in backtests, and an audit
// line) in one transaction.
import { PlayforgeError } from '../common/errors.ts';
import { loadPlay, type Genome } from '../dsl/index.ts';
import type { Metrics } from '../engine/index.ts';
import { createAuditLog, type SqlQueryable } from '../store/index.ts';
import { VALIDATE_EVOLUTION_INCOMPLETE, VALIDATE_EVOLUTION_NOT_FOUND } from './errors.ts';
import type { EvolutionRecord, TrialRecord } from './evolution-record.ts';
import { canonicalGenomeKey } from './optimise.ts';
import type { ValidationReport } from './pipeline.ts';

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
const ms = (d: unknown): number => (d instanceof Date ? d.getTime() : new Date(String(d)).getTime());

/** JSON cannot hold Infinity or NaN (a profit factor without losses): they travel as strings. */
export function toJsonSafe(value: unknown): unknown {
  if (typeof value === 'number') return Number.isFinite(value) ? value : String(value);
  if (value instanceof Date) return value.toISOString();
  if (Array.isArray(value)) return value.map(toJsonSafe);
  if (ArrayBuffer.isView(value)) return Array.from(value as unknown as ArrayLike<number>, toJsonSafe);
  if (value && typeof value === 'object') {
    const out: Record<string, unknown> = {};
    for (const [k, v] of Object.entries(value)) if (v !== undefined) out[k] = toJsonSafe(v);
    return out;
  }
  return value;
}

/** The inverse of toJsonSafe for the strings it writes. */
export function fromJsonSafe<T>(value: unknown): T {
  const walk = (v: unknown): unknown => {
    if (v === 'Infinity' || v === '-Infinity' || v === 'NaN') return Number(v);
    if (Array.isArray(v)) return v.map(walk);
    if (v && typeof v === 'object') return Object.fromEntries(Object.entries(v).map(([k, x]) => [k, walk(x)]));
    return v;
  };
  return walk(value) as T;
}

export interface LoadEvolutionOptions {
  /** Validate an evolution that is still running or ended without completing (default false). */
  allowIncomplete?: boolean;
}

export async function loadEvolutionRecord(db: SqlQueryable, id: string, opts: LoadEvolutionOptions = {}): Promise<EvolutionRecord> {
  if (!UUID.test(id)) throw new PlayforgeError(VALIDATE_EVOLUTION_NOT_FOUND, `'${id}' is not an evolution id (the UUID playforge evolve prints)`, { path: id });
  const { rows } = await db.query<Record<string, unknown>>(
    `select e.id, e.play_id, e.dataset, e.seed, e.config, e.status, e.train_start, e.train_end, e.holdout_start, e.holdout_end,
            e.best_individual_id, p.yaml, p.name
       from evolutions e join plays p on p.id = e.play_id where e.id = $1`, [id],
  );
  if (!rows.length) throw new PlayforgeError(VALIDATE_EVOLUTION_NOT_FOUND, `no evolution ${id} in this store (check --data-dir or DATABASE_URL)`, { path: id });
  const e = rows[0];
  const status = String(e.status);
  if (status !== 'completed' && !opts.allowIncomplete) {
    throw new PlayforgeError(VALIDATE_EVOLUTION_INCOMPLETE, `evolution ${id} is ${status}, not completed: validate it when it has finished (or pass --allow-incomplete)`, { path: id });
  }
  const yaml = String(e.yaml);
  const parsed = loadPlay(yaml, `plays/${String(e.name)}.yml`);
  if (!parsed.play) {
    throw new PlayforgeError(VALIDATE_EVOLUTION_INCOMPLETE, `the play stored for evolution ${id} no longer validates: ${parsed.errors.map((x) => x.message).join('; ')}`, { path: id });
  }
  const inds = await db.query<{ id: number; generation: number; genome: Genome; fitness: number | null; metrics: Record<string, unknown> | null }>(
    `select id, generation, genome, fitness, metrics from individuals where evolution_id = $1 order by id`, [id],
  );
  const individuals: TrialRecord[] = inds.rows.map((r) => {
    const m = r.metrics ?? {};
    const error = typeof m.error === 'string' ? m.error : undefined;
    const hasMetrics = !error && Object.keys(m).length > 0;
    return {
      id: Number(r.id), generation: Number(r.generation), genome: r.genome, genomeKey: canonicalGenomeKey(r.genome),
      fitness: r.fitness === null ? null : Number(r.fitness),
      metrics: hasMetrics ? fromJsonSafe<Partial<Metrics>>(m) : null,
      ...(error ? { error } : {}),
    };
  });
  return {
    id: String(e.id), playId: String(e.play_id), play: parsed.play, playYaml: yaml, dataset: String(e.dataset), seed: Number(e.seed),
    status, config: (e.config ?? {}) as Record<string, unknown>,
    train: { from: ms(e.train_start), to: ms(e.train_end) },
    holdout: e.holdout_start ? { from: ms(e.holdout_start), to: ms(e.holdout_end) } : null,
    individuals,
    bestIndividualId: e.best_individual_id === null || e.best_individual_id === undefined ? null : Number(e.best_individual_id),
  };
}

export interface StoredReport {
  id: string;
  createdAt: Date;
}

/** Store the report with its evidence rows; `actor` goes to the audit log (cli, api, a user's name). */
export async function saveValidationReport(db: SqlQueryable, record: EvolutionRecord, report: ValidationReport, actor = 'cli'): Promise<StoredReport> {
  if (!record.playId) throw new PlayforgeError(VALIDATE_EVOLUTION_NOT_FOUND, 'the evolution record has no play id: only evolutions read from the store can be reported to it');
  return db.transaction(async (tx) => {
    const { rows } = await tx.query<{ id: string; created_at: Date }>(
      `insert into validation_reports (evolution_id, individual_id, passed, thresholds, report) values ($1, $2, $3, $4, $5) returning id, created_at`,
      [record.id, report.individualId, report.gate.passed, JSON.stringify(toJsonSafe(report.thresholds)), JSON.stringify(toJsonSafe(report))],
    );
    const reportId = rows[0].id;
    const insertBacktest = (kind: string, window: { from: number; to: number }, params: unknown, metrics: Metrics) => tx.query(
      `insert into backtests (play_id, evolution_id, individual_id, dataset, window_start, window_end, kind, params, config, metrics)
       values ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10)`,
      [record.playId, record.id, report.individualId, record.dataset, new Date(window.from), new Date(window.to), kind,
        JSON.stringify(params), JSON.stringify({ validationReportId: reportId }), JSON.stringify(toJsonSafe(metrics))],
    );
    if (record.holdout && report.holdoutMetrics) await insertBacktest('holdout', record.holdout, report.genome, report.holdoutMetrics);
    if (report.walkForward && report.walkForward.segments.length) {
      const segs = report.walkForward.segments;
      await insertBacktest('walk_forward', { from: segs[0].test.from, to: segs[segs.length - 1].test.to }, segs.map((s) => s.genome), report.walkForward.metrics);
    }
    await createAuditLog(tx).append({
      actor, action: 'evolution.validated', entity: { type: 'evolution', id: record.id },
      details: { validationReportId: reportId, passed: report.gate.passed, individualId: report.individualId },
    });
    return { id: reportId, createdAt: rows[0].created_at };
  });
}

export interface StoredValidationReport {
  id: string;
  evolutionId: string;
  individualId: number | null;
  passed: boolean;
  createdAt: Date;
  report: ValidationReport;
}

export async function loadValidationReport(db: SqlQueryable, id: string): Promise<StoredValidationReport> {
  if (!UUID.test(id)) throw new PlayforgeError(VALIDATE_EVOLUTION_NOT_FOUND, `'${id}' is not a validation report id`, { path: id });
  const { rows } = await db.query<{ id: string; evolution_id: string; individual_id: number | null; passed: boolean; created_at: Date; report: unknown }>(
    `select id, evolution_id, individual_id, passed, created_at, report from validation_reports where id = $1`, [id],
  );
  if (!rows.length) throw new PlayforgeError(VALIDATE_EVOLUTION_NOT_FOUND, `no validation report ${id} in this store`, { path: id });
  const r = rows[0];
  return {
    id: r.id, evolutionId: r.evolution_id, individualId: r.individual_id === null ? null : Number(r.individual_id), passed: r.passed,
    createdAt: r.created_at, report: fromJsonSafe<ValidationReport>(r.report),
  };
}
