// The knowledge store on the warm store (PostgreSQL: PGlite by default, a server with DATABASE_URL):
// documents in knowledge_docs keyed by content hash, their chunks with embeddings in knowledge_chunks,
// one transaction per document. Files are read, chunked and embedded before the transaction opens, so a
// failing embeddings endpoint or a bad file leaves the store as it was.
import { createHash } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { resolveDataDir } from '../common/config.ts';
import { PlayforgeError, isPlayforgeError } from '../common/errors.ts';
import {
  openWarmStore,
  redactConnectionUrl,
  SQLSTATE_UNIQUE_VIOLATION,
  STORE_VECTOR,
  isSqlState,
  type SqlQueryable,
  type StoreLogger,
  type WarmStore,
} from '../store/index.ts';
import { chunkDocument, DEFAULT_CHUNKING, type ChunkOptions, type TextChunk } from './chunker.ts';
import type { Embedder } from './embed/embedder.ts';
import { HashedNgramEmbedder } from './embed/hashed-ngram.ts';
import { words } from './embed/tokenize.ts';
import { KNOWLEDGE_EMBEDDER_MISMATCH, KNOWLEDGE_EMPTY, KNOWLEDGE_QUERY, KNOWLEDGE_READ, KNOWLEDGE_UNSUPPORTED_FORMAT } from './errors.ts';
import { reciprocalRankFusion, type Ranked } from './fusion.ts';
import { formatOf, SUPPORTED_EXTENSIONS } from './ingest/formats.ts';
import type { ManifestEntry } from './ingest/manifest.ts';
import { parseDocument } from './ingest/parse-document.ts';
import { pageOf } from './ingest/pdf.ts';
import { manifestEntryFor, walkSources, type FoundFile } from './ingest/walk.ts';
import { KeywordIndexCache, keywordSearch, type KeywordDoc } from './keyword-index.ts';
import type {
  AddOptions,
  DocumentFormat,
  IngestFileReport,
  IngestReport,
  KnowledgeChunk,
  KnowledgeDoc,
  KnowledgeStore,
  ReembedReport,
  SearchHit,
  SearchMode,
  SearchOptions,
} from './types.ts';

/** Bumped when the chunker's output for the same options changes: documents are then re-chunked on add. */
const CHUNKER_VERSION = 1;
const INSERT_BATCH = 100;
/** Candidates taken from each ranking before fusing. */
const FUSION_DEPTH = 100;
const MODES: readonly SearchMode[] = ['hybrid', 'vector', 'keyword'];
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

export interface KnowledgeStoreOptions {
  /** Default: the offline HashedNgramEmbedder. */
  embedder?: Embedder;
  chunking?: ChunkOptions;
  /** Persist the keyword index in this file between runs; undefined keeps it in memory only. */
  keywordIndexFile?: string;
  /** Document paths are stored relative to this directory when under it (default: the working directory). */
  cwd?: string;
}

export interface OpenKnowledgeStoreOptions extends KnowledgeStoreOptions {
  /** Playforge's data directory (PGlite files, the keyword index cache). */
  dataDir?: string;
  /** A PostgreSQL server; default DATABASE_URL; neither: PGlite under dataDir. */
  databaseUrl?: string;
  /** Keep everything in this schema (tests, tenants). */
  schema?: string;
  /** PGlite in memory (tests). */
  inMemory?: boolean;
  logger?: StoreLogger;
  env?: NodeJS.ProcessEnv;
}

interface DocMetadata {
  licence?: string;
  origin?: string;
  licenceFile?: string;
  chunking?: Record<string, number>;
  pages?: number;
}

interface DocRow {
  id: string;
  source: string;
  title: string | null;
  format: DocumentFormat;
  content_hash: string;
  bytes: number;
  metadata: DocMetadata;
  ingested_at: Date;
  chunks: number;
}

interface ChunkMetadata {
  heading: string | null;
  headingPath: string[];
  start: number;
  end: number;
  lineStart: number;
  lineEnd: number;
  pageStart?: number;
  pageEnd?: number;
}

interface ChunkRow {
  id: number;
  doc_id: string;
  position: number;
  text: string;
  metadata: ChunkMetadata;
}

