// The migration runner on every backend, with small made-up migration sets: order, idempotence, checksums,
// atomic failure and concurrent openers.
import { expect, it } from 'vitest';
import { migrate, migrationFromText, type Migration, type SqlQueryable } from '../../../src/store/index.ts';
import { recordingLogger } from '../helpers/services.ts';
import type { TestDatabase } from '../helpers/test-databases.ts';

const m1 = migrationFromText('0001_widgets.sql', 'create table widgets (id integer primary key);\ncreate index widgets_id_idx on widgets (id);\n');
const m2 = migrationFromText('0002_gadgets.sql', 'create table gadgets (id integer primary key, widget integer references widgets (id));\n');
const m2Broken = migrationFromText('0002_gadgets.sql', 'create table gadgets (id integer primary key);\ncreate table gadgets (id integer);\n');
const m3 = migrationFromText('0003_sprockets.sql', 'create table sprockets (embedding {{embedding_column}});\n');

async function tables(db: SqlQueryable): Promise<string[]> {
  const { rows } = await db.query<{ t: string }>(`select table_name as t from information_schema.tables where table_schema = current_schema() order by 1`);
  return rows.map((r) => r.t);
}

async function recorded(db: SqlQueryable): Promise<{ version: number; name: string; checksum: string }[]> {
  return (await db.query<{ version: number; name: string; checksum: string }>(`select version, name, checksum from schema_migrations order by version`)).rows;
}

const opts = (migrations: Migration[]) => ({ migrations, logger: recordingLogger().logger, vector: { preference: 'array' as const, dimensions: 3 } });

export function migrationCases(database: TestDatabase): void {
  it('applies pending files in order, records their checksums, and does nothing the second time', async () => {
    const db = await database.connect(await database.createSchema());
    expect((await migrate(db, opts([m2, m1]))).applied).toEqual([1, 2]);
    expect(await recorded(db)).toEqual([
      { version: 1, name: 'widgets', checksum: m1.checksum },
      { version: 2, name: 'gadgets', checksum: m2.checksum },
    ]);
    const appliedAt = (await db.query(`select applied_at from schema_migrations order by version`)).rows;
    expect((await migrate(db, opts([m1, m2]))).applied).toEqual([]);
    expect((await db.query(`select applied_at from schema_migrations order by version`)).rows).toEqual(appliedAt);
    // A later file is applied alone, with its placeholder filled from the recorded capability.
    expect((await migrate(db, opts([m1, m2, m3]))).applied).toEqual([3]);
    const { rows } = await db.query(`select data_type from information_schema.columns where table_schema = current_schema() and table_name = 'sprockets'`);
    expect(rows).toEqual([{ data_type: 'ARRAY' }]);
    await db.close();
  });

  it('refuses a file changed after it was applied, naming it', async () => {
    const db = await database.connect(await database.createSchema());
    await migrate(db, opts([m1]));
    const edited = migrationFromText('0001_widgets.sql', m1.template.replace('integer', 'bigint'));
    await expect(migrate(db, opts([edited]))).rejects.toMatchObject({ code: 'STORE_MIGRATION', location: { file: '0001_widgets.sql' } });
    // Line endings alone are not an edit.
    const crlf = migrationFromText('0001_widgets.sql', m1.template.replace(/\n/g, '\r\n'));
    expect((await migrate(db, opts([crlf]))).applied).toEqual([]);
    await db.close();
  });

  it('refuses a database migrated by a newer Playforge', async () => {
    const db = await database.connect(await database.createSchema());
    await migrate(db, opts([m1, m2]));
    await expect(migrate(db, opts([m1]))).rejects.toMatchObject({ code: 'STORE_MIGRATION', message: expect.stringContaining('migration 2 (gadgets)') });
    await db.close();
  });

  it('applies nothing of a run in which one file fails', async () => {
    const db = await database.connect(await database.createSchema());
    await migrate(db, opts([m1]));
    const failure = migrate(db, opts([m1, m2Broken, m3]));
    await expect(failure).rejects.toMatchObject({ code: 'STORE_MIGRATION', location: { file: '0002_gadgets.sql' } });
    await expect(failure).rejects.toThrow(/already exists/);
    expect(await tables(db)).toEqual(['schema_migrations', 'store_capabilities', 'widgets']);
    expect((await recorded(db)).map((r) => r.version)).toEqual([1]);
    await db.close();
  });

  it('applies each file once when several openers migrate at the same time', async () => {
    const schema = await database.createSchema();
    const clients = await Promise.all([database.connect(schema), database.connect(schema), database.connect(schema)]);
    const results = await Promise.all(clients.map((c) => migrate(c, opts([m1, m2, m3]))));
    expect(results.map((r) => r.applied).sort((a, b) => b.length - a.length)).toEqual([[1, 2, 3], [], []]);
    expect((await recorded(clients[0])).map((r) => r.version)).toEqual([1, 2, 3]);
    expect((await clients[0].query(`select count(*) as n from store_capabilities`)).rows).toEqual([{ n: 1 }]);
    await Promise.all(clients.map((c) => c.close()));
  });
}
