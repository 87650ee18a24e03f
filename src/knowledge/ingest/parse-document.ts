// Turn a file's bytes into the text the store indexes, with a title, per format.
import { PlayforgeError } from '../../common/errors.ts';
import { KNOWLEDGE_EMPTY } from '../errors.ts';
import type { DocumentFormat } from '../types.ts';
import { markdownTitle } from './markdown.ts';
import { extractPdfText } from './pdf.ts';
import { decodeUtf8, firstLineTitle, titleFromFileName } from './text.ts';
import { yamlTitle } from './yaml.ts';

export interface ParsedDocument {
  format: DocumentFormat;
  text: string;
  title: string;
  /** PDF only: offsets where pages begin. */
  pageStarts?: number[];
}

export async function parseDocument(bytes: Uint8Array, file: string, format: DocumentFormat): Promise<ParsedDocument> {
  let parsed: ParsedDocument;
  if (format === 'pdf') {
    const pdf = await extractPdfText(bytes, file);
    parsed = { format, text: pdf.text, title: pdf.title ?? firstLineTitle(pdf.text) ?? titleFromFileName(file), pageStarts: pdf.pageStarts };
    if (pdf.text.trim() === '') {
      throw new PlayforgeError(KNOWLEDGE_EMPTY, 'the PDF has no text layer (a scan?); run it through OCR first', { file });
    }
  } else {
    const text = decodeUtf8(bytes, file);
    const title = format === 'markdown' ? markdownTitle(text) : format === 'yaml' ? yamlTitle(text) : undefined;
    parsed = { format, text, title: title ?? titleFromFileName(file) };
  }
  if (parsed.text.trim() === '') throw new PlayforgeError(KNOWLEDGE_EMPTY, 'the file has no text', { file });
  return parsed;
}
