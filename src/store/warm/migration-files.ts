// The migration set: ordered, checksummed SQL files in ./migrations, one set for PGlite and a server alike.
//
// Why plain SQL rather than drizzle-kit: drizzle-kit generates migrations through a CLI step against a live
// database, and its output would have to be kept identical for PGlite and a server anyway. Plain files named
// NNNN_what.sql, applied in order inside one transaction and recorded with their checksum in
// schema_migrations, are simpler to review and behave the same on both backends. The one thing that differs,
// the embedding column's type, is a {{placeholder}} filled from the store's recorded capabilities; the
// checksum covers the file as written, so it is the same on every backend.
import { createHash } from 'node:crypto';
import fs from 'node:fs';
import { fileURLToPath } from 'node:url';
import { PlayforgeError } from '../../common/errors.ts';
import { STORE_MIGRATION } from '../errors.ts';

export interface Migration {
  version: number;
  name: string;
  /** File name, for error messages. */
  file: string;
  /** The SQL as written, placeholders included. */
  template: string;
  /** sha256 of the template with line endings normalised, so a CRLF checkout does not look like an edit. */
  checksum: string;
}

const FILE_NAME = /^(\d{4})_([a-z0-9_]+)\.sql$/;
const PLACEHOLDER = /\{\{([a-z_]+)\}\}/g;

export const MIGRATIONS_DIR = fileURLToPath(new URL('./migrations/', import.meta.url));

export function migrationChecksum(text: string): string {
  return createHash('sha256').update(text.replace(/\r\n/g, '\n')).digest('hex');
}

export function migrationFromText(file: string, text: string): Migration {
  const match = FILE_NAME.exec(file);
  if (!match) {
    throw new PlayforgeError(STORE_MIGRATION, 'migration files are named NNNN_lower_snake.sql', { file });
  }
  return { version: Number(match[1]), name: match[2], file, template: text, checksum: migrationChecksum(text) };
}

/** Versions must run 1, 2, 3, ... with no gap or duplicate: a gap usually means a file lost in a merge. */
export function checkMigrationSequence(migrations: readonly Migration[]): Migration[] {
  const sorted = [...migrations].sort((a, b) => a.version - b.version);
  sorted.forEach((m, i) => {
    if (m.version !== i + 1) {
      throw new PlayforgeError(STORE_MIGRATION, `expected migration version ${i + 1} but found ${m.file}: versions must be 1, 2, 3, ... without gaps or duplicates`, { file: m.file });
    }
  });
  return sorted;
}

export function loadMigrations(dir: string = MIGRATIONS_DIR): Migration[] {
  const files = fs.readdirSync(dir).filter((f) => f.endsWith('.sql'));
  return checkMigrationSequence(files.map((f) => migrationFromText(f, fs.readFileSync(`${dir}/${f}`, 'utf8'))));
}

/** Fill {{name}} placeholders; an unknown name is an error rather than SQL that fails obscurely. */
export function renderMigration(migration: Migration, vars: Readonly<Record<string, string>>): string {
  return migration.template.replace(PLACEHOLDER, (_whole, name: string) => {
    const value = vars[name];
    if (value === undefined) {
      throw new PlayforgeError(STORE_MIGRATION, `unknown placeholder {{${name}}}`, { file: migration.file });
    }
    return value;
  });
}