const DOC_COLUMNS = `d.id, d.source, d.title, d.format, d.content_hash, d.bytes, d.metadata, d.ingested_at,
  (select count(*) from knowledge_chunks c where c.doc_id = d.id)::int as chunks`;

function toDoc(r: DocRow): KnowledgeDoc {
  const doc: KnowledgeDoc = {
    id: r.id,
    path: r.source,
    title: r.title ?? path.basename(r.source),
    format: r.format,
    hash: r.content_hash,
    bytes: Number(r.bytes),
    chunks: Number(r.chunks),
    addedAt: new Date(r.ingested_at),
  };
  if (r.metadata?.licence) doc.licence = r.metadata.licence;
  if (r.metadata?.origin) doc.origin = r.metadata.origin;
  return doc;
}

function toChunk(r: ChunkRow): KnowledgeChunk {
  const m = r.metadata;
  const chunk: KnowledgeChunk = {
    id: Number(r.id),
    docId: r.doc_id,
    ordinal: r.position,
    heading: m.heading,
    text: r.text,
    start: m.start,
    end: m.end,
    lineStart: m.lineStart,
    lineEnd: m.lineEnd,
  };
  if (m.pageStart !== undefined) chunk.pageStart = m.pageStart;
  if (m.pageEnd !== undefined) chunk.pageEnd = m.pageEnd;
  return chunk;
}

/** What the embedder sees: the document title and heading path give a short chunk its context. */
export function embeddingText(title: string, heading: string | null, text: string): string {
  return [title, heading ?? '', text].filter((s) => s !== '').join('\n');
}

/** jsonb does not keep key order, so records are compared key by key. */
function sameChunking(stored: Record<string, number> | undefined, current: Record<string, number>): boolean {
  if (stored === undefined) return false;
  const keys = Object.keys(current);
  return Object.keys(stored).length === keys.length && keys.every((key) => stored[key] === current[key]);
}

function sha256(bytes: Uint8Array): string {
  return createHash('sha256').update(bytes).digest('hex');
}

function emptyReport(embedder: string): IngestReport {
  return { files: [], added: 0, updated: 0, unchanged: 0, moved: 0, duplicate: 0, skipped: 0, failed: 0, chunksWritten: 0, embedder };
}

/** Errors that belong to one file (a directory add records them and goes on); any other error aborts. */
function isFileError(e: unknown): e is PlayforgeError {
  return isPlayforgeError(e) && ['KNOWLEDGE_READ', 'KNOWLEDGE_PDF', 'KNOWLEDGE_EMPTY', 'KNOWLEDGE_MANIFEST'].includes(e.code);
}

class WarmKnowledgeStore implements KnowledgeStore {
  readonly vectorMode: 'pgvector' | 'array';
  private readonly warm: WarmStore;
  private readonly embedder: Embedder;
  private readonly chunking: Required<ChunkOptions>;
  private readonly cwd: string;
  private readonly keywordCache: KeywordIndexCache;
  private readonly ownsWarm: boolean;

  constructor(warm: WarmStore, options: KnowledgeStoreOptions, ownsWarm: boolean) {
    this.warm = warm;
    this.vectorMode = warm.vectors.mode;
    this.embedder = options.embedder ?? new HashedNgramEmbedder({ dimensions: warm.vectors.dimensions });
    this.chunking = { ...DEFAULT_CHUNKING, ...options.chunking };
    this.cwd = path.resolve(options.cwd ?? process.cwd());
    this.keywordCache = new KeywordIndexCache(options.keywordIndexFile);
    this.ownsWarm = ownsWarm;
  }

  get embedderName(): string {
    return this.embedder.name;
  }

  private get sql(): SqlQueryable {
    return this.warm.sql;
  }

  /** Relative to cwd (posix separators) when under it, else absolute: the key a document is stored under. */
  private storedPath(file: string): string {
    const abs = path.resolve(this.cwd, file);
    const rel = path.relative(this.cwd, abs);
    if (rel !== '' && !rel.startsWith('..') && !path.isAbsolute(rel)) return rel.split(path.sep).join('/');
    return abs;
  }

