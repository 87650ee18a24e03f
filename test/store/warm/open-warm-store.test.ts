// openWarmStore: which backend it picks, where PGlite keeps its files, reopening, the data-directory lock,
// and connection errors that never show a password.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import pg from 'pg';
import { afterAll, describe, expect, it } from 'vitest';
import { PlayforgeError } from '../../../src/common/errors.ts';
import { openWarmStore } from '../../../src/store/index.ts';
import { databaseUrl, recordingLogger, uniqueName, withPostgres } from '../helpers/services.ts';

const tmpRoot = fs.mkdtempSync(path.join(os.tmpdir(), 'pf-store-'));
afterAll(() => fs.rmSync(tmpRoot, { recursive: true, force: true }));

async function caught(p: Promise<unknown>): Promise<PlayforgeError> {
  const e = await p.then(() => undefined, (err: unknown) => err);
  expect(e).toBeInstanceOf(PlayforgeError);
  return e as PlayforgeError;
}

describe('openWarmStore with PGlite', () => {
  it('keeps a file-backed database under <dataDir>/pglite, locks it while open, and reopens it migrated', async () => {
    const dataDir = path.join(tmpRoot, 'data');
    const { logger } = recordingLogger();
    const store = await openWarmStore({ dataDir, env: {}, logger });
    expect(store.backend).toBe('pglite');
    expect(store.vectors.mode).toBe('pgvector');
    expect(fs.existsSync(path.join(dataDir, 'pglite', 'PG_VERSION'))).toBe(true);
    await store.audit.append({ actor: 'test', action: 'store.opened' });
    const appliedAt = (await store.sql.query(`select version, applied_at from schema_migrations order by version`)).rows;

    const second = await caught(openWarmStore({ dataDir, env: {}, logger }));
    expect(second.code).toBe('STORE_CONNECT');
    expect(second.message).toContain(`process ${process.pid}`);
    await store.close();
    await expect(store.sql.query('select 1')).rejects.toMatchObject({ code: 'STORE_CLOSED' });

    // A lock left by a process that no longer exists is taken over.
    fs.writeFileSync(path.join(dataDir, 'pglite.lock'), '2147483646');
    const reopened = await openWarmStore({ env: { PLAYFORGE_DATA_DIR: dataDir }, logger });
    expect((await reopened.sql.query(`select version, applied_at from schema_migrations order by version`)).rows).toEqual(appliedAt);
    expect((await reopened.sql.query(`select action from audit_log`)).rows).toEqual([{ action: 'store.opened' }]);
    expect(reopened.vectors.mode).toBe('pgvector');
    await reopened.close();
    expect(fs.existsSync(path.join(dataDir, 'pglite.lock'))).toBe(false);
  });
});

describe('openWarmStore with a server', () => {
  it('fails with STORE_CONNECT and never shows the password', async () => {
    const url = 'postgres://playforge:s3cret-Pw@127.0.0.1:1/nowhere';
    const e = await caught(openWarmStore({ env: { DATABASE_URL: url }, logger: recordingLogger().logger }));
    expect(e.code).toBe('STORE_CONNECT');
    expect(e.message).toContain('postgres://playforge:***@127.0.0.1:1/nowhere');
    for (const text of [e.message, e.stack ?? '', JSON.stringify(e), String(e.cause ?? '')]) expect(text).not.toContain('s3cret-Pw');
  });

  if (withPostgres) {
    it('uses DATABASE_URL from the environment and creates its schema', async () => {
      const schema = uniqueName('pf_test');
      const { logger, lines } = recordingLogger();
      const store = await openWarmStore({ env: { DATABASE_URL: databaseUrl() }, schema, logger });
      try {
        expect(store.backend).toBe('postgres');
        const { rows } = await store.sql.query<{ s: string }>(`select current_schema() as s`);
        expect(rows[0].s).toBe(schema);
        expect(lines.some((l) => l.message.includes('PostgreSQL server') && !JSON.stringify(l.fields).includes('@@'))).toBe(true);
      } finally {
        await store.close();
        const admin = new pg.Client({ connectionString: databaseUrl() });
        await admin.connect();
        await admin.query(`drop schema if exists ${schema} cascade`);
        await admin.end();
      }
    });
  }
});
