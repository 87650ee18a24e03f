// The vetted play library in the warm store (vetted_plays): versioned entries with tags and their evidence.
// Adding a play under an existing name makes the next version; retiring keeps the row (and its evidence) but
// takes it out of listings and exports. Every change writes an audit line in the same transaction.
import { PlayforgeError } from '../common/errors.ts';
import type { Genome } from '../dsl/index.ts';
import type { Metrics } from '../engine/index.ts';
import { createAuditLog, type SqlQueryable } from '../store/index.ts';
import {
  fromJsonSafe, toJsonSafe, type DsrReport, type GateThresholds, type MonteCarloRanges, type PboReport, type RegimeSplit, type TimeWindow,
} from '../validate/index.ts';
import { LIBRARY_BAD_NAME, LIBRARY_INPUT, LIBRARY_NOT_FOUND } from './errors.ts';
import type { PlayTags, Regime } from './tags.ts';

/** The evidence a vetted play carries (vetted_plays.stats). */
export interface VettedStats {
  validationReportId: string;
  evolutionId: string;
  individualId: number;
  dataset: string;
  validatedAt: string;
  windows: { train: TimeWindow; holdout: TimeWindow | null };
  classification: Omit<PlayTags, 'tags'>;
  training: Metrics;
  holdout: Metrics | null;
  walkForward: { mode: string; segments: number; profitableSegmentsShare: number; metrics: Metrics } | null;
  dsr: DsrReport | null;
  pbo: PboReport | null;
  /** Block-bootstrap ranges for 7 and 30 days: what the demo gate and the live agent compare results with. */
  expectedRanges: MonteCarloRanges | null;
  /** The same from the trade bootstrap, for reference. */
  tradeRanges: MonteCarloRanges | null;
  regimes: RegimeSplit;
  gate: { passed: boolean; thresholds: GateThresholds };
  demo: { runId: string; venue: string; startedAt: string; endedAt: string | null; metrics: Record<string, unknown>; gates: Record<string, unknown> } | null;
}

export interface NewVettedPlay {
  name: string;
  regime: Regime;
  playId: string;
  evolutionId: string | null;
  individualId: number | null;
  tags: string[];
  params: Genome;
  stats: VettedStats;
  /** The concrete play (serializePlay), without the export header. */
  yaml: string;
}

export interface VettedPlay extends NewVettedPlay {
  id: string;
  version: number;
  retired: boolean;
  retiredAt: Date | null;
  retiredReason: string | null;
  createdAt: Date;
}

export interface LibraryFilter {
  /** Every one of these `key:value` tags. */
  tags?: readonly string[];
  name?: string;
  /** Include retired entries (default false). */
  includeRetired?: boolean;
  /** Every version, not only the newest per name (default false). */
  allVersions?: boolean;
}

const NAME = /^[A-Za-z0-9][A-Za-z0-9_.-]*$/;

function rowToVetted(r: Record<string, unknown>): VettedPlay {
  return {
    id: String(r.id), name: String(r.name), version: Number(r.version), regime: String(r.regime) as Regime, playId: String(r.play_id),
    evolutionId: r.evolution_id === null ? null : String(r.evolution_id),
    individualId: r.individual_id === null ? null : Number(r.individual_id),
    tags: (r.tags as string[]) ?? [], params: (r.params ?? {}) as Genome, stats: fromJsonSafe<VettedStats>(r.stats), yaml: String(r.yaml),
    retired: Boolean(r.retired), retiredAt: (r.retired_at as Date | null) ?? null, retiredReason: (r.retired_reason as string | null) ?? null,
    createdAt: r.created_at as Date,
  };
}

const COLUMNS = `id, name, version, regime, play_id, evolution_id, individual_id, tags, params, stats, yaml, retired, retired_at, retired_reason, created_at`;

export class VettedLibrary {
  constructor(private readonly db: SqlQueryable) {}