  private chunkingRecord(): Record<string, number> {
    return { version: CHUNKER_VERSION, maxChars: this.chunking.maxChars, overlapChars: this.chunking.overlapChars, minChars: this.chunking.minChars };
  }

  /** Refuse to add or search with an embedder whose vectors would not be comparable with the stored ones. */
  private async checkEmbedder(): Promise<void> {
    if (this.embedder.dimensions === 0) await this.embedder.embed(['dimension probe']);
    const stored = this.warm.vectors.dimensions;
    if (this.embedder.dimensions !== stored) {
      throw new PlayforgeError(
        KNOWLEDGE_EMBEDDER_MISMATCH,
        `this store holds ${stored}-dimensional embeddings (fixed when it was created) but the embedder ${this.embedder.name} gives ${this.embedder.dimensions}: ` +
          `use an embedder of ${stored} dimensions (--embeddings-dimensions ${stored} where the model supports it), or a new --data-dir or database for this one`,
      );
    }
    const { rows } = await this.sql.query<{ model: string | null; n: number }>(
      `select embedding_model as model, count(*)::int as n from knowledge_chunks where embedding is not null group by embedding_model order by 2 desc`,
    );
    const others = rows.filter((r) => r.model !== this.embedder.name);
    if (others.length > 0) {
      const what = others.map((r) => `${r.n} chunks by ${r.model ?? 'an unknown embedder'}`).join(', ');
      throw new PlayforgeError(
        KNOWLEDGE_EMBEDDER_MISMATCH,
        `this knowledge store holds ${what}, but the configured embedder is ${this.embedder.name}; vectors of two embedders are never mixed. ` +
          `Configure the same embedder again, or run \`playforge knowledge reembed\` with the new one to re-embed every chunk.`,
      );
    }
  }

  async addPath(fileOrDir: string, options: AddOptions = {}): Promise<IngestReport> {
    const abs = path.resolve(this.cwd, fileOrDir);
    let stat: fs.Stats;
    try {
      stat = fs.statSync(abs);
    } catch (e) {
      throw new PlayforgeError(KNOWLEDGE_READ, `cannot read ${fileOrDir}: ${(e as NodeJS.ErrnoException).code === 'ENOENT' ? 'no such file or directory' : (e as Error).message}`, { file: fileOrDir });
    }
    const report = emptyReport(this.embedder.name);
    let files: FoundFile[];
    if (stat.isDirectory()) {
      const walked = walkSources(abs);
      files = walked.files;
      for (const f of walked.unsupported) report.files.push({ path: this.storedPath(f), status: 'skipped', reason: `not a supported format (${SUPPORTED_EXTENSIONS.join(' ')})` });
      report.skipped += walked.unsupported.length;
    } else {
      if (!formatOf(abs)) {
        throw new PlayforgeError(KNOWLEDGE_UNSUPPORTED_FORMAT, `${path.extname(abs) || 'a file without an extension'} is not a supported format; the store reads ${SUPPORTED_EXTENSIONS.join(' ')}`, { file: fileOrDir });
      }
      files = [{ file: abs, entry: manifestEntryFor(abs) }];
    }
    await this.checkEmbedder();
    for (const [i, found] of files.entries()) {
      let entry: IngestFileReport;
      try {
        entry = await this.ingestFileOnce(found);
      } catch (e) {
        if (!isFileError(e)) throw e;
        if (e.code === KNOWLEDGE_EMPTY) entry = { path: this.storedPath(found.file), status: 'skipped', reason: e.message, code: e.code };
        else if (stat.isDirectory()) entry = { path: this.storedPath(found.file), status: 'failed', reason: e.message, code: e.code };
        else throw e;
      }
      report.files.push(entry);
      report[entry.status] += 1;
      if (entry.status === 'added' || entry.status === 'updated') report.chunksWritten += entry.chunks ?? 0;
      options.onProgress?.({ done: i + 1, total: files.length, path: entry.path });
    }
    return report;
  }

  /** Two concurrent adds of the same new content: the loser finds the winner's row on a second look. */
  private async ingestFileOnce(found: FoundFile): Promise<IngestFileReport> {
    try {
      return await this.ingestFile(found);
    } catch (e) {
      if (isSqlState(e, SQLSTATE_UNIQUE_VIOLATION)) return this.ingestFile(found);
      throw e;
    }
  }

