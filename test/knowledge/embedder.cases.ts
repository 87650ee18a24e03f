// Embedders and the store: vectors of two embedders are never mixed (a clear error, then `reembed`), a
// dimension mismatch is refused, and an endpoint that fails or garbles its answer leaves nothing stored.
import { afterAll, afterEach, beforeAll, expect, it } from 'vitest';
import { HashedNgramEmbedder, OpenAICompatibleEmbedder, createKnowledgeStore } from '../../src/knowledge/index.ts';
import type { KnowledgeTestDatabase } from './support/databases.ts';
import { startFakeEmbeddingsServer, type FakeEmbeddingsServer } from './support/fake-embeddings-server.ts';
import { makeFixture, type Fixture } from './support/fixture.ts';

async function failure(p: Promise<unknown>): Promise<{ code: string; message: string }> {
  try {
    await p;
  } catch (e) {
    return e as { code: string; message: string };
  }
  throw new Error('expected a rejection');
}

export function embedderCases(db: KnowledgeTestDatabase): void {
  let fx: Fixture;
  let server: FakeEmbeddingsServer;
  beforeAll(async () => {
    server = await startFakeEmbeddingsServer(8);
  });
  afterAll(() => server.close());
  afterEach(() => {
    fx?.remove();
    server.script.length = 0;
  });

  it('refuses to add or search with another embedder than the stored vectors came from, until reembed', async () => {
    fx = makeFixture();
    const { warm } = await db.newWarmStore();
    await createKnowledgeStore(warm, { cwd: fx.root }).addPath('notes');
    const other = createKnowledgeStore(warm, { cwd: fx.root, embedder: new HashedNgramEmbedder({ seed: 99 }) });
    const onSearch = await failure(other.search('regime'));
    expect(onSearch.code).toBe('KNOWLEDGE_EMBEDDER_MISMATCH');
    expect(onSearch.message).toMatch(/chunks by hashed-ngram-v2-d384-s24301, but the configured embedder is hashed-ngram-v2-d384-s99/);
    expect(onSearch.message).toMatch(/playforge knowledge reembed/);
    expect((await failure(other.addPath('notes/regimes.md'))).code).toBe('KNOWLEDGE_EMBEDDER_MISMATCH');
    // Listing and keyword search need no vectors.
    expect(await other.listDocuments()).toHaveLength(5);
    expect((await other.search('breakout', { mode: 'keyword' })).length).toBeGreaterThan(0);

    const report = await other.reembed();
    expect(report).toMatchObject({ embedder: 'hashed-ngram-v2-d384-s99', previous: ['hashed-ngram-v2-d384-s24301'] });
    const { rows } = await warm.sql.query<{ model: string; n: number }>(`select embedding_model as model, count(*)::int as n from knowledge_chunks group by 1`);
    expect(rows).toEqual([{ model: 'hashed-ngram-v2-d384-s99', n: report.chunks }]);
    expect((await other.search('regime transition', { mode: 'vector' }))[0].docPath).toBe('notes/regimes.md');
    expect((await failure(createKnowledgeStore(warm, { cwd: fx.root }).search('regime'))).code).toBe('KNOWLEDGE_EMBEDDER_MISMATCH');
  });

  it('refuses an embedder of another dimension than the store was created with', async () => {
    fx = makeFixture();
    const { warm } = await db.newWarmStore();
    const small = createKnowledgeStore(warm, { cwd: fx.root, embedder: new HashedNgramEmbedder({ dimensions: 64 }) });
    const err = await failure(small.addPath('notes'));
    expect(err.code).toBe('KNOWLEDGE_EMBEDDER_MISMATCH');
    expect(err.message).toMatch(/holds 384-dimensional embeddings .* gives 64/);
    expect((await failure(small.reembed())).message).toMatch(/new --data-dir or database/);
    expect(await small.listDocuments()).toEqual([]);
  });

  it('stores an endpoint\'s vectors under its model name, retrying a 429, and stores nothing from a garbled answer', async () => {
    fx = makeFixture();
    const { warm } = await db.newWarmStore({ embeddingDimensions: 8 });
    const sleeps: number[] = [];
    const embedder = new OpenAICompatibleEmbedder({ baseUrl: server.baseUrl, model: 'fake-8', sleep: async (ms) => void sleeps.push(ms) });
    const ks = createKnowledgeStore(warm, { cwd: fx.root, embedder });
    server.script.push({ status: 429, headers: { 'retry-after': '1' }, body: '{}' });
    const added = await ks.addPath('notes/regimes.md');
    expect(added.files[0].status).toBe('added');
    expect(sleeps).toEqual([1000]);
    const { rows } = await warm.sql.query<{ model: string }>(`select distinct embedding_model as model from knowledge_chunks`);
    expect(rows).toEqual([{ model: 'openai-compatible:fake-8' }]);
    const before = await warm.sql.query(`select id from knowledge_chunks order by id`);

    server.script.push({ status: 200, body: '{"object":"list","data":[{"embedding":[0.1,' });
    const garbled = await failure(ks.addPath('notes/breakout.txt'));
    expect(garbled.code).toBe('KNOWLEDGE_EMBEDDINGS_RESPONSE');
    expect(garbled.message).toMatch(/not valid JSON/);
    expect((await ks.listDocuments()).map((d) => d.path)).toEqual(['notes/regimes.md']);
    expect((await warm.sql.query(`select id from knowledge_chunks order by id`)).rows).toEqual(before.rows);

    // In a folder an endpoint failure aborts the run (it would fail for every file), keeping what was stored.
    server.script.push({ status: 400, body: JSON.stringify({ error: { message: 'bad input' } }) });
    expect(await failure(ks.addPath('notes'))).toMatchObject({ code: 'KNOWLEDGE_EMBEDDINGS_HTTP' });
    expect((await ks.listDocuments()).map((d) => d.path)).toEqual(['notes/regimes.md']);
    expect((await ks.search('regime', { k: 1 }))[0].docPath).toBe('notes/regimes.md');
  });
}
