// Split a document's text into chunks for embedding and keyword search. Chunks follow the document's own
// structure (markdown headings, top-level YAML keys): a chunk starts at a section boundary, and a section
// longer than `maxChars` is cut at the best break before the limit (blank line, line end, sentence end,
// space) with `overlapChars` of the previous piece repeated, so a sentence cut in two is whole in one of them.
// Small neighbouring sections are packed together up to `minChars`, so a heading with two lines under it
// does not become a chunk of its own. Every chunk is `text.slice(start, end)` with its line numbers.
import { PlayforgeError } from '../common/errors.ts';
import { KNOWLEDGE_READ } from './errors.ts';

export interface ChunkOptions {
  /** Upper bound of a chunk's length in characters (default 1200). */
  maxChars?: number;
  /** Characters repeated from the previous piece when a section is cut (default 150). */
  overlapChars?: number;
  /** Sections shorter than this are packed with the next one (default 300). */
  minChars?: number;
}

export const DEFAULT_CHUNKING: Required<ChunkOptions> = { maxChars: 1200, overlapChars: 150, minChars: 300 };

/** A span of the text under one heading path (empty path: before the first heading). */
export interface Section {
  start: number;
  end: number;
  headingPath: string[];
  /** Where the text under a heading line begins; unset when the section's first line is content (YAML keys). */
  bodyStart?: number;
}

export interface TextChunk {
  ordinal: number;
  headingPath: string[];
  text: string;
  start: number;
  end: number;
  lineStart: number;
  lineEnd: number;
}

interface Line {
  start: number;
  /** End of the line's content, before its newline. */
  end: number;
  text: string;
}

function splitLines(text: string): Line[] {
  const lines: Line[] = [];
  let start = 0;
  while (start <= text.length) {
    const nl = text.indexOf('\n', start);
    const end = nl < 0 ? text.length : nl;
    const contentEnd = end > start && text[end - 1] === '\r' ? end - 1 : end;
    lines.push({ start, end: contentEnd, text: text.slice(start, contentEnd) });
    if (nl < 0) break;
    start = nl + 1;
  }
  return lines;
}

/**
 * Heading text without markdown decoration: links keep their text, HTML tags, `*` and backticks go, backslash
 * escapes are undone. Underscores stay: in headings they are far more often identifiers (should_long) than emphasis.
 */
export function cleanHeading(raw: string): string {
  return raw
    .replace(/!?\[([^\]]*)\]\([^)]*\)/g, '$1')
    .replace(/<[^>]+>/g, '')
    .replace(/\\([\\`*_{}[\]()#+\-.!|])/g, '$1')
    .replace(/[*`]/g, '')
    .replace(/\s+/g, ' ')
    .trim();
}