  private async docWhere(column: 'content_hash' | 'source', value: string, db: SqlQueryable = this.sql): Promise<DocRow | undefined> {
    const { rows } = await db.query<DocRow>(`select ${DOC_COLUMNS} from knowledge_docs d where d.${column} = $1 order by d.ingested_at limit 1`, [value]);
    return rows[0];
  }

  private async ingestFile({ file, entry }: FoundFile): Promise<IngestFileReport> {
    const format = formatOf(file) as DocumentFormat;
    let bytes: Buffer;
    try {
      bytes = await fs.promises.readFile(file);
    } catch (e) {
      throw new PlayforgeError(KNOWLEDGE_READ, `cannot read the file: ${(e as Error).message}`, { file }, { cause: e });
    }
    const hash = sha256(bytes);
    const stored = this.storedPath(file);
    const byHash = await this.docWhere('content_hash', hash);
    const byPath = await this.docWhere('source', stored);
    if (byHash && byHash.source === stored) {
      if (!sameChunking(byHash.metadata?.chunking, this.chunkingRecord())) {
        return this.writeDocument(file, stored, bytes, hash, format, entry, byHash.id, 'updated');
      }
      if (this.manifestChanged(byHash, entry)) {
        await this.sql.query(`update knowledge_docs set title = $2, metadata = $3::jsonb where id = $1`, [
          byHash.id,
          entry?.title ?? byHash.title,
          JSON.stringify(this.docMetadata(entry, byHash.metadata?.pages)),
        ]);
        return { path: stored, status: 'updated', docId: byHash.id, chunks: 0, reason: 'title or licence from sources.yml' };
      }
      return { path: stored, status: 'unchanged', docId: byHash.id, chunks: byHash.chunks };
    }
    if (byHash) {
      // The same bytes are stored under another path: a copy if that file is still there, else a move.
      const original = path.resolve(this.cwd, byHash.source);
      const stillThere = fs.existsSync(original) && sha256(fs.readFileSync(original)) === hash;
      await this.sql.transaction(async (tx) => {
        // Whatever this path held before is no longer its content.
        if (byPath && byPath.id !== byHash.id) await tx.query(`delete from knowledge_docs where id = $1`, [byPath.id]);
        if (!stillThere) await tx.query(`update knowledge_docs set source = $2 where id = $1`, [byHash.id, stored]);
      });
      return stillThere
        ? { path: stored, status: 'duplicate', docId: byHash.id, chunks: byHash.chunks, reason: `same content as ${byHash.source}` }
        : { path: stored, status: 'moved', docId: byHash.id, chunks: byHash.chunks, reason: `was ${byHash.source}` };
    }
    return this.writeDocument(file, stored, bytes, hash, format, entry, byPath?.id, byPath ? 'updated' : 'added');
  }

  private manifestChanged(row: DocRow, entry: ManifestEntry | undefined): boolean {
    const m = row.metadata ?? {};
    return (entry?.title !== undefined && entry.title !== row.title) ||
      (entry?.licence ?? undefined) !== (m.licence ?? undefined) ||
      (entry?.origin ?? undefined) !== (m.origin ?? undefined) ||
      (entry?.licenceFile ?? undefined) !== (m.licenceFile ?? undefined);
  }

  private docMetadata(entry: ManifestEntry | undefined, pages: number | undefined): DocMetadata {
    const meta: DocMetadata = { chunking: this.chunkingRecord() };
    if (entry?.licence) meta.licence = entry.licence;
    if (entry?.origin) meta.origin = entry.origin;
    if (entry?.licenceFile) meta.licenceFile = entry.licenceFile;
    if (pages !== undefined) meta.pages = pages;
    return meta;
  }

