// Ingest on a real database: which files are read, what is stored (documents, chunks at their exact
// positions, licences from sources.yml), and that adding again changes nothing unless a file did.
import fs from 'node:fs';
import path from 'node:path';
import { afterEach, expect, it } from 'vitest';
import { createKnowledgeStore, type KnowledgeStore } from '../../src/knowledge/index.ts';
import type { WarmStore } from '../../src/store/index.ts';
import type { KnowledgeTestDatabase } from './support/databases.ts';
import { makeFixture, REGIMES_MD, type Fixture } from './support/fixture.ts';

interface Snapshot {
  docs: unknown[];
  chunks: unknown[];
}

/** Every stored row that an idempotent re-ingest must leave exactly as it was. */
async function snapshot(warm: WarmStore): Promise<Snapshot> {
  const docs = (await warm.sql.query(`select id, source, title, content_hash, bytes, metadata, ingested_at from knowledge_docs order by id`)).rows;
  const chunks = (await warm.sql.query(`select id, doc_id, position, text, metadata, embedding_model, embedding::text as embedding from knowledge_chunks order by id`)).rows;
  return { docs, chunks };
}

async function failure(p: Promise<unknown>): Promise<{ code: string; message: string }> {
  try {
    await p;
  } catch (e) {
    return e as { code: string; message: string };
  }
  throw new Error('expected a rejection');
}

