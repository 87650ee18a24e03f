// The knowledge store's public types (the contract in INTERFACES.md, "Knowledge store").

export type DocumentFormat = 'markdown' | 'text' | 'pdf' | 'yaml';

export interface KnowledgeDoc {
  /** uuid, stable while the file stays at its path (an edited file keeps its id, its chunks are replaced). */
  id: string;
  /** Relative to the working directory when the file is under it (posix separators), else absolute. */
  path: string;
  title: string;
  format: DocumentFormat;
  /** sha256 of the file's bytes. */
  hash: string;
  bytes: number;
  /** Number of chunks. */
  chunks: number;
  addedAt: Date;
  /** From the folder's sources.yml manifest (e.g. "MIT"), when it names one. */
  licence?: string;
  /** Where the text comes from (repository@commit:path, or "Playforge"), from the manifest. */
  origin?: string;
}

export interface KnowledgeChunk {
  /** Database id (knowledge_chunks.id); changes when the document is re-ingested after an edit. */
  id: number;
  docId: string;
  /** 0-based position of the chunk in its document. */
  ordinal: number;
  /** Heading path of the section the chunk starts in, e.g. "Simons Markov > Entry", or null before any heading. */
  heading: string | null;
  /** Exactly `documentText.slice(start, end)`. */
  text: string;
  /** UTF-16 offsets into the document's text (the file as decoded; for a PDF, its extracted text). */
  start: number;
  end: number;
  /** 1-based lines of the first and last character. */
  lineStart: number;
  lineEnd: number;
  /** PDF only: 1-based pages of the first and last character. */
  pageStart?: number;
  pageEnd?: number;
}

export type SearchMode = 'hybrid' | 'vector' | 'keyword';

export interface SearchOptions {
  /** Number of hits (default 5). */
  k?: number;
  /** Only chunks of this document. */
  docId?: string;
  /** Default `hybrid`: vector and BM25 rankings fused by reciprocal rank. */
  mode?: SearchMode;
}

export interface SearchHit {
  chunk: KnowledgeChunk;
  /** The ranking score: fused RRF score (hybrid), cosine similarity (vector) or BM25 (keyword). Higher is better. */
  score: number;
  /** Cosine similarity of query and chunk, or null when the chunk was not among the vector candidates. */
  vectorScore: number | null;
  /** BM25 score, or null when the chunk was not among the keyword candidates (or had no query term). */
  keywordScore: number | null;
  /** The chunk's document path and title, so a hit can be shown without another lookup. */
  docPath: string;
  docTitle: string;
}

export type IngestStatus = 'added' | 'updated' | 'unchanged' | 'moved' | 'duplicate' | 'skipped' | 'failed';

export interface IngestFileReport {
  path: string;
  status: IngestStatus;
  docId?: string;
  chunks?: number;
  /** Why a file was skipped or failed, or which document a duplicate matches. */
  reason?: string;
  /** The PlayforgeError code of a failure. */
  code?: string;
}

export interface IngestReport {
  files: IngestFileReport[];
  added: number;
  updated: number;
  unchanged: number;
  moved: number;
  duplicate: number;
  skipped: number;
  failed: number;
  /** Chunks written by this call (0 when nothing changed). */
  chunksWritten: number;
  embedder: string;
}

export interface IngestProgress {
  done: number;
  total: number;
  path: string;
}

export interface AddOptions {
  /** Called after each file of a directory (for a progress bar on stderr). */
  onProgress?: (progress: IngestProgress) => void;
}

export interface ReembedReport {
  embedder: string;
  previous: string[];
  chunks: number;
}

export interface KnowledgeStore {
  /** Ingest one file or every supported file under a directory; idempotent by content hash. */
  addPath(fileOrDir: string, options?: AddOptions): Promise<IngestReport>;
  listDocuments(): Promise<KnowledgeDoc[]>;
  getDocumentByPath(path: string): Promise<KnowledgeDoc | undefined>;
  chunksOf(docId: string): Promise<KnowledgeChunk[]>;
  search(query: string, options?: SearchOptions): Promise<SearchHit[]>;
  /** Re-embed every chunk with this store's embedder (after an embedder change), in one transaction. */
  reembed(): Promise<ReembedReport>;
  /** `pgvector`, or `array` when the server lacks pgvector and search uses an exact cosine in SQL. */
  readonly vectorMode: 'pgvector' | 'array';
  readonly embedderName: string;
  close(): Promise<void>;
}