  private chunkMetadata(chunk: TextChunk, pageStarts: number[] | undefined): ChunkMetadata {
    const meta: ChunkMetadata = {
      heading: chunk.headingPath.length > 0 ? chunk.headingPath.join(' > ') : null,
      headingPath: chunk.headingPath,
      start: chunk.start,
      end: chunk.end,
      lineStart: chunk.lineStart,
      lineEnd: chunk.lineEnd,
    };
    if (pageStarts) {
      meta.pageStart = pageOf(pageStarts, chunk.start);
      meta.pageEnd = pageOf(pageStarts, chunk.end - 1);
    }
    return meta;
  }

  private async writeDocument(
    file: string,
    stored: string,
    bytes: Buffer,
    hash: string,
    format: DocumentFormat,
    entry: ManifestEntry | undefined,
    existingId: string | undefined,
    status: 'added' | 'updated',
  ): Promise<IngestFileReport> {
    const parsed = await parseDocument(bytes, file, format);
    const chunks = chunkDocument(parsed.text, format, this.chunking);
    if (chunks.length === 0) throw new PlayforgeError(KNOWLEDGE_EMPTY, 'the file has no text to index', { file });
    const title = entry?.title ?? parsed.title;
    const metas = chunks.map((c) => this.chunkMetadata(c, parsed.pageStarts));
    const vectors = await this.embedder.embed(chunks.map((c, i) => embeddingText(title, metas[i].heading, c.text)));
    if (vectors.length !== chunks.length) throw new Error(`embedder ${this.embedder.name} returned ${vectors.length} vectors for ${chunks.length} texts`);
    const docMeta = JSON.stringify(this.docMetadata(entry, parsed.pageStarts?.length));
    const docId = await this.sql.transaction(async (tx) => {
      let id: string;
      if (existingId !== undefined) {
        await tx.query(`update knowledge_docs set source = $2, title = $3, format = $4, content_hash = $5, bytes = $6, metadata = $7::jsonb, ingested_at = now() where id = $1`, [
          existingId, stored, title, format, hash, bytes.length, docMeta,
        ]);
        await tx.query(`delete from knowledge_chunks where doc_id = $1`, [existingId]);
        id = existingId;
      } else {
        const { rows } = await tx.query<{ id: string }>(
          `insert into knowledge_docs (source, title, format, content_hash, bytes, metadata) values ($1, $2, $3, $4, $5, $6::jsonb) returning id`,
          [stored, title, format, hash, bytes.length, docMeta],
        );
        id = rows[0].id;
      }
      for (let from = 0; from < chunks.length; from += INSERT_BATCH) {
        const params: unknown[] = [];
        const values: string[] = [];
        chunks.slice(from, from + INSERT_BATCH).forEach((c, j) => {
          const b = j * 7;
          params.push(id, c.ordinal, c.text, words(c.text).length, this.warm.vectors.encode(vectors[from + j]), this.embedder.name, JSON.stringify(metas[from + j]));
          values.push(`($${b + 1}::uuid, $${b + 2}, $${b + 3}, $${b + 4}, ${this.warm.vectors.param(b + 5)}, $${b + 6}, $${b + 7}::jsonb)`);
        });
        await tx.query(`insert into knowledge_chunks (doc_id, position, text, token_count, embedding, embedding_model, metadata) values ${values.join(', ')}`, params);
      }
      return id;
    });
    return { path: stored, status, docId, chunks: chunks.length };
  }

  async listDocuments(): Promise<KnowledgeDoc[]> {
    const { rows } = await this.sql.query<DocRow>(`select ${DOC_COLUMNS} from knowledge_docs d order by d.source, d.id`);
    return rows.map(toDoc);
  }

  async getDocumentByPath(p: string): Promise<KnowledgeDoc | undefined> {
    const row = await this.docWhere('source', this.storedPath(p));
    return row ? toDoc(row) : undefined;
  }

  async chunksOf(docId: string): Promise<KnowledgeChunk[]> {
    if (!UUID.test(docId)) return [];
    const { rows } = await this.sql.query<ChunkRow>(`select id, doc_id, position, text, metadata from knowledge_chunks where doc_id = $1 order by position`, [docId]);
    return rows.map(toChunk);
  }

