// The knowledge store on every backend: one file-backed PGlite (always) and the PostgreSQL server (when
// DATABASE_URL is set or PLAYFORGE_REQUIRE_SERVICES=1; the server usually lacks pgvector, so this is the
// exact-cosine-over-real[] path). One entry file so PGlite boots once; each case works in its own schema.
// The CLI cases run last, on the same PGlite data directory (public schema) after the cases have closed it.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { createKnowledgeStore } from '../../src/knowledge/index.ts';
import { cliCases } from './cli.cases.ts';
import { embedderCases } from './embedder.cases.ts';
import { ingestCases } from './ingest.cases.ts';
import { recallCases } from './recall.cases.ts';
import { searchCases } from './search.cases.ts';
import { knowledgeTestDatabases } from './support/databases.ts';

const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'pf-knowledge-data-'));
afterAll(() => fs.rmSync(dataDir, { recursive: true, force: true }));

for (const database of knowledgeTestDatabases(dataDir)) {
  describe(`knowledge store on ${database.name}`, () => {
    afterAll(() => database.dispose());

    it('uses pgvector where the database has it, and says so when it falls back to exact cosine over real[]', async () => {
      const { warm, lines } = await database.newWarmStore();
      const ks = createKnowledgeStore(warm);
      if (database.name === 'pglite') {
        expect(ks.vectorMode).toBe('pgvector');
      } else {
        const { rows } = await warm.sql.query<{ ok: boolean }>(`select exists (select 1 from pg_available_extensions where name = 'vector') as ok`);
        expect(ks.vectorMode).toBe(rows[0].ok ? 'pgvector' : 'array');
        if (!rows[0].ok) expect(lines.some((l) => /exact cosine/.test(l.message))).toBe(true);
      }
    });

    describe('ingest', () => ingestCases(database));
    describe('search', () => searchCases(database));
    describe('embedders', () => embedderCases(database));
    describe('retrieval quality', () => recallCases(database));
  });
}

describe('playforge knowledge CLI', () => cliCases(dataDir));
