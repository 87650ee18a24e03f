// Readers per format: PDF text through pdf.js (from a PDF written here), markdown/YAML/text titles, encoding
// errors, and the sources.yml manifest.
import { describe, expect, it } from 'vitest';
import { extractPdfText, pageOf } from '../../src/knowledge/ingest/pdf.ts';
import { formatOf, parseDocument, parseManifest } from '../../src/knowledge/index.ts';
import { writePdf } from './support/pdf-writer.ts';

async function rejection(p: Promise<unknown>): Promise<{ code: string; message: string; location: { file?: string; path?: string } }> {
  try {
    await p;
  } catch (e) {
    return e as { code: string; message: string; location: { file?: string } };
  }
  throw new Error('expected a rejection');
}

describe('PDF', () => {
  const pdf = writePdf(
    [
      ['Regime detection (notes)', 'A hidden Markov model has three states.', 'Enter on a confirmed transition.'],
      ['Page two: risk', 'Stop at two ATR.'],
    ],
    'Markov regimes',
  );

  it('extracts each line of each page in order, with page offsets and the Info title', async () => {
    const out = await extractPdfText(pdf, 'notes.pdf');
    expect(out.title).toBe('Markov regimes');
    expect(out.text).toBe(
      'Regime detection (notes)\nA hidden Markov model has three states.\nEnter on a confirmed transition.\n\nPage two: risk\nStop at two ATR.',
    );
    expect(out.pageStarts).toEqual([0, out.text.indexOf('Page two')]);
    expect(pageOf(out.pageStarts, out.text.indexOf('Stop at'))).toBe(2);
    expect(pageOf(out.pageStarts, 0)).toBe(1);
  });

  it('parses as a document titled from its metadata, or from its first line without one', async () => {
    const doc = await parseDocument(pdf, 'notes.pdf', 'pdf');
    expect(doc).toMatchObject({ format: 'pdf', title: 'Markov regimes' });
    const untitled = await parseDocument(writePdf([['First line title', 'body']]), 'x.pdf', 'pdf');
    expect(untitled.title).toBe('First line title');
  });

  it('fails clearly for a damaged PDF and for one without text', async () => {
    const broken = await rejection(parseDocument(new TextEncoder().encode('%PDF-1.4\nthis is not a pdf'), 'bad.pdf', 'pdf'));
    expect(broken.code).toBe('KNOWLEDGE_PDF');
    expect(broken.location.file).toBe('bad.pdf');
    const empty = await rejection(parseDocument(writePdf([[]]), 'scan.pdf', 'pdf'));
    expect(empty.code).toBe('KNOWLEDGE_EMPTY');
    expect(empty.message).toMatch(/no text layer/);
  });
});

describe('text formats', () => {
  const utf8 = (s: string): Uint8Array => new TextEncoder().encode(s);

  it('knows formats by extension', () => {
    expect(['a.md', 'b.MARKDOWN', 'c.txt', 'd.pdf', 'e.yml', 'f.yaml', 'g.png', 'h'].map(formatOf)).toEqual(['markdown', 'markdown', 'text', 'pdf', 'yaml', 'yaml', undefined, undefined]);
  });

  it('titles markdown by front matter, then the first H1, then the first heading; text by file name', async () => {
    expect((await parseDocument(utf8('---\ntitle: "From front matter"\n---\n# H1\n'), 'a.md', 'markdown')).title).toBe('From front matter');
    expect((await parseDocument(utf8('intro\n## Sub\n# The *Title*\n'), 'a.md', 'markdown')).title).toBe('The Title');
    expect((await parseDocument(utf8('Setext\n------\nbody\n'), 'a.md', 'markdown')).title).toBe('Setext');
    expect((await parseDocument(utf8('## Notebook\n```python\n# a comment\n```\n'), 'nb.md', 'markdown')).title).toBe('Notebook');
    expect((await parseDocument(utf8('just text'), 'dir/my_note-file.txt', 'text')).title).toBe('my note file');
    expect((await parseDocument(utf8('name: breakout_play\nidea: x\n'), 'p.yml', 'yaml')).title).toBe('breakout_play');
    expect((await parseDocument(utf8('- [unclosed\n'), 'bad.yml', 'yaml')).title).toBe('bad');
  });

  it('keeps the text as decoded (BOM dropped) and refuses non-UTF-8, binary and empty files', async () => {
    const withBom = new Uint8Array([0xef, 0xbb, 0xbf, ...utf8('# T\nx')]);
    expect((await parseDocument(withBom, 'a.md', 'markdown')).text).toBe('# T\nx');
    const latin1 = await rejection(parseDocument(new Uint8Array([0x63, 0x61, 0x66, 0xe9]), 'latin1.txt', 'text'));
    expect(latin1).toMatchObject({ code: 'KNOWLEDGE_READ', location: { file: 'latin1.txt' } });
    expect(latin1.message).toMatch(/not UTF-8/);
    expect((await rejection(parseDocument(new Uint8Array([0x61, 0, 0x62]), 'bin.txt', 'text'))).code).toBe('KNOWLEDGE_READ');
    expect((await rejection(parseDocument(utf8(' \n\t\n'), 'blank.md', 'markdown'))).code).toBe('KNOWLEDGE_EMPTY');
  });
});

describe('sources.yml', () => {
  it('reads skip entries and per-document origin and licence', () => {
    const m = parseManifest('skip: [README.md, LICENSES/]\ndocuments:\n  a.md: { title: A, licence: MIT, origin: x/y@1:README.md, licence_file: LICENSES/MIT.txt }\n', 'sources.yml');
    expect([...m.skip]).toEqual(['README.md', 'LICENSES']);
    expect(m.documents.get('a.md')).toEqual({ title: 'A', licence: 'MIT', origin: 'x/y@1:README.md', licenceFile: 'LICENSES/MIT.txt' });
    expect(parseManifest('', 'sources.yml').documents.size).toBe(0);
  });

  it('names the offending key', () => {
    const bad = (text: string): { code: string; path?: string } => {
      try {
        parseManifest(text, 'sources.yml');
      } catch (e) {
        return { code: (e as { code: string }).code, path: (e as { location: { path?: string } }).location.path };
      }
      throw new Error('expected an error');
    };
    expect(bad('documnets: {}')).toEqual({ code: 'KNOWLEDGE_MANIFEST', path: 'documnets' });
    expect(bad('documents:\n  a.md: { licnce: MIT }')).toEqual({ code: 'KNOWLEDGE_MANIFEST', path: 'documents.a.md.licnce' });
    expect(bad('documents:\n  a.md: { licence: 3 }')).toEqual({ code: 'KNOWLEDGE_MANIFEST', path: 'documents.a.md.licence' });
    expect(bad('skip: README.md')).toEqual({ code: 'KNOWLEDGE_MANIFEST', path: 'skip' });
    expect(bad('skip: [')).toMatchObject({ code: 'KNOWLEDGE_MANIFEST' });
  });
});
