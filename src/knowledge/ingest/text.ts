// Plain text and markdown come in as UTF-8; anything else is refused rather than indexed as mojibake.
import path from 'node:path';
import { PlayforgeError } from '../../common/errors.ts';
import { KNOWLEDGE_READ } from '../errors.ts';

export function decodeUtf8(bytes: Uint8Array, file: string): string {
  let text: string;
  try {
    text = new TextDecoder('utf-8', { fatal: true }).decode(bytes);
  } catch {
    throw new PlayforgeError(KNOWLEDGE_READ, 'the file is not UTF-8 text; convert it (e.g. iconv -t UTF-8) and add it again', { file });
  }
  // TextDecoder drops a BOM already; a NUL byte means binary data with a text extension.
  if (text.includes('\u0000')) throw new PlayforgeError(KNOWLEDGE_READ, 'the file contains NUL bytes: it is binary, not text', { file });
  return text;
}

/** A readable title from a file name: "simons_markov.md" → "simons markov". */
export function titleFromFileName(file: string): string {
  return path.basename(file, path.extname(file)).replace(/[_-]+/g, ' ').trim() || path.basename(file);
}

/** The first non-blank line, if it is short enough to be a title. */
export function firstLineTitle(text: string): string | undefined {
  const line = text.split('\n').find((l) => l.trim() !== '')?.trim();
  return line !== undefined && line.length <= 120 ? line : undefined;
}