  /** Store a play as the next version of its name. */
  async add(entry: NewVettedPlay, actor = 'cli'): Promise<VettedPlay> {
    if (!NAME.test(entry.name)) {
      throw new PlayforgeError(LIBRARY_BAD_NAME, `library names become file names: '${entry.name}' must start with a letter or digit and use only letters, digits, '_', '.', '-'`, { path: entry.name });
    }
    return this.db.transaction(async (tx) => {
      // Serialise versioning per name: concurrent adds of one name would otherwise race for the same number.
      await tx.query(`select pg_advisory_xact_lock(hashtext($1))`, [`vetted_plays:${entry.name}`]);
      const { rows: v } = await tx.query<{ next: number }>(`select coalesce(max(version), 0) + 1 as next from vetted_plays where name = $1`, [entry.name]);
      const { rows } = await tx.query<Record<string, unknown>>(
        `insert into vetted_plays (name, version, regime, play_id, evolution_id, individual_id, tags, params, stats, yaml)
         values ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10) returning ${COLUMNS}`,
        [entry.name, Number(v[0].next), entry.regime, entry.playId, entry.evolutionId, entry.individualId, entry.tags,
          JSON.stringify(entry.params), JSON.stringify(toJsonSafe(entry.stats)), entry.yaml],
      );
      const added = rowToVetted(rows[0]);
      await createAuditLog(tx).append({
        actor, action: 'play.vetted', entity: { type: 'vetted_play', id: added.id },
        details: { name: added.name, version: added.version, tags: added.tags, validationReportId: entry.stats.validationReportId, demoRunId: entry.stats.demo?.runId ?? null },
      });
      return added;
    });
  }

  async list(filter: LibraryFilter = {}): Promise<VettedPlay[]> {
    const where: string[] = [];
    const params: unknown[] = [];
    if (!filter.includeRetired) where.push('not retired');
    if (filter.tags?.length) {
      params.push([...filter.tags]);
      where.push(`tags @> $${params.length}::text[]`);
    }
    if (filter.name) {
      params.push(filter.name);
      where.push(`name = $${params.length}`);
    }
    const cond = where.length ? `where ${where.join(' and ')}` : '';
    const sql = filter.allVersions
      ? `select ${COLUMNS} from vetted_plays ${cond} order by name, version desc`
      : `select * from (select distinct on (name) ${COLUMNS} from vetted_plays ${cond} order by name, version desc) latest order by name`;
    const { rows } = await this.db.query<Record<string, unknown>>(sql, params);
    return rows.map(rowToVetted);
  }

  /** A version of a name, or its newest version (retired or not). */
  async get(name: string, version?: number): Promise<VettedPlay> {
    const { rows } = await this.db.query<Record<string, unknown>>(
      version === undefined
        ? `select ${COLUMNS} from vetted_plays where name = $1 order by version desc limit 1`
        : `select ${COLUMNS} from vetted_plays where name = $1 and version = $2`,
      version === undefined ? [name] : [name, version],
    );
    if (!rows.length) {
      throw new PlayforgeError(LIBRARY_NOT_FOUND, `no vetted play '${name}'${version === undefined ? '' : ` version ${version}`} in the library (playforge library ls lists them)`, { path: name });
    }
    return rowToVetted(rows[0]);
  }

  /** Retire one version, or every active version of the name; returns what was retired. */
  async retire(name: string, reason: string, opts: { version?: number; actor?: string } = {}): Promise<VettedPlay[]> {
    if (!reason.trim()) throw new PlayforgeError(LIBRARY_INPUT, 'retiring a vetted play needs a reason (it goes to the audit log)', { path: '--reason' });
    await this.get(name, opts.version);
    return this.db.transaction(async (tx) => {
      const params: unknown[] = [name, reason];
      let versionCond = '';
      if (opts.version !== undefined) {
        params.push(opts.version);
        versionCond = 'and version = $3';
      }
      const { rows } = await tx.query<Record<string, unknown>>(
        `update vetted_plays set retired = true, retired_at = now(), retired_reason = $2
          where name = $1 and not retired ${versionCond} returning ${COLUMNS}`,
        params,
      );
      const retired = rows.map(rowToVetted).sort((a, b) => a.version - b.version);
      for (const v of retired) {
        await createAuditLog(tx).append({ actor: opts.actor ?? 'cli', action: 'play.retired', entity: { type: 'vetted_play', id: v.id }, details: { name: v.name, version: v.version, reason } });
      }
      return retired;
    });
  }
}
