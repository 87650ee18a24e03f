// Which files the store reads, by extension.
import path from 'node:path';
import type { DocumentFormat } from '../types.ts';

const BY_EXTENSION: Readonly<Record<string, DocumentFormat>> = {
  '.md': 'markdown',
  '.markdown': 'markdown',
  '.txt': 'text',
  '.text': 'text',
  '.pdf': 'pdf',
  '.yml': 'yaml',
  '.yaml': 'yaml',
};

export const SUPPORTED_EXTENSIONS: readonly string[] = Object.keys(BY_EXTENSION);

export function formatOf(file: string): DocumentFormat | undefined {
  return BY_EXTENSION[path.extname(file).toLowerCase()];
}