  private async fingerprint(): Promise<string> {
    const { rows } = await this.sql.query<{ fp: string }>(
      `select (select count(*) from knowledge_chunks)::text || ':' || coalesce((select max(id) from knowledge_chunks), 0)::text || ':' ||
              coalesce((select sum(id) from knowledge_chunks), 0)::text || ':' ||
              coalesce((select md5(string_agg(id::text || ':' || coalesce(title, ''), ',' order by id)) from knowledge_docs), '') as fp`,
    );
    return rows[0].fp;
  }

  private async keywordDocs(): Promise<KeywordDoc[]> {
    const { rows } = await this.sql.query<{ id: number; doc_id: string; title: string | null; heading: string | null; text: string }>(
      `select c.id, c.doc_id, d.title, c.metadata->>'heading' as heading, c.text from knowledge_chunks c join knowledge_docs d on d.id = c.doc_id order by c.id`,
    );
    return rows.map((r) => ({ id: Number(r.id), docId: r.doc_id, title: r.title ?? '', heading: r.heading ?? '', text: r.text }));
  }

  async search(query: string, options: SearchOptions = {}): Promise<SearchHit[]> {
    const k = options.k ?? 5;
    const mode = options.mode ?? 'hybrid';
    const q = query.trim();
    if (q === '') throw new PlayforgeError(KNOWLEDGE_QUERY, 'the search query is empty');
    if (!Number.isInteger(k) || k < 1 || k > 1000) throw new PlayforgeError(KNOWLEDGE_QUERY, `k must be an integer in 1..1000, got ${k}`);
    if (!MODES.includes(mode)) throw new PlayforgeError(KNOWLEDGE_QUERY, `mode must be one of ${MODES.join(', ')}, got "${mode}"`);
    const docId = options.docId;
    if (docId !== undefined && !UUID.test(docId)) throw new PlayforgeError(KNOWLEDGE_QUERY, `"${docId}" is not a document id (a uuid from listDocuments)`);
    // Fusion works on deeper lists than the k shown (a chunk ranked 12th by both beats one ranked 3rd by one),
    // of a fixed depth so that the top 5 is always the start of the top 20.
    const depth = mode === 'hybrid' ? Math.max(FUSION_DEPTH, k) : k;
    let vectorList: Ranked[] = [];
    let keywordList: Ranked[] = [];
    if (mode !== 'keyword') {
      await this.checkEmbedder();
      const [qv] = await this.embedder.embed([q]);
      // A query of stop words only has no direction; the keyword side (or nothing) answers it.
      if (qv.some((v) => v !== 0)) {
        const matches = await this.warm.vectorSearch(qv, depth, docId !== undefined ? { docIds: [docId] } : {});
        vectorList = matches.map((m) => ({ id: Number(m.chunkId), score: 1 - m.distance }));
      }
    }
    if (mode !== 'vector') {
      const index = await this.keywordCache.get(await this.fingerprint(), () => this.keywordDocs());
      keywordList = keywordSearch(index, q, depth, docId);
    }
    const ranked = mode === 'vector' ? vectorList : mode === 'keyword' ? keywordList : reciprocalRankFusion([vectorList, keywordList]);
    const top = ranked.slice(0, k);
    if (top.length === 0) return [];
    const vectorScores = new Map(vectorList.map((r) => [r.id, r.score]));
    const keywordScores = new Map(keywordList.map((r) => [r.id, r.score]));
    const { rows } = await this.sql.query<ChunkRow & { source: string; title: string | null }>(
      `select c.id, c.doc_id, c.position, c.text, c.metadata, d.source, d.title from knowledge_chunks c join knowledge_docs d on d.id = c.doc_id where c.id = any($1::bigint[])`,
      [top.map((t) => t.id)],
    );
    const byId = new Map(rows.map((r) => [Number(r.id), r]));
    return top.flatMap((t) => {
      const row = byId.get(t.id);
      // A chunk deleted by a concurrent re-ingest since the ranking was made.
      if (!row) return [];
      return [{
        chunk: toChunk(row),
        score: t.score,
        vectorScore: vectorScores.get(t.id) ?? null,
        keywordScore: keywordScores.get(t.id) ?? null,
        docPath: row.source,
        docTitle: row.title ?? path.basename(row.source),
      }];
    });
  }