export function ingestCases(db: KnowledgeTestDatabase): void {
  let fixture: Fixture | undefined;
  afterEach(() => fixture?.remove());

  async function setup(): Promise<{ fx: Fixture; ks: KnowledgeStore; warm: WarmStore; schema: string }> {
    fixture = makeFixture();
    const { warm, schema } = await db.newWarmStore();
    return { fx: fixture, ks: createKnowledgeStore(warm, { cwd: fixture.root }), warm, schema };
  }

  it('adds every supported file of a folder tree, skipping what sources.yml, hidden names and unknown formats leave out', async () => {
    const { ks } = await setup();
    const report = await ks.addPath('notes');
    const byPath = Object.fromEntries(report.files.map((f) => [f.path, f.status]));
    expect(byPath).toEqual({
      'notes/image.png': 'skipped',
      'notes/breakout.txt': 'added',
      'notes/empty.md': 'skipped',
      'notes/idea.yml': 'added',
      'notes/paper.pdf': 'added',
      'notes/regimes.md': 'added',
      'notes/sub/deep.md': 'added',
    });
    expect(report).toMatchObject({ added: 5, skipped: 2, failed: 0, unchanged: 0, embedder: 'hashed-ngram-v2-d384-s24301' });
    const docs = await ks.listDocuments();
    expect(docs.map((d) => [d.path, d.format, d.title, d.licence, d.origin])).toEqual([
      ['notes/breakout.txt', 'text', 'breakout', undefined, undefined],
      ['notes/idea.yml', 'yaml', 'funding_fade', undefined, undefined],
      ['notes/paper.pdf', 'pdf', 'Springs and volume', 'CC-BY-4.0', 'someone/papers@abc:paper.pdf'],
      ['notes/regimes.md', 'markdown', 'Regime notes', 'MIT', 'Playforge'],
      ['notes/sub/deep.md', 'markdown', 'Deep', undefined, undefined],
    ]);
    expect(report.chunksWritten).toBe(docs.reduce((n, d) => n + d.chunks, 0));
  });

  it('stores chunks at their exact offsets, lines and pages, with heading paths', async () => {
    const { ks, fx } = await setup();
    await ks.addPath('notes');
    const doc = await ks.getDocumentByPath(path.join(fx.notes, 'regimes.md'));
    expect(doc).toBeDefined();
    expect(await ks.getDocumentByPath('notes/regimes.md')).toEqual(doc);
    expect(doc?.hash).toMatch(/^[0-9a-f]{64}$/);
    const chunks = await ks.chunksOf(doc?.id ?? '');
    expect(chunks.length).toBeGreaterThan(0);
    for (const c of chunks) {
      expect(c.text).toBe(REGIMES_MD.slice(c.start, c.end));
      expect(c.lineStart).toBe(REGIMES_MD.slice(0, c.start).split('\n').length);
      expect(c.docId).toBe(doc?.id);
    }
    expect(chunks.map((c) => c.ordinal)).toEqual(chunks.map((_, i) => i));
    expect(chunks[0].heading).toBe('Regimes');
    const pdf = await ks.getDocumentByPath('notes/paper.pdf');
    const pdfChunks = await ks.chunksOf(pdf?.id ?? '');
    expect(pdfChunks[0]).toMatchObject({ pageStart: 1, pageEnd: 2 });
    expect(pdfChunks[0].text).toContain('supply is exhausted');
    expect(await ks.chunksOf('not-a-uuid')).toEqual([]);
  });

  it('re-adding unchanged files changes nothing: no row, id, timestamp or vector moves', async () => {
    const { ks, warm, schema } = await setup();
    await ks.addPath('notes');
    const before = await snapshot(warm);
    const again = await ks.addPath('notes');
    expect(again).toMatchObject({ added: 0, updated: 0, unchanged: 5, chunksWritten: 0 });
    expect(await snapshot(warm)).toEqual(before);
    // A second store on the same database (another process) agrees.
    const other = createKnowledgeStore((await db.reopen(schema)).warm, { cwd: fixture?.root });
    expect((await other.addPath('notes/regimes.md')).files[0].status).toBe('unchanged');
    expect(await snapshot(warm)).toEqual(before);
  });

  it('an edited file keeps its id and gets new chunks; a moved file keeps its row; a copy is reported as a duplicate', async () => {
    const { ks, fx, warm } = await setup();
    await ks.addPath('notes');
    const doc = await ks.getDocumentByPath('notes/regimes.md');
    const oldChunkIds = (await ks.chunksOf(doc?.id ?? '')).map((c) => c.id);

    fx.write('notes/regimes.md', REGIMES_MD + '\n## Exits\n\nExit when the regime probability falls below 0.4.\n');
    const edited = await ks.addPath('notes/regimes.md');
    expect(edited.files[0]).toMatchObject({ status: 'updated', docId: doc?.id });
    const newChunks = await ks.chunksOf(doc?.id ?? '');
    expect(newChunks.some((c) => c.text.includes('falls below 0.4'))).toBe(true);
    expect(newChunks.map((c) => c.id).some((id) => oldChunkIds.includes(id))).toBe(false);
    const stale = await warm.sql.query(`select count(*)::int as n from knowledge_chunks where id = any($1::bigint[])`, [oldChunkIds]);
    expect(stale.rows).toEqual([{ n: 0 }]);

    fs.renameSync(path.join(fx.notes, 'breakout.txt'), path.join(fx.notes, 'orb.txt'));
    const breakout = await ks.getDocumentByPath('notes/breakout.txt');
    const moved = await ks.addPath('notes/orb.txt');
    expect(moved.files[0]).toMatchObject({ status: 'moved', docId: breakout?.id, reason: 'was notes/breakout.txt' });
    expect(await ks.getDocumentByPath('notes/breakout.txt')).toBeUndefined();

    fx.write('notes/copy.txt', fs.readFileSync(path.join(fx.notes, 'orb.txt')));
    const copy = await ks.addPath('notes/copy.txt');
    expect(copy.files[0]).toMatchObject({ status: 'duplicate', docId: breakout?.id, reason: 'same content as notes/orb.txt' });
    expect((await ks.listDocuments()).map((d) => d.path)).toEqual(['notes/idea.yml', 'notes/orb.txt', 'notes/paper.pdf', 'notes/regimes.md', 'notes/sub/deep.md']);
  });

  it('updates a title or licence from sources.yml without re-embedding, and re-chunks when chunking options change', async () => {
    const { ks, fx, warm } = await setup();
    await ks.addPath('notes');
    const chunkIds = (await snapshot(warm)).chunks.map((c) => (c as { id: number }).id);
    fx.write('notes/sources.yml', fs.readFileSync(path.join(fx.notes, 'sources.yml'), 'utf8').replace('licence: MIT', 'licence: Apache-2.0'));
    const relicensed = await ks.addPath('notes');
    expect(relicensed.files.find((f) => f.path === 'notes/regimes.md')).toMatchObject({ status: 'updated', chunks: 0 });
    expect((await ks.getDocumentByPath('notes/regimes.md'))?.licence).toBe('Apache-2.0');
    expect((await snapshot(warm)).chunks.map((c) => (c as { id: number }).id)).toEqual(chunkIds);

    const finer = createKnowledgeStore(warm, { cwd: fx.root, chunking: { maxChars: 120, overlapChars: 20, minChars: 0 } });
    const rechunked = await finer.addPath('notes/regimes.md');
    expect(rechunked.files[0].status).toBe('updated');
    const doc = await finer.getDocumentByPath('notes/regimes.md');
    expect((await finer.chunksOf(doc?.id ?? '')).every((c) => c.text.length <= 120)).toBe(true);
    expect((await finer.addPath('notes/regimes.md')).files[0].status).toBe('unchanged');
  });

  it('refuses a missing path or an unsupported file; in a folder a bad file is recorded and the others are added', async () => {
    const { ks, fx } = await setup();
    expect(await failure(ks.addPath('nope/missing.md'))).toMatchObject({ code: 'KNOWLEDGE_READ', message: expect.stringMatching(/no such file/) });
    expect(await failure(ks.addPath('notes/image.png'))).toMatchObject({ code: 'KNOWLEDGE_UNSUPPORTED_FORMAT' });
    fx.write('notes/latin1.txt', new Uint8Array([0x63, 0x61, 0x66, 0xe9]));
    expect(await failure(ks.addPath('notes/latin1.txt'))).toMatchObject({ code: 'KNOWLEDGE_READ' });
    const report = await ks.addPath('notes');
    expect(report.files.find((f) => f.path === 'notes/latin1.txt')).toMatchObject({ status: 'failed', code: 'KNOWLEDGE_READ' });
    expect(report).toMatchObject({ added: 5, failed: 1 });
    fx.write('notes/sources.yml', 'documents: [oops]\n');
    expect(await failure(ks.addPath('notes'))).toMatchObject({ code: 'KNOWLEDGE_MANIFEST' });
  });

  it('reports progress per file', async () => {
    const { ks } = await setup();
    const seen: string[] = [];
    await ks.addPath('notes', { onProgress: (p) => seen.push(`${p.done}/${p.total} ${p.path}`) });
    expect(seen).toEqual(['1/6 notes/breakout.txt', '2/6 notes/empty.md', '3/6 notes/idea.yml', '4/6 notes/paper.pdf', '5/6 notes/regimes.md', '6/6 notes/sub/deep.md']);
  });
}

