// A markdown document's title: its front matter's `title`, else its first level-1 heading, else its first
// heading (never a `#` comment inside fenced code).
import { cleanHeading, markdownHeadings } from '../chunker.ts';

export function markdownTitle(text: string): string | undefined {
  const front = /^---\r?\n([\s\S]*?)\r?\n---\r?\n/.exec(text);
  const fm = front ? /^title:\s*["']?(.+?)["']?\s*$/m.exec(front[1]) : null;
  if (fm) return cleanHeading(fm[1]) || undefined;
  const headings = markdownHeadings(text).filter((h) => h.title !== '');
  return (headings.find((h) => h.level === 1) ?? headings[0])?.title;
}
