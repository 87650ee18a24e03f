// Hybrid search on a real database: the vector side ranks by exact cosine of the stored embeddings, the
// keyword side by BM25, hybrid fuses both by reciprocal rank; filters, errors, and the persisted keyword index.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { HashedNgramEmbedder, RRF_K, createKnowledgeStore, embeddingText, type KnowledgeStore, type SearchHit } from '../../src/knowledge/index.ts';
import type { KnowledgeTestDatabase } from './support/databases.ts';
import { makeFixture, type Fixture } from './support/fixture.ts';

const cosine = (a: Float32Array, b: Float32Array): number => a.reduce((acc, v, i) => acc + v * b[i], 0);

async function failure(p: Promise<unknown>): Promise<{ code: string; message: string }> {
  try {
    await p;
  } catch (e) {
    return e as { code: string; message: string };
  }
  throw new Error('expected a rejection');
}

export function searchCases(db: KnowledgeTestDatabase): void {
  let fx: Fixture;
  let ks: KnowledgeStore;
  let schema: string;
  const indexDir = fs.mkdtempSync(path.join(os.tmpdir(), 'pf-knowledge-index-'));
  const indexFile = path.join(indexDir, 'keyword-index.json');

  beforeAll(async () => {
    fx = makeFixture();
    const opened = await db.newWarmStore();
    schema = opened.schema;
    ks = createKnowledgeStore(opened.warm, { cwd: fx.root, keywordIndexFile: indexFile });
    await ks.addPath('notes');
  });
  afterAll(() => {
    fx.remove();
    fs.rmSync(indexDir, { recursive: true, force: true });
  });

  it('vector mode ranks every chunk by the cosine of its stored embedding, exactly', async () => {
    const query = 'confirmed regime transition with EMA momentum';
    const hits = await ks.search(query, { mode: 'vector', k: 50 });
    const embedder = new HashedNgramEmbedder();
    const q = embedder.embedOne(query);
    const expected: { id: number; sim: number }[] = [];
    for (const doc of await ks.listDocuments()) {
      for (const c of await ks.chunksOf(doc.id)) expected.push({ id: c.id, sim: cosine(q, embedder.embedOne(embeddingText(doc.title, c.heading, c.text))) });
    }
    expected.sort((a, b) => b.sim - a.sim || a.id - b.id);
    expect(hits.map((h) => h.chunk.id)).toEqual(expected.map((e) => e.id));
    hits.forEach((h, i) => {
      expect(h.score).toBeCloseTo(expected[i].sim, 5);
      expect(h.vectorScore).toBe(h.score);
      expect(h.keywordScore).toBeNull();
    });
    expect(hits[0].docPath).toBe('notes/regimes.md');
    expect(hits[0].docTitle).toBe('Regime notes');
  });

  it('keyword mode is BM25: only chunks containing a query term, the densest first', async () => {
    const hits = await ks.search('spring volume', { mode: 'keyword', k: 10 });
    expect(hits.length).toBeGreaterThan(0);
    for (const h of hits) expect(h.chunk.text.toLowerCase()).toMatch(/spring|volume/);
    expect(hits[0].docPath).toBe('notes/paper.pdf');
    expect(hits.map((h) => h.score)).toEqual([...hits.map((h) => h.score)].sort((a, b) => b - a));
    expect(hits.every((h) => h.keywordScore === h.score && h.vectorScore === null)).toBe(true);
  });

  it('hybrid mode fuses the two rankings by reciprocal rank', async () => {
    const query = 'stop below the entry in ATR';
    const vector = await ks.search(query, { mode: 'vector', k: 50 });
    const keyword = await ks.search(query, { mode: 'keyword', k: 50 });
    const hybrid = await ks.search(query, { k: 5 });
    const fused = new Map<number, number>();
    const addList = (list: SearchHit[]): void => list.forEach((h, r) => fused.set(h.chunk.id, (fused.get(h.chunk.id) ?? 0) + 1 / (RRF_K + r + 1)));
    addList(vector);
    addList(keyword);
    const expected = [...fused].sort((a, b) => b[1] - a[1] || a[0] - b[0]).slice(0, 5);
    expect(hybrid.map((h) => [h.chunk.id, Number(h.score.toFixed(12))])).toEqual(expected.map(([id, s]) => [id, Number(s.toFixed(12))]));
    expect(hybrid[0].chunk.text).toContain('two ATR below the entry');
    expect(hybrid[0].vectorScore).not.toBeNull();
    expect(hybrid[0].keywordScore).not.toBeNull();
  });

  it('filters by document, and answers a query of stop words with nothing', async () => {
    const pdf = await ks.getDocumentByPath('notes/paper.pdf');
    const hits = await ks.search('regime transition', { docId: pdf?.id, k: 10 });
    expect(hits.length).toBeGreaterThan(0);
    expect(hits.every((h) => h.chunk.docId === pdf?.id)).toBe(true);
    expect(await ks.search('the and of', {})).toEqual([]);
  });

  it('refuses an empty query, a bad k, an unknown mode and a document id that is not one', async () => {
    expect(await failure(ks.search('  '))).toMatchObject({ code: 'KNOWLEDGE_QUERY', message: 'the search query is empty' });
    expect((await failure(ks.search('x', { k: 0 }))).message).toMatch(/k must be an integer/);
    expect((await failure(ks.search('x', { mode: 'fuzzy' as 'hybrid' }))).message).toMatch(/mode must be one of/);
    expect((await failure(ks.search('x', { docId: 'notes/paper.pdf' }))).message).toMatch(/not a document id/);
  });

  it('persists the keyword index, and a change to the corpus from another store invalidates it', async () => {
    await ks.search('breakout', { mode: 'keyword' });
    const persisted = JSON.parse(fs.readFileSync(indexFile, 'utf8')) as { fingerprint: string };
    expect(persisted.fingerprint).toMatch(/^\d+:\d+:\d+:[0-9a-f]{32}$/);
    // Another store (process) on the same database and cache file: it loads the file, then sees a new document.
    const other = createKnowledgeStore((await db.reopen(schema)).warm, { cwd: fx.root, keywordIndexFile: indexFile });
    expect((await other.search('breakout', { mode: 'keyword' })).map((h) => h.chunk.id)).toEqual((await ks.search('breakout', { mode: 'keyword' })).map((h) => h.chunk.id));
    fx.write('notes/new.md', '# Zebra\n\nThe zebra pattern is a new idea.\n');
    await other.addPath('notes/new.md');
    const found = await ks.search('zebra', { mode: 'keyword' });
    expect(found[0]?.docPath).toBe('notes/new.md');
    expect(JSON.parse(fs.readFileSync(indexFile, 'utf8')).fingerprint).not.toBe(persisted.fingerprint);
    // A damaged cache file is rebuilt, not trusted.
    fs.writeFileSync(indexFile, '{ not json');
    const third = createKnowledgeStore((await db.reopen(schema)).warm, { cwd: fx.root, keywordIndexFile: indexFile });
    expect((await third.search('zebra', { mode: 'keyword' }))[0]?.docPath).toBe('notes/new.md');
  });
}
