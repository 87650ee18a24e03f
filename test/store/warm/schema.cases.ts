// The migrated schema on every backend: tables, round trips with the types each stage relies on, the
// constraints that guard correctness, transactions and savepoints, and the audit log.
import { expect, it } from 'vitest';
import { prepareWarmStore, StoreQueryError, type SqlQueryable, type WarmStore } from '../../../src/store/index.ts';
import { recordingLogger } from '../helpers/services.ts';
import type { TestDatabase } from '../helpers/test-databases.ts';

const TABLES = [
  'audit_log', 'backtests', 'demo_runs', 'evolutions', 'generations', 'individuals', 'knowledge_chunks',
  'knowledge_docs', 'plays', 'schema_migrations', 'store_capabilities', 'trades', 'validation_reports', 'vetted_plays',
];

async function rejects(p: Promise<unknown>): Promise<StoreQueryError> {
  const e = await p.then(() => undefined, (err: unknown) => err);
  expect(e).toBeInstanceOf(StoreQueryError);
  return e as StoreQueryError;
}

async function insertPlay(db: SqlQueryable, hash = 'h1'): Promise<string> {
  const { rows } = await db.query<{ id: string }>(
    `insert into plays (name, yaml, content_hash, provenance) values ($1, $2, $3, $4) returning id`,
    ['ema_cross', 'name: ema_cross\n', hash, JSON.stringify({ docs: ['simons.md'] })],
  );
  return rows[0].id;
}

async function insertEvolution(db: SqlQueryable, playId: string): Promise<string> {
  const { rows } = await db.query<{ id: string }>(
    `insert into evolutions (play_id, dataset, seed, config, train_start, train_end, holdout_start, holdout_end)
     values ($1, 'bybit:BTCUSDT:1h', 42, $2, $3, $4, $5, $6) returning id`,
    [playId, JSON.stringify({ population: 20 }), new Date('2024-01-01Z'), new Date('2024-06-01Z'), new Date('2024-06-01Z'), new Date('2024-08-01Z')],
  );
  return rows[0].id;
}

async function schemaSnapshot(db: SqlQueryable): Promise<unknown> {
  const columns = await db.query(
    `select table_name, column_name, data_type, is_nullable, column_default from information_schema.columns
      where table_schema = current_schema() order by table_name, column_name`,
  );
  const constraints = await db.query(
    `select conrelid::regclass::text as tbl, conname, pg_get_constraintdef(oid) as def from pg_constraint
      where connamespace = current_schema()::regnamespace order by 1, 2`,
  );
  const migrations = await db.query(`select version, checksum, applied_at from schema_migrations order by version`);
  return { columns: columns.rows, constraints: constraints.rows, migrations: migrations.rows };
}

