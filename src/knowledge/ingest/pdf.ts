// PDF text through pdf.js (pdfjs-dist's legacy build, the one meant for Node). Text items are joined in
// reading order: a new line where pdf.js marks an end of line or the baseline moves, pages separated by a
// blank line. Page start offsets are kept, so every chunk can say which pages it spans.
import { PlayforgeError } from '../../common/errors.ts';
import { KNOWLEDGE_PDF } from '../errors.ts';

export interface PdfText {
  text: string;
  /** Offset in `text` where each page begins (page 1 at index 0). */
  pageStarts: number[];
  title?: string;
}

interface TextItemLike {
  str?: string;
  hasEOL?: boolean;
  transform?: number[];
}

export async function extractPdfText(bytes: Uint8Array, file: string): Promise<PdfText> {
  const pdfjs = await import('pdfjs-dist/legacy/build/pdf.mjs');
  let doc: Awaited<ReturnType<typeof pdfjs.getDocument>['promise']>;
  try {
    // pdf.js takes ownership of the buffer it is given: hand it a copy.
    doc = await pdfjs.getDocument({ data: new Uint8Array(bytes), isEvalSupported: false, disableFontFace: true, useSystemFonts: false, verbosity: 0 }).promise;
  } catch (e) {
    throw new PlayforgeError(KNOWLEDGE_PDF, `cannot read the PDF: ${(e as Error).message}`, { file }, { cause: e });
  }
  try {
    const pages: string[] = [];
    for (let p = 1; p <= doc.numPages; p++) {
      const page = await doc.getPage(p);
      const content = await page.getTextContent();
      let out = '';
      let lastY: number | undefined;
      for (const raw of content.items as TextItemLike[]) {
        if (typeof raw.str !== 'string') continue;
        const y = raw.transform?.[5];
        if (lastY !== undefined && y !== undefined && Math.abs(y - lastY) > 1 && !out.endsWith('\n')) out += '\n';
        out += raw.str;
        if (raw.hasEOL) out += '\n';
        if (y !== undefined) lastY = y;
      }
      pages.push(out.replace(/[ \t]+\n/g, '\n').replace(/[ \t]{2,}/g, ' ').trim());
      page.cleanup();
    }
    let title: string | undefined;
    try {
      const meta = await doc.getMetadata();
      const t = (meta.info as { Title?: unknown } | undefined)?.Title;
      if (typeof t === 'string' && t.trim()) title = t.trim();
    } catch {
      // Metadata is optional; the title falls back to the first line.
    }
    const pageStarts: number[] = [];
    let text = '';
    pages.forEach((pageText, i) => {
      if (i > 0) text += '\n\n';
      pageStarts.push(text.length);
      text += pageText;
    });
    return { text, pageStarts, title };
  } catch (e) {
    throw new PlayforgeError(KNOWLEDGE_PDF, `cannot extract text from the PDF: ${(e as Error).message}`, { file }, { cause: e });
  } finally {
    await doc.destroy();
  }
}

/** 1-based page of a text offset. */
export function pageOf(pageStarts: readonly number[], offset: number): number {
  let page = 1;
  for (let i = 0; i < pageStarts.length; i++) if (pageStarts[i] <= offset) page = i + 1;
  return page;
}
