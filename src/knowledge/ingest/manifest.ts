// sources.yml: an optional manifest in a folder of sources saying where each file comes from and under which
// licence, and which entries are not documents (a README about the folder, the licence texts):
//
//   skip: [README.md, LICENSES]
//   documents:
//     simons_markov.md: { title: "...", licence: MIT, origin: Playforge }
//
// It covers the files of its own folder (subfolders have their own). It is never ingested itself.
import fs from 'node:fs';
import path from 'node:path';
import { parse } from 'yaml';
import { PlayforgeError } from '../../common/errors.ts';
import { KNOWLEDGE_MANIFEST } from '../errors.ts';

export const MANIFEST_FILE = 'sources.yml';

export interface ManifestEntry {
  title?: string;
  licence?: string;
  origin?: string;
  /** Path of the licence text, relative to the manifest. */
  licenceFile?: string;
}

export interface Manifest {
  file: string;
  skip: ReadonlySet<string>;
  documents: ReadonlyMap<string, ManifestEntry>;
}

function optionalString(value: unknown, file: string, where: string): string | undefined {
  if (value === undefined || value === null) return undefined;
  if (typeof value !== 'string') throw new PlayforgeError(KNOWLEDGE_MANIFEST, `${where} must be a string`, { file, path: where });
  return value;
}

const ENTRY_KEYS = new Set(['title', 'licence', 'origin', 'licence_file']);

export function parseManifest(text: string, file: string): Manifest {
  let doc: unknown;
  try {
    doc = parse(text);
  } catch (e) {
    throw new PlayforgeError(KNOWLEDGE_MANIFEST, `not valid YAML: ${(e as Error).message}`, { file }, { cause: e });
  }
  doc ??= {};
  if (typeof doc !== 'object' || Array.isArray(doc)) throw new PlayforgeError(KNOWLEDGE_MANIFEST, 'expected a mapping with `skip` and `documents`', { file });
  const record = doc as Record<string, unknown>;
  for (const key of Object.keys(record)) {
    if (key !== 'skip' && key !== 'documents') throw new PlayforgeError(KNOWLEDGE_MANIFEST, `unknown key "${key}" (expected skip, documents)`, { file, path: key });
  }
  const skipRaw = record.skip ?? [];
  if (!Array.isArray(skipRaw) || skipRaw.some((s) => typeof s !== 'string')) {
    throw new PlayforgeError(KNOWLEDGE_MANIFEST, '`skip` must be a list of file or folder names', { file, path: 'skip' });
  }
  const docsRaw = record.documents ?? {};
  if (typeof docsRaw !== 'object' || docsRaw === null || Array.isArray(docsRaw)) {
    throw new PlayforgeError(KNOWLEDGE_MANIFEST, '`documents` must map file names to { title, licence, origin, licence_file }', { file, path: 'documents' });
  }
  const documents = new Map<string, ManifestEntry>();
  for (const [name, value] of Object.entries(docsRaw as Record<string, unknown>)) {
    const where = `documents.${name}`;
    if (typeof value !== 'object' || value === null || Array.isArray(value)) {
      throw new PlayforgeError(KNOWLEDGE_MANIFEST, `${where} must be a mapping`, { file, path: where });
    }
    const v = value as Record<string, unknown>;
    for (const key of Object.keys(v)) {
      if (!ENTRY_KEYS.has(key)) throw new PlayforgeError(KNOWLEDGE_MANIFEST, `unknown key "${key}" (expected title, licence, origin, licence_file)`, { file, path: `${where}.${key}` });
    }
    documents.set(name, {
      title: optionalString(v.title, file, `${where}.title`),
      licence: optionalString(v.licence, file, `${where}.licence`),
      origin: optionalString(v.origin, file, `${where}.origin`),
      licenceFile: optionalString(v.licence_file, file, `${where}.licence_file`),
    });
  }
  return { file, skip: new Set((skipRaw as string[]).map((s) => s.replace(/\/+$/, ''))), documents };
}

/** The manifest of a folder, if it has one. */
export function loadManifest(dir: string): Manifest | undefined {
  const file = path.join(dir, MANIFEST_FILE);
  let text: string;
  try {
    text = fs.readFileSync(file, 'utf8');
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    throw e;
  }
  return parseManifest(text, file);
}
