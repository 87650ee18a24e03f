// A transaction in progress, the same for both backends: queries go to the connection holding it, and a
// nested `transaction` becomes a savepoint, so a helper that wants atomicity can be called inside or outside
// a caller's transaction.
import type { QueryResult, SqlQueryable } from './sql-client.ts';

/** The two primitives a backend exposes for a connection that is inside BEGIN. Errors are already wrapped. */
export interface RawConnection {
  query<T>(sql: string, params: readonly unknown[]): Promise<QueryResult<T>>;
  exec(sql: string): Promise<void>;
}

export class TxScope implements SqlQueryable {
  private readonly conn: RawConnection;
  private readonly depth: number;

  constructor(conn: RawConnection, depth = 1) {
    this.conn = conn;
    this.depth = depth;
  }

  query<T = Record<string, unknown>>(sql: string, params: readonly unknown[] = []): Promise<QueryResult<T>> {
    return this.conn.query<T>(sql, params);
  }

  exec(sql: string): Promise<void> {
    return this.conn.exec(sql);
  }

  async transaction<T>(fn: (tx: SqlQueryable) => Promise<T>): Promise<T> {
    const name = `pf_savepoint_${this.depth}`;
    await this.conn.exec(`savepoint ${name}`);
    let result: T;
    try {
      result = await fn(new TxScope(this.conn, this.depth + 1));
    } catch (e) {
      await this.conn.exec(`rollback to savepoint ${name}`);
      throw e;
    }
    await this.conn.exec(`release savepoint ${name}`);
    return result;
  }
}
