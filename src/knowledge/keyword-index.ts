// BM25 keyword search over the chunks (minisearch), the keyword half of hybrid search. The index is built
// from the database and kept while the corpus is unchanged: in memory for the life of the store, and on
// disk (under the data directory) so the next CLI call loads it instead of re-reading every chunk. Both are
// keyed by a fingerprint of the chunk and document tables, so an ingest anywhere invalidates them.
import fs from 'node:fs';
import path from 'node:path';
import MiniSearch, { type AsPlainObject, type Options } from 'minisearch';
import { STOP_WORDS, words } from './embed/tokenize.ts';

export interface KeywordDoc {
  id: number;
  docId: string;
  title: string;
  heading: string;
  text: string;
}

export interface KeywordMatch {
  id: number;
  score: number;
}

/** Bumped when the options below change, so an index persisted by an older version is rebuilt. */
const INDEX_VERSION = 1;

const OPTIONS: Options<KeywordDoc> = {
  idField: 'id',
  fields: ['title', 'heading', 'text'],
  storeFields: ['docId'],
  tokenize: (text) => words(text),
  processTerm: (term) => (STOP_WORDS.has(term) ? null : term),
  searchOptions: {
    // A query word in a chunk's heading or its document's title says more than one in running text.
    boost: { title: 1.5, heading: 2, text: 1 },
    combineWith: 'OR',
  },
};

export function buildKeywordIndex(docs: readonly KeywordDoc[]): MiniSearch<KeywordDoc> {
  const index = new MiniSearch<KeywordDoc>(OPTIONS);
  index.addAll(docs);
  return index;
}

/** The n best chunks by BM25, best first (ties by chunk id, so rankings are stable). */
export function keywordSearch(index: MiniSearch<KeywordDoc>, query: string, n: number, docId?: string): KeywordMatch[] {
  const results = index.search(query, docId === undefined ? {} : { filter: (r) => r.docId === docId });
  return results
    .map((r) => ({ id: Number(r.id), score: r.score }))
    .sort((a, b) => b.score - a.score || a.id - b.id)
    .slice(0, n);
}

interface Persisted {
  version: number;
  fingerprint: string;
  index: AsPlainObject;
}

/** The index for the current fingerprint: from memory, from the cache file, or built (and saved). */
export class KeywordIndexCache {
  private current: { fingerprint: string; index: MiniSearch<KeywordDoc> } | undefined;
  private readonly file: string | undefined;

  /** `file`: where to persist the index, or undefined to keep it in memory only. */
  constructor(file: string | undefined) {
    this.file = file;
  }

  async get(fingerprint: string, load: () => Promise<KeywordDoc[]>): Promise<MiniSearch<KeywordDoc>> {
    if (this.current?.fingerprint === fingerprint) return this.current.index;
    let index = this.readFile(fingerprint);
    if (index === undefined) {
      index = buildKeywordIndex(await load());
      this.writeFile(fingerprint, index);
    }
    this.current = { fingerprint, index };
    return index;
  }

  private readFile(fingerprint: string): MiniSearch<KeywordDoc> | undefined {
    if (this.file === undefined) return undefined;
    try {
      const persisted = JSON.parse(fs.readFileSync(this.file, 'utf8')) as Persisted;
      if (persisted.version !== INDEX_VERSION || persisted.fingerprint !== fingerprint) return undefined;
      return MiniSearch.loadJS<KeywordDoc>(persisted.index, OPTIONS);
    } catch {
      // Missing, stale or damaged: rebuild from the database, which is the truth.
      return undefined;
    }
  }

  private writeFile(fingerprint: string, index: MiniSearch<KeywordDoc>): void {
    if (this.file === undefined) return;
    try {
      fs.mkdirSync(path.dirname(this.file), { recursive: true });
      const tmp = `${this.file}.${process.pid}.tmp`;
      fs.writeFileSync(tmp, JSON.stringify({ version: INDEX_VERSION, fingerprint, index: index.toJSON() } satisfies Persisted));
      fs.renameSync(tmp, this.file);
    } catch {
      // A cache that cannot be written (read-only data dir) only costs a rebuild next time.
    }
  }
}
