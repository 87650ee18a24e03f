// The server backend: a pg connection pool. Connection errors name the server with its password redacted.
import pg from 'pg';
import { PlayforgeError } from '../../common/errors.ts';
import { isSqlState, SQLSTATE_UNIQUE_VIOLATION, STORE_CLOSED, STORE_CONFIG, STORE_CONNECT, toStoreQueryError } from '../errors.ts';
import type { StoreLogger } from '../logger.ts';
import { redactConnectionUrl, scrubSecret } from '../redact.ts';
import { parseInt8, parseInt8Elements } from './int8.ts';
import { SCHEMA_NAME, type QueryResult, type SqlClient, type SqlQueryable } from './sql-client.ts';
import { TxScope, type RawConnection } from './tx-scope.ts';

export interface PgClientOptions {
  url: string;
  /** Put everything in this schema (created if missing): search_path is `<schema>, public` on every connection. */
  schema?: string;
  maxConnections?: number;
  logger: StoreLogger;
}

const SQLSTATE_DUPLICATE_SCHEMA = '42P06';
const INT8_OID = 20;
const INT8_ARRAY_OID = 1016;

// Per-pool parsers (no change to pg's global type table): int8 the way PGlite returns it.
const typeParsers: pg.CustomTypesConfig = {
  getTypeParser: ((oid: number, format?: 'text' | 'binary') => {
    if (oid === INT8_OID) return parseInt8;
    if (oid === INT8_ARRAY_OID) {
      const parseArray = pg.types.getTypeParser(INT8_ARRAY_OID as never, 'text') as (text: string) => unknown;
      return (text: string) => parseInt8Elements(parseArray(text));
    }
    return pg.types.getTypeParser(oid as never, format ?? 'text');
  }) as pg.CustomTypesConfig['getTypeParser'],
};

type Queryer = Pick<pg.Pool, 'query'> | pg.PoolClient;

function rawConnection(conn: Queryer): RawConnection {
  return {
    async query<T>(sql: string, params: readonly unknown[]): Promise<QueryResult<T>> {
      try {
        const result = await conn.query(sql, params as unknown[]);
        return { rows: result.rows as T[] };
      } catch (e) {
        throw toStoreQueryError(e, sql);
      }
    },
    async exec(sql: string): Promise<void> {
      try {
        // No parameters: pg uses the simple protocol, which accepts several statements.
        await conn.query(sql);
      } catch (e) {
        throw toStoreQueryError(e, sql);
      }
    },
  };
}

class PgClient implements SqlClient {
  readonly backend = 'postgres' as const;
  private readonly pool: pg.Pool;
  private readonly conn: RawConnection;
  private readonly url: string;
  private closed = false;

  constructor(pool: pg.Pool, url: string) {
    this.pool = pool;
    this.conn = rawConnection(pool);
    this.url = url;
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
    let conn: pg.PoolClient;
    try {
      conn = await this.pool.connect();
    } catch (e) {
      throw connectError(this.url, e);
    }
    const raw = rawConnection(conn);
    let broken = false;
    try {
      await raw.exec('begin');
      const result = await fn(new TxScope(raw));
      await raw.exec('commit');
      return result;
    } catch (e) {
      try {
        await conn.query('rollback');
      } catch {
        broken = true; // the connection is unusable: destroy it rather than return it to the pool
      }
      throw e;
    } finally {
      conn.release(broken);
    }
  }

  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    await this.pool.end();
  }
}

function connectError(url: string, e: unknown): PlayforgeError {
  const reason = scrubSecret(e instanceof Error ? e.message || e.name : String(e), url);
  return new PlayforgeError(
    STORE_CONNECT,
    `cannot connect to PostgreSQL at ${redactConnectionUrl(url)}: ${reason} (is the server up? try pg_isready, or unset DATABASE_URL to use PGlite)`,
    {},
    // The driver's error is kept out: its fields are not ours to vet for secrets.
  );
}

export async function openPgClient(options: PgClientOptions): Promise<SqlClient> {
  const { url, schema, logger } = options;
  if (schema !== undefined && !SCHEMA_NAME.test(schema)) {
    throw new PlayforgeError(STORE_CONFIG, `schema name "${schema}" must be a lower-case identifier`);
  }
  const pool = new pg.Pool({
    connectionString: url,
    max: options.maxConnections ?? 10,
    connectionTimeoutMillis: 10_000,
    options: schema === undefined ? undefined : `-c search_path=${schema},public`,
    types: typeParsers,
  });
  // An idle connection dropped by the server must not crash the process; the next query reconnects.
  pool.on('error', (e) => logger.warn({ server: redactConnectionUrl(url), reason: scrubSecret(e.message, url) }, 'idle PostgreSQL connection lost'));
  try {
    await pool.query('select 1');
  } catch (e) {
    await pool.end().catch(() => undefined);
    throw connectError(url, e);
  }
  const client = new PgClient(pool, url);
  if (schema !== undefined) {
    try {
      await client.exec(`create schema if not exists ${schema}`);
    } catch (e) {
      // Two openers racing on the same new schema: the loser's "already exists" is success.
      if (!isSqlState(e, SQLSTATE_UNIQUE_VIOLATION) && !isSqlState(e, SQLSTATE_DUPLICATE_SCHEMA)) {
        await client.close();
        throw e;
      }
    }
  }
  return client;
}
