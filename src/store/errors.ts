// Store errors: PlayforgeError codes shared by the warm and hot stores, plus the SQLSTATE of a failed query,
// so callers can tell a unique violation from a bug without knowing which backend ran the query.
import { PlayforgeError, type SourceLocation } from '../common/errors.ts';

export const STORE_CONNECT = 'STORE_CONNECT';
export const STORE_MIGRATION = 'STORE_MIGRATION';
export const STORE_QUERY = 'STORE_QUERY';
export const STORE_CONFIG = 'STORE_CONFIG';
export const STORE_INVALID = 'STORE_INVALID';
export const STORE_CLOSED = 'STORE_CLOSED';
export const STORE_VECTOR = 'STORE_VECTOR';
export const STORE_WRONG_TYPE = 'STORE_WRONG_TYPE';
export const STORE_NOT_INTEGER = 'STORE_NOT_INTEGER';

export const SQLSTATE_UNIQUE_VIOLATION = '23505';
export const SQLSTATE_FOREIGN_KEY_VIOLATION = '23503';
export const SQLSTATE_CHECK_VIOLATION = '23514';
export const SQLSTATE_SERIALIZATION_FAILURE = '40001';
export const SQLSTATE_DEADLOCK = '40P01';

export class StoreQueryError extends PlayforgeError {
  /** PostgreSQL's five-character SQLSTATE, e.g. 23505 for a unique violation ('' when unknown). */
  readonly sqlState: string;
  /** The violated constraint's name, when PostgreSQL reported one. */
  readonly constraint: string | undefined;

  constructor(message: string, sqlState: string, constraint: string | undefined, location: SourceLocation, cause: unknown) {
    super(STORE_QUERY, message, location, { cause });
    this.name = 'StoreQueryError';
    this.sqlState = sqlState;
    this.constraint = constraint;
  }
}

/** Wrap a driver error (pg or PGlite: both carry `code` and `constraint`) without its parameters. */
export function toStoreQueryError(e: unknown, sql: string): StoreQueryError {
  if (e instanceof StoreQueryError) return e;
  const err = e as { message?: unknown; code?: unknown; constraint?: unknown };
  const sqlState = typeof err?.code === 'string' && /^[0-9A-Z]{5}$/.test(err.code) ? err.code : '';
  const constraint = typeof err?.constraint === 'string' ? err.constraint : undefined;
  const message = typeof err?.message === 'string' ? err.message : String(e);
  return new StoreQueryError(`query failed: ${message}`, sqlState, constraint, { path: sqlSummary(sql) }, e);
}

export function isSqlState(e: unknown, sqlState: string): boolean {
  return e instanceof StoreQueryError && e.sqlState === sqlState;
}

/** The first line of a statement, trimmed: enough to find it in the code, short enough for a log line. */
export function sqlSummary(sql: string): string {
  const first = sql.trim().split('\n', 1)[0] ?? '';
  return first.length > 120 ? `${first.slice(0, 117)}...` : first;
}
