// openWarmStore: PGlite under <dataDir>/pglite by default, a PostgreSQL server when DATABASE_URL (or the
// databaseUrl option) is set; migrated to the current schema before it is returned.
import path from 'node:path';
import { resolveDataDir } from '../../common/config.ts';
import { defaultStoreLogger, type StoreLogger } from '../logger.ts';
import { redactConnectionUrl } from '../redact.ts';
import { createAuditLog, type AuditLog } from './audit-log.ts';
import type { Migration } from './migration-files.ts';
import { migrate } from './migrate.ts';
import { openPgClient } from './pg-client.ts';
import { openPgliteClient } from './pglite-client.ts';
import type { SqlBackend, SqlClient } from './sql-client.ts';
import type { VectorPreference } from './vector-capability.ts';
import { createVectors, vectorSearch, type ChunkMatch, type Vectors, type VectorSearchOptions } from './vector-search.ts';

export interface WarmStoreOptions {
  /** Playforge's data directory; PGlite keeps its files in `<dataDir>/pglite`. Default: resolveDataDir(). */
  dataDir?: string;
  /** A PostgreSQL server; default: DATABASE_URL. When neither is set, PGlite. */
  databaseUrl?: string;
  /** Use this schema (created if missing) instead of `public`: tests, or several stores in one database. */
  schema?: string;
  /** PGlite only: keep the database in memory, not under dataDir (tests). */
  inMemory?: boolean;
  /** How embeddings are stored; fixed when the store is created. Default `auto`. */
  vector?: VectorPreference;
  /** Embedding length; fixed when the store is created. Default DEFAULT_EMBEDDING_DIMENSIONS. */
  embeddingDimensions?: number;
  /** Pool size for a server. */
  maxConnections?: number;
  migrations?: readonly Migration[];
  logger?: StoreLogger;
  env?: NodeJS.ProcessEnv;
}

export interface WarmStore {
  readonly sql: SqlClient;
  readonly backend: SqlBackend;
  readonly vectors: Vectors;
  readonly audit: AuditLog;
  /** The k knowledge chunks nearest to `query` by cosine distance. */
  vectorSearch(query: ArrayLike<number>, k: number, options?: VectorSearchOptions): Promise<ChunkMatch[]>;
  close(): Promise<void>;
}

export interface PrepareOptions {
  vector?: VectorPreference;
  embeddingDimensions?: number;
  migrations?: readonly Migration[];
  logger?: StoreLogger;
}

/** Migrate an open client and wrap it as a warm store (openWarmStore does both). Closing the store closes the client. */
export async function prepareWarmStore(sql: SqlClient, options: PrepareOptions = {}): Promise<WarmStore> {
  const logger = options.logger ?? defaultStoreLogger();
  const result = await migrate(sql, {
    migrations: options.migrations,
    vector: { preference: options.vector ?? 'auto', dimensions: options.embeddingDimensions },
    logger,
  });
  if (result.vector.mode === 'array') {
    logger.info(
      { backend: sql.backend, reason: result.vectorFallbackReason ?? 'chosen when this store was created' },
      'pgvector not in use: vector search uses an exact cosine over real[] in SQL',
    );
  }
  const vectors = createVectors(result.vector);
  return {
    sql,
    backend: sql.backend,
    vectors,
    audit: createAuditLog(sql),
    vectorSearch: (query, k, searchOptions) => vectorSearch(sql, vectors, query, k, searchOptions),
    close: () => sql.close(),
  };
}

export async function openWarmStore(options: WarmStoreOptions = {}): Promise<WarmStore> {
  const env = options.env ?? process.env;
  const logger = options.logger ?? defaultStoreLogger();
  const databaseUrl = options.databaseUrl || env.DATABASE_URL || undefined;
  let sql: SqlClient;
  if (databaseUrl) {
    sql = await openPgClient({ url: databaseUrl, schema: options.schema, maxConnections: options.maxConnections, logger });
    logger.info({ server: redactConnectionUrl(databaseUrl), schema: options.schema ?? 'public' }, 'warm store: PostgreSQL server');
  } else {
    const dir = options.inMemory ? undefined : path.join(resolveDataDir(options.dataDir, env), 'pglite');
    sql = await openPgliteClient({ dataDir: dir, schema: options.schema });
  }
  try {
    return await prepareWarmStore(sql, { ...options, logger });
  } catch (e) {
    await sql.close();
    throw e;
  }
}
