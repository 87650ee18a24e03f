// The chunker: sections follow headings (not inside fenced code), long sections are cut at good breaks with
// overlap, small ones are packed, and every chunk's offsets and line numbers point at its exact text.
import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { chunkDocument, chunkSections, markdownSections, yamlSections, type TextChunk } from '../../src/knowledge/index.ts';
import { SOURCES_DIR } from './support/corpus.ts';

function lineOf(text: string, offset: number): number {
  return text.slice(0, offset).split('\n').length;
}

/** What every chunking must satisfy, whatever the text. */
function expectWellFormed(text: string, chunks: TextChunk[], maxChars: number): void {
  chunks.forEach((c, i) => {
    expect(c.ordinal).toBe(i);
    expect(c.text).toBe(text.slice(c.start, c.end));
    expect(c.text.length).toBeGreaterThan(0);
    expect(c.text.length).toBeLessThanOrEqual(maxChars);
    expect(c.text).toBe(c.text.trim());
    expect(c.lineStart).toBe(lineOf(text, c.start));
    expect(c.lineEnd).toBe(lineOf(text, c.end - 1));
    if (i > 0) expect(c.start).toBeGreaterThan(chunks[i - 1].start);
  });
  // Nothing is lost: every non-space character is inside some chunk.
  const covered = new Uint8Array(text.length);
  for (const c of chunks) covered.fill(1, c.start, c.end);
  let lost = '';
  for (let i = 0; i < text.length; i++) if (!covered[i] && !/\s/.test(text[i])) lost += text[i];
  expect(lost).toBe('');
}

describe('markdown sections', () => {
  it('nest headings into paths and ignore # lines inside fenced code', () => {
    const text = [
      'Intro line.',
      '# Title',
      'Body.',
      '## First',
      '```python',
      '# not a heading',
      '```',
      '### Deeper [link](http://x)',
      'Text.',
      '## Second `code`',
      '~~~',
      '## still code',
      '~~~',
      'End.',
    ].join('\n');
    const sections = markdownSections(text);
    expect(sections.map((s) => s.headingPath)).toEqual([[], ['Title'], ['Title', 'First'], ['Title', 'First', 'Deeper link'], ['Title', 'Second code']]);
    expect(text.slice(sections[0].start, sections[0].end)).toBe('Intro line.\n');
    expect(text.slice(sections[4].start)).toContain('## still code');
  });

  it('recognise setext headings (underlined) but not a rule after a blank line', () => {
    const text = 'Top\n===\n\nalpha\n\n---\n\nSub part\n--------\nbeta\n';
    const sections = markdownSections(text);
    expect(sections.map((s) => s.headingPath)).toEqual([['Top'], ['Top', 'Sub part']]);
  });

  it('keep identifiers and undo escapes in heading text', () => {
    const sections = markdownSections('## should_long()\nx\n## \\_\\_init\\_\\_()\ny\n');
    expect(sections.map((s) => s.headingPath[0])).toEqual(['should_long()', '__init__()']);
  });
});

describe('chunking', () => {
  it('cuts a long section at paragraph breaks with an overlap that starts at a word', () => {
    const paragraph = (n: number): string => `Paragraph ${n} says ` + 'something about regimes and momentum. '.repeat(6);
    const text = '# Long\n\n' + Array.from({ length: 12 }, (_, i) => paragraph(i)).join('\n\n');
    const chunks = chunkDocument(text, 'markdown', { maxChars: 600, overlapChars: 100, minChars: 100 });
    expectWellFormed(text, chunks, 600);
    expect(chunks.length).toBeGreaterThan(3);
    for (let i = 1; i < chunks.length; i++) {
      const overlap = chunks[i - 1].end - chunks[i].start;
      expect(overlap).toBeGreaterThan(0);
      expect(overlap).toBeLessThanOrEqual(100);
      expect(/\s/.test(text[chunks[i].start - 1])).toBe(true);
      // Cut at the end of a paragraph: what follows the previous chunk is a blank line.
      expect(text.slice(chunks[i - 1].end)).toMatch(/^\s*\n\n/);
      expect(chunks[i].headingPath).toEqual(['Long']);
    }
  });

  it('cuts text without paragraphs at sentence ends, and a run without spaces at the limit', () => {
    const sentences = 'The hidden state persists for many bars. '.repeat(40);
    const chunks = chunkDocument(sentences, 'text', { maxChars: 300, overlapChars: 0, minChars: 0 });
    expectWellFormed(sentences, chunks, 300);
    for (const c of chunks.slice(0, -1)) expect(c.text.endsWith('bars.')).toBe(true);
    const blob = 'x'.repeat(1000);
    const hard = chunkDocument(blob, 'text', { maxChars: 300, overlapChars: 0, minChars: 0 });
    expect(hard.map((c) => c.text.length)).toEqual([300, 300, 300, 100]);
  });

  it('packs small sections together and never leaves a heading alone when text follows', () => {
    const text = '# A\n\n## A1\nshort one.\n\n## A2\nshort two.\n\n# B\n' + 'long text here. '.repeat(30);
    const chunks = chunkDocument(text, 'markdown', { maxChars: 400, overlapChars: 50, minChars: 200 });
    expectWellFormed(text, chunks, 400);
    expect(chunks[0].text.startsWith('# A')).toBe(true);
    expect(chunks[0].text).toContain('short two.');
    expect(chunks[0].headingPath).toEqual(['A']);
    expect(chunks.slice(1).every((c) => c.headingPath[0] === 'B')).toBe(true);
  });

  it('numbers lines in CRLF files like LF files', () => {
    const lf = '# T\nline two\n\n## U\nline five\n';
    const crlf = lf.replace(/\n/g, '\r\n');
    const a = chunkDocument(lf, 'markdown', { minChars: 0 });
    const b = chunkDocument(crlf, 'markdown', { minChars: 0 });
    expect(b.map((c) => [c.lineStart, c.lineEnd, c.headingPath])).toEqual(a.map((c) => [c.lineStart, c.lineEnd, c.headingPath]));
    expectWellFormed(crlf, b, 1200);
  });

  it('splits YAML notes by top-level key', () => {
    const text = 'name: breakout\nidea: |\n  buy the range high\nrules:\n  - a\n  - b\n';
    expect(yamlSections(text).map((s) => s.headingPath)).toEqual([['name'], ['idea'], ['rules']]);
    const chunks = chunkSections(text, yamlSections(text), { minChars: 0 });
    expect(chunks.map((c) => c.text)).toEqual(['name: breakout', 'idea: |\n  buy the range high', 'rules:\n  - a\n  - b']);
  });

  it('refuses options that cannot work', () => {
    expect(() => chunkDocument('x', 'text', { maxChars: 50 })).toThrow(/maxChars >= 100/);
    expect(() => chunkDocument('x', 'text', { maxChars: 400, overlapChars: 200 })).toThrow(/overlapChars/);
  });

  it('chunks every shipped source within bounds, losing nothing', () => {
    const files = fs.readdirSync(SOURCES_DIR).filter((f) => f.endsWith('.md') && f !== 'README.md');
    expect(files.length).toBeGreaterThanOrEqual(12);
    for (const f of files) {
      const text = fs.readFileSync(path.join(SOURCES_DIR, f), 'utf8');
      const chunks = chunkDocument(text, 'markdown');
      expectWellFormed(text, chunks, 1200);
      // The simons note has one chunk per section: its headings are all there.
      if (f === 'simons_markov.md') expect(chunks.map((c) => c.headingPath.at(-1))).toContain('Detecting transitions without look-ahead');
    }
  });
});
