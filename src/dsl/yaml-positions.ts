// YAML -> plain JS value plus a position for every node, so each later error can name file:line:column.
import { isAlias, isMap, isScalar, isSeq, LineCounter, parseDocument, type Document, type Node } from 'yaml';
import { PlayforgeError, type SourceLocation } from '../common/errors.ts';

export type PathSeg = string | number;
export type Path = readonly PathSeg[];

/** `features.ema_fast.params.length`, `actions.entry_long.all[1]`. */
export function pathToString(path: Path): string {
  let out = '';
  for (const seg of path) {
    if (typeof seg === 'number') out += `[${seg}]`;
    else out += out ? `.${seg}` : seg;
  }
  return out;
}

interface Pos {
  line: number;
  column: number;
}

/** Map key of a path: numbers and strings stay distinct (`[0]` vs `"0"`), cheap to build. */
function keyOf(path: Path, n = path.length): string {
  let k = '';
  for (let i = 0; i < n; i++) {
    const seg = path[i];
    k += typeof seg === 'number' ? `\u0000#${seg}` : `\u0000${seg}`;
  }
  return k;
}

/** Positions of every value (and every mapping key) by document path. */
export class PositionIndex {
  private readonly values = new Map<string, Pos>();
  private readonly keys = new Map<string, Pos>();

  constructor(readonly file?: string) {}

  setValue(path: Path, pos: Pos): void {
    this.values.set(keyOf(path), pos);
  }

  setKey(path: Path, pos: Pos): void {
    this.keys.set(keyOf(path), pos);
  }

  /** Location of the value at `path`, or of its nearest ancestor that has one. */
  at(path: Path): SourceLocation {
    for (let n = this.values.size ? path.length : -1; n >= 0; n--) {
      const p = this.values.get(keyOf(path, n));
      if (p) return { file: this.file, line: p.line, column: p.column, path: pathToString(path) };
    }
    return { file: this.file, line: 1, column: 1, path: pathToString(path) };
  }

  /** Location of the mapping key that names `path` (falls back to the value). */
  keyAt(path: Path): SourceLocation {
    const p = this.keys.get(keyOf(path));
    if (p) return { file: this.file, line: p.line, column: p.column, path: pathToString(path) };
    return this.at(path);
  }
}

export interface ParsedYaml {
  value: unknown;
  positions: PositionIndex;
  errors: PlayforgeError[];
}

export function parseYamlWithPositions(text: string, file?: string): ParsedYaml {
  const lineCounter = new LineCounter();
  const positions = new PositionIndex(file);
  const doc = parseDocument(text, { lineCounter, prettyErrors: true, uniqueKeys: true, version: '1.2' });
  const errors = doc.errors.map((e) => {
    const lp = e.linePos?.[0] ?? lineCounter.linePos(e.pos[0]);
    const code = e.code === 'DUPLICATE_KEY' ? 'DSL_DUPLICATE_KEY' : 'DSL_YAML_SYNTAX';
    const first = e.message.split('\n')[0].replace(/ at line \d+, column \d+:?$/, '');
    const message = code === 'DSL_DUPLICATE_KEY' ? 'duplicate mapping key: every key may appear only once in a mapping' : `YAML syntax error: ${first}`;
    return new PlayforgeError(code, message, { file, line: lp.line, column: lp.col });
  });
  if (errors.length) return { value: undefined, positions, errors };
  const pos = (offset: number): Pos => {
    const lp = lineCounter.linePos(offset);
    return { line: lp.line, column: lp.col };
  };
  const value = toValue(doc, doc.contents, [], positions, pos, { line: 1, column: 1 });
  return { value, positions, errors };
}

function toValue(
  doc: Document,
  input: unknown,
  path: PathSeg[],
  positions: PositionIndex,
  pos: (offset: number) => Pos,
  fallback: Pos,
): unknown {
  let node = input as Node | null | undefined;
  if (node && isAlias(node)) node = node.resolve(doc) as Node | undefined;
  if (!node) {
    positions.setValue(path, fallback);
    return null;
  }
  const here = node.range ? pos(node.range[0]) : fallback;
  positions.setValue(path, here);
  if (isMap(node)) {
    const out: Record<string, unknown> = {};
    for (const pair of node.items) {
      const keyNode = pair.key as Node | null;
      const key = keyNode && isScalar(keyNode) ? String(keyNode.value) : String(keyNode ?? '');
      const keyPos = keyNode?.range ? pos(keyNode.range[0]) : here;
      const childPath = [...path, key];
      positions.setKey(childPath, keyPos);
      // defineProperty: a key named __proto__ stays an ordinary key.
      Object.defineProperty(out, key, {
        value: toValue(doc, pair.value, childPath, positions, pos, keyPos),
        enumerable: true, writable: true, configurable: true,
      });
    }
    return out;
  }
  if (isSeq(node)) {
    return node.items.map((item, i) => toValue(doc, item, [...path, i], positions, pos, here));
  }
  if (isScalar(node)) return node.value ?? null;
  return null;
}
