// The databases the warm-store tests run against, each handing out fresh schemas so tests never see each
// other's rows: one in-memory PGlite per test file (schemas switched with search_path; a file's tests run one
// after another), and the PostgreSQL server when configured (a pool per schema, every schema dropped at the end).
import pg from 'pg';
import { openPgClient, openPgliteClient, type SqlClient } from '../../../src/store/index.ts';
import { databaseUrl, recordingLogger, uniqueName, withPostgres } from './services.ts';

export interface TestDatabase {
  readonly name: 'pglite' | 'postgres';
  /** Create an empty schema and return its name. */
  createSchema(): Promise<string>;
  /** A client whose search_path is `<schema>, public`. Closing it is safe (a no-op on the shared PGlite). */
  connect(schema: string): Promise<SqlClient>;
  /** Drop what was created and close connections. */
  dispose(): Promise<void>;
}

function pgliteDatabase(): TestDatabase {
  let shared: Promise<SqlClient> | undefined;
  const instance = (): Promise<SqlClient> => (shared ??= openPgliteClient());
  return {
    name: 'pglite',
    async createSchema() {
      const schema = uniqueName('pf_test');
      await (await instance()).exec(`create schema ${schema}`);
      return schema;
    },
    async connect(schema) {
      const db = await instance();
      await db.exec(`set search_path to ${schema}, public`);
      return {
        backend: db.backend,
        query: (sql, params) => db.query(sql, params),
        exec: (sql) => db.exec(sql),
        transaction: (fn) => db.transaction(fn),
        close: async () => undefined,
      };
    },
    async dispose() {
      if (shared) await (await shared).close();
    },
  };
}

function postgresDatabase(): TestDatabase {
  const schemas: string[] = [];
  const clients: SqlClient[] = [];
  return {
    name: 'postgres',
    async createSchema() {
      const schema = uniqueName('pf_test');
      const admin = new pg.Client({ connectionString: databaseUrl() });
      await admin.connect();
      try {
        await admin.query(`create schema ${schema}`);
      } finally {
        await admin.end();
      }
      schemas.push(schema);
      return schema;
    },
    async connect(schema) {
      const client = await openPgClient({ url: databaseUrl(), schema, maxConnections: 4, logger: recordingLogger().logger });
      clients.push(client);
      return client;
    },
    async dispose() {
      await Promise.all(clients.map((c) => c.close()));
      if (schemas.length === 0) return;
      const admin = new pg.Client({ connectionString: databaseUrl() });
      await admin.connect();
      try {
        for (const schema of schemas) await admin.query(`drop schema if exists ${schema} cascade`);
      } finally {
        await admin.end();
      }
    },
  };
}

/** PGlite always; the server when DATABASE_URL is set or services are required. */
export function testDatabases(): TestDatabase[] {
  return withPostgres ? [pgliteDatabase(), postgresDatabase()] : [pgliteDatabase()];
}
