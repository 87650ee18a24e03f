// A YAML note's title: its top-level `title`, else `name`.
import { parse } from 'yaml';

export function yamlTitle(text: string): string | undefined {
  let doc: unknown;
  try {
    doc = parse(text);
  } catch {
    // Indexed as text all the same; the title falls back to the file name.
    return undefined;
  }
  if (typeof doc !== 'object' || doc === null) return undefined;
  const record = doc as Record<string, unknown>;
  for (const key of ['title', 'name']) {
    if (typeof record[key] === 'string' && record[key].trim()) return record[key].trim();
  }
  return undefined;
}
