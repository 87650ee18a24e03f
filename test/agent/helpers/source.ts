// A knowledge source read without the database: the knowledge stage's own parser and chunker, chunk ids
// 1..n. For the LLM tests, which never search.
import { readFileSync } from 'node:fs';
import path from 'node:path';
import type { TranslationSource } from '../../../src/agent/index.ts';
import { chunkDocument, parseDocument } from '../../../src/knowledge/index.ts';
import { ROOT } from './data.ts';

export async function sourceFromFile(rel: string): Promise<TranslationSource> {
  const file = path.join(ROOT, rel);
  const doc = await parseDocument(readFileSync(file), file, 'markdown');
  const chunks = chunkDocument(doc.text, 'markdown');
  return {
    documentId: 'doc-under-test',
    documentPath: rel,
    title: doc.title,
    passages: chunks.map((c) => ({ chunkId: c.ordinal + 1, ordinal: c.ordinal, heading: c.headingPath.join(' > ') || null, text: c.text, lineStart: c.lineStart, lineEnd: c.lineEnd })),
    search: async () => [],
  };
}
