// Vector search over knowledge_chunks in both storage modes, on every backend: the ranking must equal an
// exact cosine computed here, and the real[] fallback must say that it is in use.
import { expect, it } from 'vitest';
import { createRng } from '../../../src/common/rng.ts';
import { prepareWarmStore, type VectorPreference, type WarmStore } from '../../../src/store/index.ts';
import { recordingLogger, type LogLine } from '../helpers/services.ts';
import type { TestDatabase } from '../helpers/test-databases.ts';

const DIMS = 8;

function cosineDistance(a: readonly number[], b: readonly number[]): number {
  let dot = 0, na = 0, nb = 0;
  for (let i = 0; i < a.length; i++) {
    dot += a[i] * b[i];
    na += a[i] * a[i];
    nb += b[i] * b[i];
  }
  return 1 - dot / Math.sqrt(na * nb);
}

/** Embeddings rounded to float32, since that is what both column types keep. */
function randomEmbeddings(seed: number, n: number): number[][] {
  const rng = createRng(seed);
  return Array.from({ length: n }, () => Array.from({ length: DIMS }, () => Math.fround(rng.normal())));
}

interface Fixture {
  store: WarmStore;
  docIds: string[];
  embeddings: number[][];
  lines: LogLine[];
}

async function storeWithChunks(database: TestDatabase, preference: VectorPreference): Promise<Fixture> {
  const { logger, lines } = recordingLogger();
  const store = await prepareWarmStore(await database.connect(await database.createSchema()), { vector: preference, embeddingDimensions: DIMS, logger });
  const docIds: string[] = [];
  for (const name of ['a', 'b']) {
    const { rows } = await store.sql.query<{ id: string }>(`insert into knowledge_docs (source, format, content_hash, bytes) values ($1, 'markdown', $1, 1) returning id`, [name]);
    docIds.push(rows[0].id);
  }
  const embeddings = randomEmbeddings(7, 30);
  for (const [i, e] of embeddings.entries()) {
    await store.sql.query(
      `insert into knowledge_chunks (doc_id, position, text, embedding) values ($1, $2, $3, ${store.vectors.param(4)})`,
      [docIds[i % 2], i, `chunk ${i}`, store.vectors.encode(e)],
    );
  }
  // A chunk not embedded yet and one with a zero vector (no direction): neither can be a match.
  await store.sql.query(`insert into knowledge_chunks (doc_id, position, text) values ($1, 100, 'pending')`, [docIds[0]]);
  await store.sql.query(`insert into knowledge_chunks (doc_id, position, text, embedding) values ($1, 101, 'zero', ${store.vectors.param(2)})`, [
    docIds[0],
    store.vectors.encode(new Array(DIMS).fill(0)),
  ]);
  return { store, docIds, embeddings, lines };
}

function expectExactRanking(fixture: Fixture, query: number[], k: number, allowed: (i: number) => boolean, got: { position: number; distance: number }[]): void {
  const expected = fixture.embeddings
    .map((e, i) => ({ position: i, distance: cosineDistance(e, query) }))
    .filter((r) => allowed(r.position))
    .sort((x, y) => x.distance - y.distance)
    .slice(0, k);
  expect(got.map((r) => r.position)).toEqual(expected.map((r) => r.position));
  got.forEach((r, i) => expect(r.distance).toBeCloseTo(expected[i].distance, 5));
}

async function serverHasPgvector(store: WarmStore): Promise<boolean> {
  const { rows } = await store.sql.query<{ ok: boolean }>(`select exists (select 1 from pg_available_extensions where name = 'vector') as ok`);
  return rows[0].ok;
}

