// A markdown document's title: its front matter's `title`, else its first level-1 heading, else its first heading.
import { cleanHeading, markdownSections } from '../chunker.ts';

export function markdownTitle(text: string): string | undefined {
  const front = /^---\r?\n([\s\S]*?)\r?\n---\r?\n/.exec(text);
  const fm = front ? /^title:\s*["']?(.+?)["']?\s*$/m.exec(front[1]) : null;
  if (fm) return cleanHeading(fm[1]) || undefined;
  const h1 = /^ {0,3}#[ \t]+(.+?)(?:[ \t]+#+)?[ \t]*$/m.exec(text);
  if (h1 && cleanHeading(h1[1])) return cleanHeading(h1[1]);
  return markdownSections(text).find((s) => s.headingPath.length > 0)?.headingPath[0];
}
