// The embedded default dataset: examples/data imported into the store on first use.
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { importFile } from './importer.ts';
import { withStore } from './load.ts';
import type { CandleStore } from './store.ts';

export const EXAMPLES_DATA_DIR = fileURLToPath(new URL('../../examples/data/', import.meta.url));

export interface ManifestEntry {
  file: string;
  /** `exchange:SYMBOL:interval` for bars, `exchange:SYMBOL` for funding. */
  dataset: string;
  kind: 'bars' | 'funding';
  rows: number;
  first: number;
  last: number;
}

export function readManifest(dir = EXAMPLES_DATA_DIR): ManifestEntry[] {
  return (JSON.parse(readFileSync(path.join(dir, 'MANIFEST.json'), 'utf8')) as { files: ManifestEntry[] }).files;
}

export interface DefaultDataResult {
  /** Files imported by this call. */
  imported: string[];
  /** Files whose data the store already held. */
  present: string[];
}

/**
 * Makes sure the bundled examples/data are in the store of `dataDir` (or the given store): a file is
 * imported when its dataset is missing or does not cover the file's rows and range. Idempotent; when
 * everything is there it costs one count/min/max query per dataset.
 */
export async function ensureDefaultData(storeOrDataDir: CandleStore | string, opts: { dir?: string } = {}): Promise<DefaultDataResult> {
  const dir = opts.dir ?? EXAMPLES_DATA_DIR;
  const manifest = readManifest(dir);
  return withStore(storeOrDataDir, async (store) => {
    const bars = new Map((await store.datasetStats()).map((s) => [s.id, s]));
    const funding = new Map((await store.listFunding()).map((f) => [`${f.exchange}:${f.symbol}`, f]));
    const result: DefaultDataResult = { imported: [], present: [] };
    for (const e of manifest) {
      const have = e.kind === 'bars' ? bars.get(e.dataset) : funding.get(e.dataset);
      const covered = have !== undefined && have.rows >= e.rows && have.first !== undefined && have.first <= e.first && have.last !== undefined && have.last >= e.last;
      if (covered) {
        result.present.push(e.file);
        continue;
      }
      await importFile(store, path.join(dir, e.file), { kind: e.kind });
      result.imported.push(e.file);
    }
    return result;
  });
}
