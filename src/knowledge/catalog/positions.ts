// Where a path of a catalogue YAML file sits (line and column), so catalogue errors point at the offending node.
import { isMap, isScalar, isSeq, LineCounter, parseDocument, type Document, type Node, type Pair } from 'yaml';
import { PlayforgeError, type SourceLocation } from '../../common/errors.ts';

export type PathSeg = string | number;

export function pathToString(path: readonly PathSeg[]): string {
  let out = '';
  for (const seg of path) out += typeof seg === 'number' ? `[${seg}]` : out ? `.${seg}` : seg;
  return out;
}

/** `actions.entry_long.all[1][2]` -> ['actions', 'entry_long', 'all', 1, 2]. */
export function parsePath(text: string): PathSeg[] {
  const out: PathSeg[] = [];
  for (const m of text.matchAll(/([^.[\]]+)|\[(\d+)\]/g)) out.push(m[2] !== undefined ? Number(m[2]) : m[1]);
  return out;
}

export interface ParsedCatalogYaml {
  value: unknown;
  errors: PlayforgeError[];
  /** Location of the node at `path` (of its mapping key with `key`), or of its nearest ancestor in the file. */
  locate(path: readonly PathSeg[], opts?: { key?: boolean }): SourceLocation;
}

export function parseCatalogYaml(text: string, file: string, errorCode: string): ParsedCatalogYaml {
  const lineCounter = new LineCounter();
  const doc: Document = parseDocument(text, { lineCounter, uniqueKeys: true });
  const locate = (path: readonly PathSeg[], opts: { key?: boolean } = {}): SourceLocation => {
    let node: Node | null | undefined = doc.contents as Node | null;
    let found = node;
    for (const [i, seg] of path.entries()) {
      if (isMap(node)) {
        const items: readonly Pair<unknown, unknown>[] = node.items;
        const pair = items.find((p) => isScalar(p.key) && String(p.key.value) === String(seg));
        const wantKey = opts.key && i === path.length - 1;
        node = pair ? ((wantKey ? null : (pair.value as Node | null)) ?? (pair.key as Node)) : undefined;
      } else if (isSeq(node) && typeof seg === 'number') {
        node = node.items[seg] as Node | undefined;
      } else node = undefined;
      if (!node) break;
      found = node;
    }
    const offset = found?.range?.[0] ?? 0;
    const lp = lineCounter.linePos(offset);
    return { file, line: lp.line, column: lp.col, path: pathToString(path) };
  };
  const errors = doc.errors.map((e) => {
    const lp = lineCounter.linePos(e.pos[0]);
    return new PlayforgeError(errorCode, `YAML syntax error: ${e.message.split('\n')[0].replace(/ at line \d+, column \d+:?$/, '')}`, { file, line: lp.line, column: lp.col });
  });
  return { value: errors.length ? undefined : doc.toJS(), errors, locate };
}