export function vectorCases(database: TestDatabase): void {
  for (const preference of ['auto', 'array'] as const) {
    it(`ranks chunks by exact cosine distance (${preference})`, async () => {
      const fixture = await storeWithChunks(database, preference);
      const { store } = fixture;
      if (preference === 'array') expect(store.vectors.mode).toBe('array');
      else if (database.name === 'pglite') expect(store.vectors.mode).toBe('pgvector');
      else expect(store.vectors.mode).toBe((await serverHasPgvector(store)) ? 'pgvector' : 'array');

      const query = randomEmbeddings(99, 1)[0];
      const top = await store.vectorSearch(query, 5);
      expect(top).toHaveLength(5);
      expectExactRanking(fixture, query, 5, () => true, top);
      expect(top[0]).toMatchObject({ text: `chunk ${top[0].position}`, docId: fixture.docIds[top[0].position % 2] });

      // A chunk's own embedding is its nearest neighbour, at distance 0.
      const self = await store.vectorSearch(fixture.embeddings[11], 1);
      expect(self[0].position).toBe(11);
      expect(self[0].distance).toBeCloseTo(0, 6);

      const onlyB = await store.vectorSearch(query, 4, { docIds: [fixture.docIds[1]] });
      expectExactRanking(fixture, query, 4, (i) => i % 2 === 1, onlyB);

      // k beyond the number of embedded chunks returns them all, never the pending or zero chunk.
      const all = await store.vectorSearch(query, 1000);
      expect(all).toHaveLength(30);
      expect(all.map((r) => r.text)).not.toContain('zero');

      const { rows } = await store.sql.query<{ embedding: unknown }>(`select embedding from knowledge_chunks where position = 3`);
      expect(store.vectors.decode(rows[0].embedding)).toEqual(fixture.embeddings[3]);
      await store.close();
    });
  }

  it('says when it falls back to exact cosine over real[], and keeps quiet with pgvector', async () => {
    const forced = await storeWithChunks(database, 'array');
    expect(forced.lines.some((l) => l.message.includes('exact cosine over real[]'))).toBe(true);
    const auto = await storeWithChunks(database, 'auto');
    const fellBack = auto.store.vectors.mode === 'array';
    const notice = auto.lines.find((l) => l.message.includes('exact cosine over real[]'));
    expect(Boolean(notice)).toBe(fellBack);
    if (fellBack) expect(notice?.fields.reason).toMatch(/pgvector/);
    await forced.store.close();
    await auto.store.close();
  });

  it('keeps the mode and dimensions chosen at creation, and fails clearly when pgvector is required but missing', async () => {
    const schema = await database.createSchema();
    const quiet = recordingLogger().logger;
    const store = await prepareWarmStore(await database.connect(schema), { vector: 'array', embeddingDimensions: DIMS, logger: quiet });
    const { rows } = await store.sql.query(`select value from store_capabilities where key = 'vector'`);
    expect(rows).toEqual([{ value: { mode: 'array', dimensions: DIMS } }]);
    await expect(prepareWarmStore(await database.connect(schema), { embeddingDimensions: DIMS + 1, logger: quiet })).rejects.toMatchObject({ code: 'STORE_VECTOR' });
    await expect(prepareWarmStore(await database.connect(schema), { vector: 'pgvector', logger: quiet })).rejects.toMatchObject({ code: 'STORE_VECTOR' });
    const reopened = await prepareWarmStore(await database.connect(schema), { logger: quiet });
    expect(reopened.vectors).toMatchObject({ mode: 'array', dimensions: DIMS });

    const required = prepareWarmStore(await database.connect(await database.createSchema()), { vector: 'pgvector', embeddingDimensions: DIMS, logger: quiet });
    if (database.name === 'pglite' || (await serverHasPgvector(store))) {
      expect((await required).vectors.mode).toBe('pgvector');
    } else {
      await expect(required).rejects.toMatchObject({ code: 'STORE_VECTOR', message: expect.stringContaining('pgvector was required') });
    }
    await store.close();
  });

  it('refuses embeddings of the wrong length or with non-finite values, in TypeScript and in SQL', async () => {
    for (const preference of ['auto', 'array'] as const) {
      const { store, docIds } = await storeWithChunks(database, preference);
      expect(() => store.vectors.encode([1, 2, 3])).toThrow(/3 dimensions; this store holds 8/);
      expect(() => store.vectors.encode([1, 2, 3, 4, 5, 6, 7, Number.NaN])).toThrow(/index 7 is NaN/);
      await expect(store.vectorSearch(new Array(DIMS).fill(0), 3)).rejects.toMatchObject({ code: 'STORE_VECTOR' });
      await expect(store.vectorSearch(new Array(DIMS).fill(1), 0)).rejects.toMatchObject({ code: 'STORE_VECTOR' });
      // Bypassing encode: the column itself refuses a short vector.
      const shortValue = store.vectors.mode === 'pgvector' ? '[1,2,3]' : [1, 2, 3];
      await expect(
        store.sql.query(`insert into knowledge_chunks (doc_id, position, text, embedding) values ($1, 500, 'short', ${store.vectors.param(2)})`, [docIds[0], shortValue]),
      ).rejects.toMatchObject({ code: 'STORE_QUERY' });
      await store.close();
    }
  });
}
