// CSV candle/funding files parsed in JS so every value keeps its exact source line number.
import { readFile } from 'node:fs/promises';
import { gunzipSync } from 'node:zlib';
import { PlayforgeError } from '../common/errors.ts';
import { mapHeader, positionalMap, type SourceKind } from './columns.ts';
import type { RowProblem, SourceTable } from './source.ts';
import { detectTimestampUnit, looksNumeric, timestampToMs } from './timestamp.ts';

function splitCells(line: string, delim: string): string[] {
  if (!line.includes('"')) return line.split(delim);
  // Quoted cells (rare in candle files): honour "a,b" and "" escapes on one line.
  const cells: string[] = [];
  let cur = '';
  let quoted = false;
  for (let i = 0; i < line.length; i++) {
    const ch = line[i];
    if (quoted) {
      if (ch === '"' && line[i + 1] === '"') {
        cur += '"';
        i++;
      } else if (ch === '"') quoted = false;
      else cur += ch;
    } else if (ch === '"') quoted = true;
    else if (ch === delim) {
      cells.push(cur);
      cur = '';
    } else cur += ch;
  }
  cells.push(cur);
  return cells;
}

function detectDelimiter(line: string): string {
  for (const d of [',', '\t', ';', '|']) if (line.includes(d)) return d;
  return ',';
}

export async function readCsvFile(file: string, kind: SourceKind | 'auto' = 'auto'): Promise<SourceTable> {
  let buf = await readFile(file);
  if (/\.gz$/i.test(file)) buf = gunzipSync(buf);
  return parseCsvText(buf.toString('utf8'), file, kind);
}

/** Parses CSV text. Row numbers are 1-based physical lines, header included. */
export function parseCsvText(text: string, file: string, kind: SourceKind | 'auto' = 'auto'): SourceTable {
  if (text.trim() === '') {
    throw new PlayforgeError('DATA_TRUNCATED', `${file}: the file is empty (line 1); expected a header and rows`, { file, line: 1 });
  }
  const lines = text.split('\n');
  const endsWithNewline = text.endsWith('\n');
  // Index of the last non-blank line: only it can have been cut off by a truncated write or download.
  let lastIdx = lines.length - 1;
  while (lastIdx >= 0 && lines[lastIdx].trim() === '') lastIdx--;
  let first = 0;
  while (lines[first].trim() === '') first++;
  const delim = detectDelimiter(lines[first]);
  const headCells = splitCells(lines[first].replace(/\r$/, ''), delim).map((c) => c.trim());
  const headerless = headCells.every((c) => looksNumeric(c));
  let map;
  if (headerless) {
    map = positionalMap(headCells.length, kind);
    if (!map) {
      throw new PlayforgeError(
        'DATA_BAD_HEADER',
        `${file}: line ${first + 1} has no header and ${headCells.length} numeric columns; add a header ts,open,high,low,close,volume`,
        { file, line: first + 1 },
      );
    }
  } else {
    map = mapHeader(headCells, kind, file);
  }
  const width = headCells.length;
  const dataStart = headerless ? first : first + 1;
  if (dataStart > lastIdx) {
    throw new PlayforgeError('DATA_TRUNCATED', `${file}: the file ends after the header: no data rows (line ${first + 2} is missing)`, { file, line: first + 2 });
  }
  const roles = Object.keys(map.index).filter((r) => r !== 'ts');
  const cap = lastIdx - dataStart + 1;
  const ts = new Float64Array(cap);
  const values: Record<string, Float64Array> = {};
  for (const r of roles) values[r] = new Float64Array(cap);
  const rows = new Int32Array(cap);
  const problems: RowProblem[] = [];
  const tsCells: string[] = [];
  const tsCol = map.index.ts;
  const roleCols = roles.map((r) => map.index[r]);
  const roleArrs = roles.map((r) => values[r]);
  const badCells = new Map<string, string>();
  let n = 0;
  for (let i = dataStart; i <= lastIdx; i++) {
    let line = lines[i];
    if (line.endsWith('\r')) line = line.slice(0, -1);
    if (line.trim() === '') continue;
    const cells = splitCells(line, delim);
    const lineNo = i + 1;
    if (cells.length !== width) {
      const cutOff = i === lastIdx && !endsWithNewline && cells.length < width;
      problems.push(
        cutOff
          ? { code: 'DATA_TRUNCATED', row: lineNo, detail: `the file ends inside line ${lineNo} (${cells.length} of ${width} fields, no final newline)` }
          : { code: 'DATA_COLUMN_COUNT', row: lineNo, detail: `line ${lineNo} has ${cells.length} fields, the header has ${width}` },
      );
      continue;
    }
    tsCells.push(cells[tsCol].trim());
    rows[n] = lineNo;
    for (let k = 0; k < roleCols.length; k++) {
      const cell = cells[roleCols[k]].trim();
      const v = cell === '' ? NaN : Number(cell);
      if (!Number.isFinite(v)) {
        roleArrs[k][n] = NaN;
        badCells.set(`${lineNo}:${roles[k]}`, cell);
      } else roleArrs[k][n] = v;
    }
    n++;
  }
  const unit = detectTimestampUnit(tsCells);
  const badTs = new Map<number, string>();
  for (let j = 0; j < n; j++) {
    ts[j] = unit ? timestampToMs(tsCells[j], unit) : NaN;
    if (Number.isNaN(ts[j])) badTs.set(rows[j], tsCells[j]);
  }
  const trim = <T extends Float64Array | Int32Array>(a: T): T => a.subarray(0, n) as T;
  for (const r of roles) values[r] = trim(values[r]);
  return {
    file,
    format: 'csv',
    kind: map.kind,
    ts: trim(ts),
    values,
    rows: trim(rows),
    rowLabel: 'line',
    badTs,
    badCells,
    header: !headerless,
    timestampUnit: unit ?? 'ms',
    ignoredColumns: map.ignored,
    problems,
  };
}
