// A knowledge document as the agent reads it: its passages (the knowledge store's chunks) and a search
// restricted to it. A source that was not added yet is ingested first (addPath is idempotent by hash).
import { PlayforgeError } from '../common/errors.ts';
import type { KnowledgeStore } from '../knowledge/index.ts';

export interface Passage {
  chunkId: number;
  ordinal: number;
  heading: string | null;
  text: string;
  lineStart: number;
  lineEnd: number;
}

export interface PassageHit {
  chunkId: number;
  /** The store's ranking score. */
  score: number;
  /** Whether a query word occurs in the passage (BM25 found it), as opposed to vector similarity alone. */
  keyword: boolean;
}

export interface TranslationSource {
  documentId: string;
  documentPath: string;
  title: string;
  passages: Passage[];
  /** The passages of this document nearest to a query (hybrid search). */
  search(query: string, k: number): Promise<PassageHit[]>;
}

export type KnowledgeReader = Pick<KnowledgeStore, 'addPath' | 'getDocumentByPath' | 'chunksOf' | 'search'>;

export async function readSource(knowledge: KnowledgeReader, file: string): Promise<TranslationSource> {
  const report = await knowledge.addPath(file);
  const entry = report.files[0];
  if (!entry || entry.status === 'failed' || entry.status === 'skipped') {
    throw new PlayforgeError('AGENT_SOURCE_UNREADABLE', `cannot read ${file}${entry?.reason ? `: ${entry.reason}` : ''}`, { file });
  }
  // A byte-identical copy stored under another path is reported as a duplicate of that document.
  const doc = (await knowledge.getDocumentByPath(file)) ?? (entry.docId ? (await knowledge.getDocumentByPath(entry.path)) : undefined);
  const documentId = doc?.id ?? entry.docId;
  if (!documentId) throw new PlayforgeError('AGENT_SOURCE_UNREADABLE', `${file} was not stored by the knowledge store (${entry.status})`, { file });
  const chunks = await knowledge.chunksOf(documentId);
  if (chunks.length === 0) throw new PlayforgeError('AGENT_SOURCE_EMPTY', `${file} has no text to translate`, { file });
  return {
    documentId,
    documentPath: doc?.path ?? entry.path,
    title: doc?.title ?? entry.path,
    passages: chunks.map((c) => ({ chunkId: c.id, ordinal: c.ordinal, heading: c.heading, text: c.text, lineStart: c.lineStart, lineEnd: c.lineEnd })),
    search: async (query, k) =>
      (await knowledge.search(query, { k, docId: documentId, mode: 'hybrid' })).map((h) => ({ chunkId: h.chunk.id, score: h.score, keyword: (h.keywordScore ?? 0) > 0 })),
  };
}
