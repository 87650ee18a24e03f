// Knowledge-store error codes (PlayforgeError.code). Stable: scripts and the CLI's --json output carry them.

/** A file or directory that cannot be read, or a format the store does not ingest. */
export const KNOWLEDGE_READ = 'KNOWLEDGE_READ';
export const KNOWLEDGE_UNSUPPORTED_FORMAT = 'KNOWLEDGE_UNSUPPORTED_FORMAT';
/** A PDF that pdf.js cannot parse, or one without a text layer (a scan). */
export const KNOWLEDGE_PDF = 'KNOWLEDGE_PDF';
/** A document with no text to index. */
export const KNOWLEDGE_EMPTY = 'KNOWLEDGE_EMPTY';
/** A sources.yml manifest that is not what it should be. */
export const KNOWLEDGE_MANIFEST = 'KNOWLEDGE_MANIFEST';
/** Embedder configuration that cannot work (missing model, bad URL, bad dimensions). */
export const KNOWLEDGE_EMBEDDER_CONFIG = 'KNOWLEDGE_EMBEDDER_CONFIG';
/** The embeddings endpoint failed (HTTP error after retries, timeout, connection refused). */
export const KNOWLEDGE_EMBEDDINGS_HTTP = 'KNOWLEDGE_EMBEDDINGS_HTTP';
/** The embeddings endpoint answered, but not with one finite vector of the expected length per input. */
export const KNOWLEDGE_EMBEDDINGS_RESPONSE = 'KNOWLEDGE_EMBEDDINGS_RESPONSE';
/** The store holds vectors from another embedder (or another dimension): never mix them. */
export const KNOWLEDGE_EMBEDDER_MISMATCH = 'KNOWLEDGE_EMBEDDER_MISMATCH';
/** A search that cannot run (empty query, bad k, unknown document). */
export const KNOWLEDGE_QUERY = 'KNOWLEDGE_QUERY';
