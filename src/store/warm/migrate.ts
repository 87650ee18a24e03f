// Apply pending migrations: all of them in one transaction under an advisory lock, so concurrent opens of
// one database (several workers, two CLI commands) apply each file exactly once, and a failing file leaves
// the schema as it was. Applying again with nothing pending changes nothing.
import { PlayforgeError } from '../../common/errors.ts';
import { STORE_MIGRATION } from '../errors.ts';
import type { StoreLogger } from '../logger.ts';
import { checkMigrationSequence, loadMigrations, renderMigration, type Migration } from './migration-files.ts';
import type { SqlClient, SqlQueryable } from './sql-client.ts';
import { embeddingColumnSql, resolveVectorCapability, type VectorCapability, type VectorRequest } from './vector-capability.ts';

export interface MigrateOptions {
  /** Defaults to the files in ./migrations. */
  migrations?: readonly Migration[];
  vector?: VectorRequest;
  logger: StoreLogger;
}

export interface MigrateResult {
  /** Versions applied by this call, in order (empty when the schema was current). */
  applied: number[];
  vector: VectorCapability;
  /** Why pgvector was not used, when this call chose real[] under `auto`. */
  vectorFallbackReason?: string;
}

// The runner's own bookkeeping, created before any migration and therefore not a migration itself.
const BOOKKEEPING_SQL = `
create table if not exists schema_migrations (
  version integer primary key,
  name text not null,
  checksum text not null,
  applied_at timestamptz not null default now()
);
create table if not exists store_capabilities (
  key text primary key,
  value jsonb not null,
  recorded_at timestamptz not null default now()
);`;

interface AppliedRow {
  version: number;
  name: string;
  checksum: string;
}

function checkApplied(applied: readonly AppliedRow[], known: readonly Migration[]): void {
  const byVersion = new Map(known.map((m) => [m.version, m]));
  for (const row of applied) {
    const m = byVersion.get(row.version);
    if (!m) {
      throw new PlayforgeError(
        STORE_MIGRATION,
        `the database has migration ${row.version} (${row.name}), which this Playforge does not know (it knows up to ${known.length}): upgrade Playforge or use another database`,
      );
    }
    if (m.checksum !== row.checksum) {
      throw new PlayforgeError(
        STORE_MIGRATION,
        `migration ${m.file} was changed after it was applied to this database (checksum ${row.checksum.slice(0, 12)} recorded, ${m.checksum.slice(0, 12)} now): restore the file and put the change in a new migration`,
        { file: m.file },
      );
    }
  }
}

async function applyOne(tx: SqlQueryable, m: Migration, vars: Record<string, string>): Promise<void> {
  try {
    await tx.exec(renderMigration(m, vars));
  } catch (e) {
    if (e instanceof PlayforgeError && e.code === STORE_MIGRATION) throw e;
    throw new PlayforgeError(STORE_MIGRATION, `migration ${m.file} failed: ${(e as Error).message}; nothing from this run was applied`, { file: m.file }, { cause: e });
  }
  await tx.query(`insert into schema_migrations (version, name, checksum) values ($1, $2, $3)`, [m.version, m.name, m.checksum]);
}

export async function migrate(client: SqlClient, options: MigrateOptions): Promise<MigrateResult> {
  const migrations = checkMigrationSequence(options.migrations ?? loadMigrations());
  const vectorRequest = options.vector ?? { preference: 'auto' };
  return client.transaction(async (tx) => {
    // One lock per schema: tests and tenants in other schemas of the same server do not wait on each other.
    await tx.query(`select pg_advisory_xact_lock(hashtext('playforge.migrate:' || coalesce(current_schema(), '')))`);
    await tx.exec(BOOKKEEPING_SQL);
    const { rows: applied } = await tx.query<AppliedRow>(`select version, name, checksum from schema_migrations order by version`);
    checkApplied(applied, migrations);
    const { capability: vector, fallbackReason } = await resolveVectorCapability(tx, vectorRequest);
    const vars = { embedding_column: embeddingColumnSql(vector) };
    const done = new Set(applied.map((r) => r.version));
    const pending = migrations.filter((m) => !done.has(m.version));
    for (const m of pending) await applyOne(tx, m, vars);
    if (pending.length > 0) {
      options.logger.info({ applied: pending.map((m) => m.file) }, 'warm store migrated');
    }
    return { applied: pending.map((m) => m.version), vector, vectorFallbackReason: fallbackReason };
  });
}
