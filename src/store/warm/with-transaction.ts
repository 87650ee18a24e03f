// Run a unit of work in a transaction, retrying when the server aborted it only because of a concurrent one
// (serialization failure, deadlock): the work is then safe to run again from the start.
import { isSqlState, SQLSTATE_DEADLOCK, SQLSTATE_SERIALIZATION_FAILURE } from '../errors.ts';
import type { SqlQueryable } from './sql-client.ts';
import { TxScope } from './tx-scope.ts';

export interface TransactionOptions {
  /** Extra attempts after a serialization failure or deadlock (default 2). Nested calls never retry. */
  retries?: number;
}

export async function withTransaction<T>(db: SqlQueryable, fn: (tx: SqlQueryable) => Promise<T>, options: TransactionOptions = {}): Promise<T> {
  // Inside a transaction the outer one is what failed: retrying a savepoint would fail the same way.
  const retries = db instanceof TxScope ? 0 : (options.retries ?? 2);
  for (let attempt = 0; ; attempt++) {
    try {
      return await db.transaction(fn);
    } catch (e) {
      const retryable = isSqlState(e, SQLSTATE_SERIALIZATION_FAILURE) || isSqlState(e, SQLSTATE_DEADLOCK);
      if (!retryable || attempt >= retries) throw e;
    }
  }
}
