// The one SQL surface every stage persists through, implemented by PGlite and by a PostgreSQL server (pg).
//
// Parameter conventions, identical on both backends (the contract tests hold them to it):
// - placeholders are $1..$n;
// - jsonb parameters are passed as JSON text (`JSON.stringify(value)`): pg turns a JS array into a
//   PostgreSQL array literal, which a jsonb column rejects, while PGlite would accept it;
// - real[] / text[] / bigint[] parameters are plain JS arrays; timestamptz parameters are Dates;
// - int8 (bigint) results are numbers when they fit in 2^53, BigInt otherwise; numeric comes back as text.

export interface QueryResult<T> {
  rows: T[];
}

/** What a transaction callback receives: queries, nested transactions (savepoints), but no close. */
export interface SqlQueryable {
  query<T = Record<string, unknown>>(sql: string, params?: readonly unknown[]): Promise<QueryResult<T>>;
  /** Run a script of several statements without parameters (migrations). */
  exec(sql: string): Promise<void>;
  /**
   * Run `fn` in a transaction: committed when it resolves, rolled back when it throws. Inside `fn` use only
   * `tx`: on PGlite (one connection) a query on the outer client would wait for the transaction to end.
   */
  transaction<T>(fn: (tx: SqlQueryable) => Promise<T>): Promise<T>;
}

export type SqlBackend = 'pglite' | 'postgres';

export interface SqlClient extends SqlQueryable {
  readonly backend: SqlBackend;
  close(): Promise<void>;
}

/** Unqualified schema names we accept for `search_path`: lower-case identifiers, so no quoting is needed. */
export const SCHEMA_NAME = /^[a-z_][a-z0-9_]{0,62}$/;
