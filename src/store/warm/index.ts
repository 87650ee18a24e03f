// The warm store's public pieces (re-exported by src/store/index.ts).
export type { QueryResult, SqlBackend, SqlClient, SqlQueryable } from './sql-client.ts';
export { openPgliteClient, type PgliteClientOptions } from './pglite-client.ts';
export { openPgClient, type PgClientOptions } from './pg-client.ts';
export { withTransaction, type TransactionOptions } from './with-transaction.ts';
export { migrate, type MigrateOptions, type MigrateResult } from './migrate.ts';
export { loadMigrations, migrationFromText, migrationChecksum, renderMigration, checkMigrationSequence, MIGRATIONS_DIR, type Migration } from './migration-files.ts';
export { DEFAULT_EMBEDDING_DIMENSIONS, embeddingColumnSql, type VectorCapability, type VectorMode, type VectorPreference } from './vector-capability.ts';
export { createVectors, vectorSearch, type ChunkMatch, type Vectors, type VectorSearchOptions } from './vector-search.ts';
export { createAuditLog, type AuditEntry, type AuditLog, type AuditRecord } from './audit-log.ts';
export { openWarmStore, prepareWarmStore, type PrepareOptions, type WarmStore, type WarmStoreOptions } from './warm-store.ts';
