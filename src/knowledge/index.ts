// Public surface of the knowledge stage; other stages import only from here.
//
//   const ks = await openKnowledgeStore({ dataDir });          // PGlite under dataDir, or DATABASE_URL's server
//   await ks.addPath('knowledge/sources');                      // md, txt, pdf, yml; idempotent by content hash
//   const doc = await ks.getDocumentByPath('knowledge/sources/simons_markov.md');
//   const hits = await ks.search('confirmed regime transition', { k: 5, docId: doc?.id });  // hybrid by default
//   await ks.close();
//
// Embedder: the offline HashedNgramEmbedder by default; createEmbedder(resolveEmbedderConfig(flags)) picks an
// OpenAI-compatible endpoint from --embeddings-url / PLAYFORGE_EMBEDDINGS_URL. A store never mixes vectors of
// two embedders: another embedder gets KNOWLEDGE_EMBEDDER_MISMATCH until `reembed()`.
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
