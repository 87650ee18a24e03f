// The databases the knowledge-store cases run against, each case in a fresh schema: one file-backed PGlite
// for the whole test file (its data directory is then reused by the CLI tests, so PGlite's slow first boot
// happens once), and the PostgreSQL server when DATABASE_URL is set or PLAYFORGE_REQUIRE_SERVICES=1.
import path from 'node:path';
import { openPgliteClient, prepareWarmStore, type SqlClient, type WarmStore } from '../../../src/store/index.ts';
import { recordingLogger, uniqueName, withPostgres, type LogLine } from '../../store/helpers/services.ts';
import { testDatabases } from '../../store/helpers/test-databases.ts';

export interface TestWarmStore {
  warm: WarmStore;
  schema: string;
  /** What the store logged (the pgvector fallback notice, migrations). */
  lines: LogLine[];
}

export interface KnowledgeTestDatabase {
  readonly name: 'pglite' | 'postgres';
  /** A migrated warm store in a new schema. */
  newWarmStore(options?: { embeddingDimensions?: number }): Promise<TestWarmStore>;
  /** A second warm store on an existing schema (as another process would open it). */
  reopen(schema: string): Promise<TestWarmStore>;
  dispose(): Promise<void>;
}

/** PGlite has one connection: each schema's client switches search_path before it runs, only when needed. */
function pgliteFileDatabase(dataDir: string): KnowledgeTestDatabase {
  let shared: Promise<SqlClient> | undefined;
  let current: string | undefined;
  const instance = (): Promise<SqlClient> => (shared ??= openPgliteClient({ dataDir: path.join(dataDir, 'pglite') }));
  const clientFor = async (schema: string): Promise<SqlClient> => {
    const db = await instance();
    const use = async (): Promise<void> => {
      if (current === schema) return;
      await db.exec(`set search_path to ${schema}, public`);
      current = schema;
    };
    return {
      backend: db.backend,
      query: async (sql, params) => (await use(), db.query(sql, params)),
      exec: async (sql) => (await use(), db.exec(sql)),
      transaction: async (fn) => (await use(), db.transaction(fn)),
      close: async () => undefined,
    };
  };
  const open = async (schema: string, embeddingDimensions?: number): Promise<TestWarmStore> => {
    const { logger, lines } = recordingLogger();
    const warm = await prepareWarmStore(await clientFor(schema), { logger, embeddingDimensions });
    return { warm, schema, lines };
  };
  return {
    name: 'pglite',
    async newWarmStore(options = {}) {
      const schema = uniqueName('pf_kn');
      await (await instance()).exec(`create schema ${schema}`);
      return open(schema, options.embeddingDimensions);
    },
    reopen: (schema) => open(schema),
    async dispose() {
      if (shared) await (await shared).close();
      shared = undefined;
    },
  };
}

function postgresDatabase(): KnowledgeTestDatabase {
  const server = testDatabases().find((d) => d.name === 'postgres');
  if (!server) throw new Error('no PostgreSQL test database configured');
  const open = async (schema: string, embeddingDimensions?: number): Promise<TestWarmStore> => {
    const { logger, lines } = recordingLogger();
    const warm = await prepareWarmStore(await server.connect(schema), { logger, embeddingDimensions });
    return { warm, schema, lines };
  };
  return {
    name: 'postgres',
    async newWarmStore(options = {}) {
      return open(await server.createSchema(), options.embeddingDimensions);
    },
    reopen: (schema) => open(schema),
    dispose: () => server.dispose(),
  };
}

export function knowledgeTestDatabases(dataDir: string): KnowledgeTestDatabase[] {
  return withPostgres ? [pgliteFileDatabase(dataDir), postgresDatabase()] : [pgliteFileDatabase(dataDir)];
}
