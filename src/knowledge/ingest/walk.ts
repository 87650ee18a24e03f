// The files to ingest under a folder, in a stable order: supported formats only, hidden entries and
// node_modules left out, and what a folder's sources.yml skips.
import fs from 'node:fs';
import path from 'node:path';
import { formatOf } from './formats.ts';
import { loadManifest, MANIFEST_FILE, type ManifestEntry } from './manifest.ts';

export interface FoundFile {
  file: string;
  entry?: ManifestEntry;
}

export interface WalkResult {
  files: FoundFile[];
  /** Files of a format the store does not read. */
  unsupported: string[];
}

export function walkSources(root: string): WalkResult {
  const result: WalkResult = { files: [], unsupported: [] };
  const visit = (dir: string): void => {
    const manifest = loadManifest(dir);
    const entries = fs.readdirSync(dir, { withFileTypes: true }).sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
    for (const e of entries) {
      if (e.name.startsWith('.') || e.name === 'node_modules' || e.name === MANIFEST_FILE || manifest?.skip.has(e.name)) continue;
      const full = path.join(dir, e.name);
      if (e.isDirectory()) visit(full);
      else if (e.isFile()) {
        if (formatOf(full)) result.files.push({ file: full, entry: manifest?.documents.get(e.name) });
        else result.unsupported.push(full);
      }
    }
  };
  visit(root);
  return result;
}

/** The manifest entry for a single file added on its own. */
export function manifestEntryFor(file: string): ManifestEntry | undefined {
  return loadManifest(path.dirname(file))?.documents.get(path.basename(file));
}
