// Shared test helpers for the data stage: temp data dirs, the shipped example files, small real slices.
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Candles } from '../../../src/data/index.ts';

export const EXAMPLES = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..', '..', 'examples', 'data');
export const example = (name: string): string => path.join(EXAMPLES, name);

/** A fresh directory under the OS temp dir; remove it with cleanup(). */
export function tempDir(prefix = 'pf-data-'): string {
  return mkdtempSync(path.join(os.tmpdir(), prefix));
}

export function cleanup(dir: string): void {
  rmSync(dir, { recursive: true, force: true });
}

/** The header and the first `rows` data lines of a shipped file, as lines without newlines. */
export function realLines(name: string, rows: number): string[] {
  const text = readFileSync(example(name), 'utf8');
  return text.split('\n').slice(0, rows + 1);
}

export function writeLines(dir: string, name: string, lines: string[], finalNewline = true): string {
  const file = path.join(dir, name);
  writeFileSync(file, lines.join('\n') + (finalNewline ? '\n' : ''));
  return file;
}

/** Order-sensitive digest of candles, to prove a store did not change. */
export function digest(c: Candles): string {
  let h = 0;
  for (const k of ['ts', 'open', 'high', 'low', 'close', 'volume'] as const) {
    for (let i = 0; i < c.length; i++) h = (h * 31 + c[k][i] * (k === 'ts' ? 1e-9 : 1)) % 1e12;
  }
  return `${c.length}:${h.toFixed(3)}`;
}
