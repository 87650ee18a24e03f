// withTransaction retries a transaction the server aborted for concurrency, and nothing else.
import { describe, expect, it } from 'vitest';
import { StoreQueryError, withTransaction, type SqlQueryable } from '../../../src/store/index.ts';
import { TxScope } from '../../../src/store/warm/tx-scope.ts';

function failing(sqlState: string): StoreQueryError {
  return new StoreQueryError('query failed', sqlState, undefined, {}, undefined);
}

/** A database whose transactions fail with the given errors first, then run the callback. */
function flakyDb(failures: unknown[]): SqlQueryable & { attempts: number } {
  const db = {
    attempts: 0,
    query: async () => ({ rows: [] }),
    exec: async () => undefined,
    async transaction<T>(fn: (tx: SqlQueryable) => Promise<T>): Promise<T> {
      db.attempts += 1;
      const next = failures.shift();
      if (next) throw next;
      return fn(db);
    },
  };
  return db;
}

describe('withTransaction', () => {
  it('retries serialization failures and deadlocks, then succeeds', async () => {
    const db = flakyDb([failing('40001'), failing('40P01')]);
    expect(await withTransaction(db, async () => 'done')).toBe('done');
    expect(db.attempts).toBe(3);
  });

  it('gives up after the allowed retries with the last error', async () => {
    const last = failing('40001');
    const db = flakyDb([failing('40001'), failing('40001'), last]);
    await expect(withTransaction(db, async () => 'never')).rejects.toBe(last);
    expect(db.attempts).toBe(3);
  });

  it('does not retry other errors', async () => {
    const unique = failing('23505');
    const db = flakyDb([unique]);
    await expect(withTransaction(db, async () => 'never', { retries: 5 })).rejects.toBe(unique);
    expect(db.attempts).toBe(1);
  });

  it('does not retry inside an enclosing transaction', async () => {
    const executed: string[] = [];
    const scope = new TxScope({
      query: async () => ({ rows: [] }),
      exec: async (sql) => {
        executed.push(sql);
      },
    });
    const conflict = failing('40001');
    let calls = 0;
    await expect(withTransaction(scope, async () => {
      calls += 1;
      throw conflict;
    })).rejects.toBe(conflict);
    expect(calls).toBe(1);
    expect(executed).toEqual(['savepoint pf_savepoint_1', 'rollback to savepoint pf_savepoint_1']);
  });
});