export function schemaCases(database: TestDatabase): void {
  async function freshStore(): Promise<WarmStore> {
    const schema = await database.createSchema();
    return prepareWarmStore(await database.connect(schema), { logger: recordingLogger().logger, embeddingDimensions: 4 });
  }

  it('creates every table of the design, and a second migration changes nothing', async () => {
    const store = await freshStore();
    const { rows } = await store.sql.query<{ table_name: string }>(
      `select table_name from information_schema.tables where table_schema = current_schema() order by table_name`,
    );
    expect(rows.map((r) => r.table_name)).toEqual(TABLES);
    const before = await schemaSnapshot(store.sql);
    const again = await prepareWarmStore(store.sql, { logger: recordingLogger().logger });
    expect(await schemaSnapshot(again.sql)).toEqual(before);
    const { rows: versions } = await store.sql.query<{ version: number }>(`select version from schema_migrations order by version`);
    expect(versions.map((v) => v.version)).toEqual([1, 2, 3, 4, 5]);
    await store.close();
  });

  it('round-trips an evolution record with jsonb, arrays, dates and int8 the same way on every backend', async () => {
    const store = await freshStore();
    const db = store.sql;
    const playId = await insertPlay(db);
    expect(playId).toMatch(/^[0-9a-f-]{36}$/);
    const evolutionId = await insertEvolution(db, playId);
    await db.query(`insert into generations (evolution_id, generation, best_fitness, median_fitness, evaluated, stats) values ($1, 0, 1.25, 0.5, 20, $2)`, [
      evolutionId,
      JSON.stringify({ diversity: 0.8 }),
    ]);
    const parent = await db.query<{ id: number }>(
      `insert into individuals (evolution_id, generation, genome, genome_hash, fitness, objectives, metrics, origin)
       values ($1, 0, $2, 'g0', 1.25, $3, $4, 'seed') returning id`,
      [evolutionId, JSON.stringify({ 'ema_fast.length': 12 }), [1.25, -0.1], JSON.stringify({ sharpe: 1.25, trades: 31 })],
    );
    const parentId = parent.rows[0].id;
    expect(typeof parentId).toBe('number');
    await db.query(
      `insert into individuals (evolution_id, generation, genome, genome_hash, parent_ids, origin) values ($1, 1, $2, 'g1', $3, 'mutation')`,
      [evolutionId, JSON.stringify([8, 50]), [parentId, parentId]],
    );
    const { rows } = await db.query<Record<string, unknown>>(
      `select generation, genome, fitness, objectives, metrics, parent_ids, created_at from individuals where evolution_id = $1 order by generation`,
      [evolutionId],
    );
    expect(rows[0]).toMatchObject({ generation: 0, genome: { 'ema_fast.length': 12 }, fitness: 1.25, objectives: [1.25, -0.1], metrics: { sharpe: 1.25, trades: 31 }, parent_ids: [] });
    expect(rows[1]).toMatchObject({ generation: 1, genome: [8, 50], fitness: null, parent_ids: [parentId, parentId] });
    expect(rows[0].created_at).toBeInstanceOf(Date);

    const { rows: evo } = await db.query<Record<string, unknown>>(`select seed, config, train_start, status from evolutions where id = $1`, [evolutionId]);
    expect(evo[0]).toEqual({ seed: 42, config: { population: 20 }, train_start: new Date('2024-01-01Z'), status: 'pending' });
    const { rows: ints } = await db.query<{ n: unknown; big: unknown; total: unknown }>(
      `select count(*) as n, 9007199254740993::int8 as big, array[1, 9007199254740993]::int8[] as total from individuals`,
    );
    expect(ints[0]).toEqual({ n: 2, big: 9007199254740993n, total: [1, 9007199254740993n] });
    await store.close();
  });

  it('stores backtests with their trades, and a trade belongs to exactly one run', async () => {
    const store = await freshStore();
    const db = store.sql;
    const playId = await insertPlay(db);
    const { rows } = await db.query<{ id: string }>(
      `insert into backtests (play_id, dataset, window_start, window_end, kind, metrics) values ($1, 'bybit:ETHUSDT:15m', $2, $3, 'holdout', $4) returning id`,
      [playId, new Date('2024-01-01Z'), new Date('2024-02-01Z'), JSON.stringify({ sharpe: 0.7 })],
    );
    const backtestId = rows[0].id;
    const trade = `insert into trades (backtest_id, demo_run_id, seq, symbol, side, qty, entry_time, entry_price, exit_time, exit_price, pnl)
                   values ($1, $2, $3, 'ETHUSDT', 'long', 0.5, $4, 2000, $5, 2100, 49.3)`;
    const t0 = new Date('2024-01-02T00:00:00Z');
    const t1 = new Date('2024-01-02T05:00:00Z');
    await db.query(trade, [backtestId, null, 0, t0, t1]);
    expect((await rejects(db.query(trade, [null, null, 1, t0, t1]))).constraint).toBe('trades_one_run');
    expect((await rejects(db.query(trade, [backtestId, null, 0, t0, t1]))).sqlState).toBe('23505');
    expect((await rejects(db.query(trade, [backtestId, null, 2, t1, t0]))).constraint).toBe('trades_exit');
    const { rows: back } = await db.query(`select seq, side, qty, entry_time, pnl from trades where backtest_id = $1`, [backtestId]);
    expect(back).toEqual([{ seq: 0, side: 'long', qty: 0.5, entry_time: t0, pnl: 49.3 }]);
    // Deleting a backtest takes its trades with it.
    await db.query(`delete from backtests where id = $1`, [backtestId]);
    expect((await db.query(`select count(*) as n from trades`)).rows).toEqual([{ n: 0 }]);
    await store.close();
  });

  it('refuses a holdout window that overlaps training, and an inconsistent finished state', async () => {
    const store = await freshStore();
    const db = store.sql;
    const playId = await insertPlay(db);
    const overlap = await rejects(
      db.query(
        `insert into evolutions (play_id, dataset, seed, config, train_start, train_end, holdout_start, holdout_end) values ($1, 'bybit:BTCUSDT:1h', 1, '{}', $2, $3, $4, $5)`,
        [playId, new Date('2024-01-01Z'), new Date('2024-06-01Z'), new Date('2024-05-01Z'), new Date('2024-08-01Z')],
      ),
    );
    expect(overlap.sqlState).toBe('23514');
    expect(overlap.constraint).toBe('evolutions_holdout_window');
    const evolutionId = await insertEvolution(db, playId);
    const done = await rejects(db.query(`update evolutions set status = 'completed' where id = $1`, [evolutionId]));
    expect(done.constraint).toBe('evolutions_finished');
    await db.query(`update evolutions set status = 'completed', finished_at = now() where id = $1`, [evolutionId]);
    const bad = await rejects(db.query(`insert into evolutions (play_id, dataset, seed, config, train_start, train_end) values ($1, 'BTCUSDT', 1, '{}', now() - interval '1 day', now())`, [playId]));
    expect(bad.sqlState).toBe('23514');
    await store.close();
  });

  it('finds a re-ingested knowledge document by its content hash, and keeps vetted names path-safe', async () => {
    const store = await freshStore();
    const db = store.sql;
    const doc = `insert into knowledge_docs (source, format, content_hash, bytes) values ($1, 'markdown', $2, 10)
                 on conflict (content_hash) do update set source = knowledge_docs.source returning id`;
    const first = await db.query<{ id: string }>(doc, ['a.md', 'sha-1']);
    const again = await db.query<{ id: string }>(doc, ['copy-of-a.md', 'sha-1']);
    expect(again.rows[0].id).toBe(first.rows[0].id);
    expect((await db.query(`select count(*) as n from knowledge_docs`)).rows).toEqual([{ n: 1 }]);
    const plain = await rejects(db.query(`insert into knowledge_docs (source, format, content_hash, bytes) values ('b.md', 'markdown', 'sha-1', 1)`));
    expect(plain.sqlState).toBe('23505');
    expect(plain.constraint).toBe('knowledge_docs_content_hash_key');

    const playId = await insertPlay(db);
    const vetted = `insert into vetted_plays (name, version, regime, play_id, tags, yaml) values ($1, $2, 'trending_up', $3, $4, 'name: x')`;
    await db.query(vetted, ['ema_cross', 1, playId, ['trend', 'btc']]);
    expect((await rejects(db.query(vetted, ['ema_cross', 1, playId, []]))).constraint).toBe('vetted_plays_name_version');
    expect((await rejects(db.query(vetted, ['../escape', 2, playId, []]))).sqlState).toBe('23514');
    const { rows } = await db.query(`select name, tags, retired from vetted_plays where tags @> $1`, [['btc']]);
    expect(rows).toEqual([{ name: 'ema_cross', tags: ['trend', 'btc'], retired: false }]);
    await store.close();
  });

  it('commits a transaction, rolls it back on a throw, and rolls back only the failed savepoint', async () => {
    const store = await freshStore();
    const db = store.sql;
    const id = await db.transaction(async (tx) => insertPlay(tx, 'committed'));
    const boom = new Error('boom');
    await expect(db.transaction(async (tx) => {
      await insertPlay(tx, 'rolled-back');
      throw boom;
    })).rejects.toBe(boom);
    await db.transaction(async (tx) => {
      await insertPlay(tx, 'outer');
      await expect(tx.transaction(async (sp) => {
        await insertPlay(sp, 'inner');
        await sp.query(`select 1 / 0`);
      })).rejects.toMatchObject({ code: 'STORE_QUERY', sqlState: '22012' });
      await tx.transaction((sp) => insertPlay(sp, 'inner-kept'));
    });
    const { rows } = await db.query<{ content_hash: string }>(`select content_hash from plays order by content_hash`);
    expect(rows.map((r) => r.content_hash)).toEqual(['committed', 'inner-kept', 'outer']);
    expect(id).toMatch(/^[0-9a-f-]{36}$/);
    await store.close();
  });

  it('runs concurrent transactions without losing a write', async () => {
    const store = await freshStore();
    await Promise.all(Array.from({ length: 6 }, (_, i) => store.sql.transaction((tx) => insertPlay(tx, `c${i}`))));
    expect((await store.sql.query(`select count(*) as n from plays`)).rows).toEqual([{ n: 6 }]);
    await store.close();
  });

  it('appends to the audit log, with or without a transaction, and refuses edits', async () => {
    const store = await freshStore();
    const first = await store.audit.append({ actor: 'cli', action: 'play.vetted', entity: { type: 'vetted_play', id: 'v1' }, details: { sharpe: 1.1 } });
    expect(typeof first.id).toBe('number');
    expect(first.at).toBeInstanceOf(Date);
    await expect(store.sql.transaction(async (tx) => {
      await store.audit.append({ actor: 'cli', action: 'play.retired' }, tx);
      throw new Error('abandon');
    })).rejects.toThrow('abandon');
    const { rows } = await store.sql.query(`select actor, action, entity_type, entity_id, details from audit_log`);
    expect(rows).toEqual([{ actor: 'cli', action: 'play.vetted', entity_type: 'vetted_play', entity_id: 'v1', details: { sharpe: 1.1 } }]);
    const edit = await rejects(store.sql.query(`update audit_log set actor = 'someone else'`));
    expect(edit.message).toContain('append-only');
    await rejects(store.sql.query(`delete from audit_log`));
    await expect(store.audit.append({ actor: '', action: 'x' })).rejects.toMatchObject({ code: 'STORE_INVALID' });
    await store.close();
  });

  it('wraps a failed query with its SQLSTATE and the statement, not the parameters', async () => {
    const store = await freshStore();
    const e = await rejects(store.sql.query(`select * from no_such_table where secret = $1`, ['hunter2']));
    expect(e.code).toBe('STORE_QUERY');
    expect(e.sqlState).toBe('42P01');
    expect(e.location.path).toBe('select * from no_such_table where secret = $1');
    expect(e.message).not.toContain('hunter2');
    await store.close();
  });
}