const ATX = /^ {0,3}(#{1,6})(?:[ \t]+(.*?))?(?:[ \t]+#+)?[ \t]*$/;
const SETEXT = /^ {0,3}(=+|-+)[ \t]*$/;
const FENCE = /^ {0,3}(`{3,}|~{3,})/;

/** The headings of a markdown text, ATX (`## x`) and setext (underlined); fenced code is not scanned. */
export function markdownHeadings(text: string): Heading[] {
  const lines = splitLines(text);
  const headings: Heading[] = [];
  let fence: string | undefined;
  for (let i = 0; i < lines.length; i++) {
    const line = lines[i].text;
    const f = FENCE.exec(line);
    if (fence !== undefined) {
      if (f && f[1][0] === fence[0] && f[1].length >= fence.length && line.trim() === f[1]) fence = undefined;
      continue;
    }
    if (f) {
      fence = f[1];
      continue;
    }
    const atx = ATX.exec(line);
    if (atx) {
      headings.push({ start: lines[i].start, bodyStart: lines[i + 1]?.start ?? text.length, level: atx[1].length, title: cleanHeading(atx[2] ?? '') });
      continue;
    }
    const setext = SETEXT.exec(line);
    const prev = i > 0 ? lines[i - 1].text : '';
    // An underline turns the paragraph line above into a heading (one line: enough for real documents).
    if (setext && prev.trim() !== '' && !ATX.test(prev) && !FENCE.test(prev) && (i < 2 || lines[i - 2].text.trim() === '')) {
      headings.push({ start: lines[i - 1].start, bodyStart: lines[i + 1]?.start ?? text.length, level: setext[1][0] === '=' ? 1 : 2, title: cleanHeading(prev) });
    }
  }
  return headings;
}

/** Sections of a markdown text, one per heading (plus any text before the first). */
export function markdownSections(text: string): Section[] {
  return sectionsFromHeadings(text, markdownHeadings(text));
}

/** Sections of a YAML text: one per top-level key. */
export function yamlSections(text: string): Section[] {
  const headings = splitLines(text)
    .map((l) => ({ l, m: /^([A-Za-z_][\w.-]*)\s*:/.exec(l.text) }))
    .filter((x) => x.m !== null)
    .map(({ l, m }) => ({ start: l.start, level: 1, title: (m as RegExpExecArray)[1] }));
  return sectionsFromHeadings(text, headings);
}

export interface Heading {
  start: number;
  bodyStart?: number;
  level: number;
  title: string;
}

function sectionsFromHeadings(text: string, headings: Heading[]): Section[] {
  const sections: Section[] = [];
  const first = headings.length > 0 ? headings[0].start : text.length;
  if (text.slice(0, first).trim() !== '') sections.push({ start: 0, end: first, headingPath: [] });
  const stack: { level: number; title: string }[] = [];
  headings.forEach((h, i) => {
    while (stack.length > 0 && stack[stack.length - 1].level >= h.level) stack.pop();
    stack.push(h);
    const end = i + 1 < headings.length ? headings[i + 1].start : text.length;
    const section: Section = { start: h.start, end, headingPath: stack.map((s) => s.title).filter((t) => t !== '') };
    if (h.bodyStart !== undefined) section.bodyStart = Math.min(h.bodyStart, end);
    sections.push(section);
  });
  return sections;
}

function checkOptions(o: Required<ChunkOptions>): void {
  const ok = Number.isInteger(o.maxChars) && o.maxChars >= 100 && Number.isInteger(o.overlapChars) && o.overlapChars >= 0 &&
    o.overlapChars * 4 <= o.maxChars && Number.isInteger(o.minChars) && o.minChars >= 0 && o.minChars <= o.maxChars;
  if (!ok) {
    throw new PlayforgeError(KNOWLEDGE_READ, `chunking options need maxChars >= 100, 0 <= overlapChars <= maxChars/4, 0 <= minChars <= maxChars; got ${JSON.stringify(o)}`);
  }
}

const isSpace = (c: string | undefined): boolean => c === ' ' || c === '\n' || c === '\t' || c === '\r' || c === '\f' || c === '\v' || c === '\u00a0';

/** The best cut in (from, limit]: after a blank line, a line end, a sentence end, a space; else the limit. */
function findCut(text: string, from: number, limit: number): number {
  const window = text.slice(from, limit);
  const blank = window.lastIndexOf('\n\n');
  if (blank > 0) return from + blank + 1;
  const nl = window.lastIndexOf('\n');
  if (nl > 0) return from + nl + 1;
  let sentenceEnd = -1;
  for (const m of window.matchAll(/[.!?]["')\]]?\s/g)) sentenceEnd = m.index + m[0].length;
  if (sentenceEnd > 0) return from + sentenceEnd;
  const space = window.lastIndexOf(' ');
  if (space > 0) return from + space + 1;
  return limit;
}

/** Cut [start, end) into pieces of at most maxChars, each after the first beginning `overlap` before the last cut (at a word start). */
function splitSpan(text: string, start: number, end: number, o: Required<ChunkOptions>): [number, number][] {
  const pieces: [number, number][] = [];
  let pos = start;
  while (end - pos > o.maxChars) {
    const cut = findCut(text, pos + Math.floor(o.maxChars / 2), pos + o.maxChars);
    pieces.push([pos, cut]);
    let next = cut - o.overlapChars;
    if (o.overlapChars > 0) {
      while (next < cut && !isSpace(text[next - 1])) next++;
    } else next = cut;
    pos = Math.max(next, pos + 1);
  }
  pieces.push([pos, end]);
  return pieces;
}

function lineIndex(text: string): (offset: number) => number {
  const starts = [0];
  for (let i = text.indexOf('\n'); i >= 0; i = text.indexOf('\n', i + 1)) starts.push(i + 1);
  return (offset) => {
    let lo = 0, hi = starts.length - 1;
    while (lo < hi) {
      const mid = (lo + hi + 1) >> 1;
      if (starts[mid] <= offset) lo = mid;
      else hi = mid - 1;
    }
    return lo + 1;
  };
}

/** Group sections: a section with nothing under its heading, or shorter than minChars, takes the next one in. */
function packSections(text: string, sections: Section[], o: Required<ChunkOptions>): Section[] {
  const packed: Section[] = [];
  let current: Section | undefined;
  for (const s of sections) {
    if (current === undefined) {
      current = { ...s };
      continue;
    }
    const len = text.slice(current.start, current.end).trim().length;
    const headingOnly = current.bodyStart !== undefined && text.slice(current.bodyStart, current.end).trim() === '';
    if (headingOnly || (len < o.minChars && s.end - current.start <= o.maxChars)) {
      current.end = s.end;
    } else {
      packed.push(current);
      current = { ...s };
    }
  }
  if (current) packed.push(current);
  return packed;
}

export function chunkSections(text: string, sections: Section[], options: ChunkOptions = {}): TextChunk[] {
  const o = { ...DEFAULT_CHUNKING, ...options };
  checkOptions(o);
  const lineOf = lineIndex(text);
  const chunks: TextChunk[] = [];
  for (const section of packSections(text, sections, o)) {
    for (const [a, b] of splitSpan(text, section.start, section.end, o)) {
      let start = a, end = b;
      while (start < end && isSpace(text[start])) start++;
      while (end > start && isSpace(text[end - 1])) end--;
      if (start === end) continue;
      chunks.push({
        ordinal: chunks.length,
        headingPath: section.headingPath,
        text: text.slice(start, end),
        start,
        end,
        lineStart: lineOf(start),
        lineEnd: lineOf(end - 1),
      });
    }
  }
  return chunks;
}

export type ChunkableFormat = 'markdown' | 'text' | 'pdf' | 'yaml';

/** Sections by the format's structure (markdown headings, YAML keys; plain text and PDF text have none), then chunks. */
export function chunkDocument(text: string, format: ChunkableFormat, options: ChunkOptions = {}): TextChunk[] {
  const sections =
    format === 'markdown' ? markdownSections(text) : format === 'yaml' ? yamlSections(text) : [{ start: 0, end: text.length, headingPath: [] }];
  return chunkSections(text, sections, options);
}