  async reembed(): Promise<ReembedReport> {
    if (this.embedder.dimensions === 0) await this.embedder.embed(['dimension probe']);
    if (this.embedder.dimensions !== this.warm.vectors.dimensions) {
      throw new PlayforgeError(
        KNOWLEDGE_EMBEDDER_MISMATCH,
        `this store holds ${this.warm.vectors.dimensions}-dimensional embeddings and ${this.embedder.name} gives ${this.embedder.dimensions}: ` +
          'the dimension is fixed when a store is created, so re-embedding needs a new --data-dir or database (add the sources there)',
      );
    }
    const { rows } = await this.sql.query<{ id: number; text: string; heading: string | null; title: string | null; model: string | null }>(
      `select c.id, c.text, c.metadata->>'heading' as heading, d.title, c.embedding_model as model
         from knowledge_chunks c join knowledge_docs d on d.id = c.doc_id order by c.id`,
    );
    const previous = [...new Set(rows.map((r) => r.model ?? 'none'))].filter((m) => m !== this.embedder.name).sort();
    // Every vector is computed before the transaction: a failing endpoint leaves the old vectors in place.
    const vectors = await this.embedder.embed(rows.map((r) => embeddingText(r.title ?? '', r.heading, r.text)));
    await this.sql.transaction(async (tx) => {
      for (const [i, r] of rows.entries()) {
        await tx.query(`update knowledge_chunks set embedding = ${this.warm.vectors.param(1)}, embedding_model = $2 where id = $3`, [
          this.warm.vectors.encode(vectors[i]),
          this.embedder.name,
          r.id,
        ]);
      }
    });
    return { embedder: this.embedder.name, previous, chunks: rows.length };
  }

  async close(): Promise<void> {
    if (this.ownsWarm) await this.warm.close();
  }
}

/** A knowledge store on an open warm store (which the caller keeps and closes). */
export function createKnowledgeStore(warm: WarmStore, options: KnowledgeStoreOptions = {}): KnowledgeStore {
  return new WarmKnowledgeStore(warm, options, false);
}

/**
 * Open the warm store (PGlite under dataDir, or the server of databaseUrl / DATABASE_URL) and the knowledge
 * store on it. A new store is created with the embedder's dimension; an existing one must match it.
 */
export async function openKnowledgeStore(options: OpenKnowledgeStoreOptions = {}): Promise<KnowledgeStore> {
  const env = options.env ?? process.env;
  const embedder = options.embedder ?? new HashedNgramEmbedder();
  // An endpoint whose model's length was not configured: one request tells it, before the store is created with it.
  if (embedder.dimensions === 0) await embedder.embed(['dimension probe']);
  let warm: WarmStore;
  try {
    warm = await openWarmStore({
      dataDir: options.dataDir,
      databaseUrl: options.databaseUrl,
      schema: options.schema,
      inMemory: options.inMemory,
      logger: options.logger,
      env,
      embeddingDimensions: embedder.dimensions,
    });
  } catch (e) {
    if (isPlayforgeError(e) && e.code === STORE_VECTOR && /cannot take/.test(e.message)) {
      throw new PlayforgeError(
        KNOWLEDGE_EMBEDDER_MISMATCH,
        `${e.message}: the embedder ${embedder.name} gives ${embedder.dimensions}-dimensional vectors. Use an embedder of the store's dimension ` +
          '(--embeddings-dimensions where the model supports it), or a new --data-dir or database for this one',
        {},
        { cause: e },
      );
    }
    throw e;
  }
  let keywordIndexFile = options.keywordIndexFile;
  if (keywordIndexFile === undefined && !options.inMemory) {
    const databaseUrl = options.databaseUrl || env.DATABASE_URL || '';
    const identity = `${warm.backend}|${databaseUrl ? redactConnectionUrl(databaseUrl) : ''}|${options.schema ?? 'public'}`;
    const key = createHash('sha256').update(identity).digest('hex').slice(0, 12);
    keywordIndexFile = path.join(resolveDataDir(options.dataDir, env), 'knowledge', `keyword-index-${key}.json`);
  }
  return new WarmKnowledgeStore(warm, { ...options, embedder, keywordIndexFile }, true);
}
