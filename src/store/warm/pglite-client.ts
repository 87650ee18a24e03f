// The embedded backend: PGlite (PostgreSQL compiled to WebAssembly) with pgvector, file-backed under a data
// directory, or in memory when no directory is given (tests).
import path from 'node:path';
import { PGlite, type Transaction } from '@electric-sql/pglite';
import { vector } from '@electric-sql/pglite-pgvector';
import { PlayforgeError } from '../../common/errors.ts';
import { STORE_CLOSED, STORE_CONFIG, STORE_CONNECT, toStoreQueryError } from '../errors.ts';
import { acquireDirLock, type DirLock } from './data-dir-lock.ts';
import { parseInt8 } from './int8.ts';
import { SCHEMA_NAME, type QueryResult, type SqlClient, type SqlQueryable } from './sql-client.ts';
import { TxScope, type RawConnection } from './tx-scope.ts';

export interface PgliteClientOptions {
  /** Directory holding the database files (created if missing); omitted = in memory. */
  dataDir?: string;
  /** Put everything in this schema (created if missing) instead of `public`. */
  schema?: string;
}

type PgliteLike = Pick<PGlite, 'query' | 'exec'> | Transaction;

function rawConnection(db: PgliteLike): RawConnection {
  return {
    async query<T>(sql: string, params: readonly unknown[]): Promise<QueryResult<T>> {
      try {
        const result = await db.query<T>(sql, params as unknown[]);
        return { rows: result.rows };
      } catch (e) {
        throw toStoreQueryError(e, sql);
      }
    },
    async exec(sql: string): Promise<void> {
      try {
        await db.exec(sql);
      } catch (e) {
        throw toStoreQueryError(e, sql);
      }
    },
  };
}

class PgliteClient implements SqlClient {
  readonly backend = 'pglite' as const;
  private readonly db: PGlite;
  private readonly conn: RawConnection;
  private readonly lock: DirLock | undefined;
  private closed = false;

  constructor(db: PGlite, lock: DirLock | undefined) {
    this.db = db;
    this.conn = rawConnection(db);
    this.lock = lock;
  }

  /** Called first in every async method, so using a closed store rejects rather than throws. */
  private open(): void {
    if (this.closed) throw new PlayforgeError(STORE_CLOSED, 'the warm store is closed');
  }

  async query<T = Record<string, unknown>>(sql: string, params: readonly unknown[] = []): Promise<QueryResult<T>> {
    this.open();
    return this.conn.query<T>(sql, params);
  }

  async exec(sql: string): Promise<void> {
    this.open();
    return this.conn.exec(sql);
  }

  async transaction<T>(fn: (tx: SqlQueryable) => Promise<T>): Promise<T> {
    this.open();
    // PGlite runs BEGIN/COMMIT/ROLLBACK itself and holds its mutex, so other queries wait for the end.
    return this.db.transaction((tx) => fn(new TxScope(rawConnection(tx))));
  }

  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    try {
      await this.db.close();
    } finally {
      this.lock?.release();
    }
  }
}

export async function openPgliteClient(options: PgliteClientOptions = {}): Promise<SqlClient> {
  const { dataDir, schema } = options;
  if (schema !== undefined && !SCHEMA_NAME.test(schema)) {
    throw new PlayforgeError(STORE_CONFIG, `schema name "${schema}" must be a lower-case identifier`);
  }
  const lock = dataDir ? acquireDirLock(path.join(path.dirname(dataDir), `${path.basename(dataDir)}.lock`)) : undefined;
  let db: PGlite;
  try {
    db = await PGlite.create({ dataDir, extensions: { vector }, parsers: { 20: parseInt8 } });
  } catch (e) {
    lock?.release();
    const where = dataDir ?? 'memory';
    throw new PlayforgeError(STORE_CONNECT, `cannot open the PGlite database in ${where}: ${(e as Error).message}`, { file: dataDir }, { cause: e });
  }
  const client = new PgliteClient(db, lock);
  if (schema !== undefined) {
    try {
      await client.exec(`create schema if not exists ${schema}; set search_path to ${schema}, public;`);
    } catch (e) {
      await client.close();
      throw e;
    }
  }
  return client;
}
