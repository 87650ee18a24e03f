// Public surface of the knowledge stage; other stages import only from here.
export type {
  AddOptions,
  DocumentFormat,
  IngestFileReport,
  IngestProgress,
  IngestReport,
  IngestStatus,
  KnowledgeChunk,
  KnowledgeDoc,
  KnowledgeStore,
  ReembedReport,
  SearchHit,
  SearchMode,
  SearchOptions,
} from './types.ts';
export * from './errors.ts';
export { openKnowledgeStore, createKnowledgeStore, embeddingText, type KnowledgeStoreOptions, type OpenKnowledgeStoreOptions } from './store.ts';
export type { Embedder } from './embed/embedder.ts';
export { HashedNgramEmbedder, type HashedNgramOptions } from './embed/hashed-ngram.ts';
export { OpenAICompatibleEmbedder, normalizeBaseUrl, type OpenAICompatibleOptions } from './embed/openai-compatible.ts';
export { createEmbedder, resolveEmbedderConfig, type EmbedderConfig, type EmbedderFlags } from './embed/config.ts';
export { chunkDocument, chunkSections, markdownSections, yamlSections, DEFAULT_CHUNKING, type ChunkOptions, type Section, type TextChunk } from './chunker.ts';
export { parseDocument, type ParsedDocument } from './ingest/parse-document.ts';
export { formatOf, SUPPORTED_EXTENSIONS } from './ingest/formats.ts';
export { parseManifest, loadManifest, MANIFEST_FILE, type Manifest, type ManifestEntry } from './ingest/manifest.ts';
export { reciprocalRankFusion, RRF_K, type Ranked } from './fusion.ts';
export { words, contentWords, STOP_WORDS } from './embed/tokenize.ts';
