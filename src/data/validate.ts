// Validation of parsed bars / funding rows: pure over arrays, returns a structured report naming source rows.
import { isAligned, missingBarsBetween, type Interval } from './interval.ts';
import type { SourceTable } from './source.ts';
import { isoUtc } from './timestamp.ts';

export type DataIssueCode =
  | 'DATA_TRUNCATED'
  | 'DATA_COLUMN_COUNT'
  | 'DATA_BAD_TIMESTAMP'
  | 'DATA_NAN'
  | 'DATA_NONPOSITIVE_PRICE'
  | 'DATA_NEGATIVE_VOLUME'
  | 'DATA_OHLC_VIOLATION'
  | 'DATA_DUPLICATE_TS'
  | 'DATA_OUT_OF_ORDER'
  | 'DATA_GAP';

/** Report order, and the order in which the first issue decides the error code of a rejection. */
export const ISSUE_ORDER: readonly DataIssueCode[] = [
  'DATA_TRUNCATED',
  'DATA_COLUMN_COUNT',
  'DATA_BAD_TIMESTAMP',
  'DATA_NAN',
  'DATA_NONPOSITIVE_PRICE',
  'DATA_NEGATIVE_VOLUME',
  'DATA_OHLC_VIOLATION',
  'DATA_DUPLICATE_TS',
  'DATA_OUT_OF_ORDER',
  'DATA_GAP',
];

/** Codes that make a row unusable (a drop policy removes the row); duplicates/order/gaps concern the series. */
const ROW_LEVEL = new Set<DataIssueCode>(['DATA_BAD_TIMESTAMP', 'DATA_NAN', 'DATA_NONPOSITIVE_PRICE', 'DATA_NEGATIVE_VOLUME', 'DATA_OHLC_VIOLATION']);

const MAX_LISTED = 1000;

export interface DataIssue {
  code: DataIssueCode;
  /** Total rows with this issue. */
  count: number;
  /** Their 1-based source rows (the first 1000), see ValidationReport.rowLabel. */
  rows: number[];
  /** A sentence per row for the first few rows. */
  details: string[];
}

export interface GapSummary {
  /** Number of holes in the series. */
  count: number;
  /** Bars missing in all holes together. */
  missingBars: number;
  /** The longest hole: open times of the bars either side, and the source row after it when known. */
  longest?: { after: number; before: number; missingBars: number; row?: number };
}

export interface ValidationReport {
  file: string;
  kind: 'bars' | 'funding';
  /** `line`: physical line in a text file, header included (first data row = line 2); `row`: 1-based Parquet row. */
  rowLabel: 'line' | 'row';
  rowsRead: number;
  /** True when nothing at all was found (a reject policy accepts only this). */
  ok: boolean;
  issues: DataIssue[];
  gaps: GapSummary;
  first?: number;
  last?: number;
}

export interface ValidationResult {
  report: ValidationReport;
  /** 1 where the row has a row-level problem (bad timestamp, NaN, price, volume, OHLC). */
  badRow: Uint8Array;
}

class IssueCollector {
  private readonly map = new Map<DataIssueCode, DataIssue>();
  constructor(private readonly label: string) {}
  add(code: DataIssueCode, row: number, detail: string): void {
    let issue = this.map.get(code);
    if (!issue) this.map.set(code, (issue = { code, count: 0, rows: [], details: [] }));
    issue.count++;
    if (issue.rows.length < MAX_LISTED) issue.rows.push(row);
    if (issue.details.length < 10) issue.details.push(`${this.label} ${row}: ${detail}`);
  }
  list(): DataIssue[] {
    return ISSUE_ORDER.filter((c) => this.map.has(c)).map((c) => this.map.get(c)!);
  }
}

const fmt = (v: number): string => (Number.isNaN(v) ? 'NaN' : String(v));

/** Indices of `ts` in ascending ts order, ties in file order (a stable sort). Skips NaN timestamps. */
export function sortedOrder(ts: Float64Array): Int32Array {
  const idx: number[] = [];
  for (let i = 0; i < ts.length; i++) if (!Number.isNaN(ts[i])) idx.push(i);
  idx.sort((a, b) => ts[a] - ts[b] || a - b);
  return Int32Array.from(idx);
}

/** Holes in an ascending, duplicate-free series of aligned open times. */
export function summarizeGaps(ts: ArrayLike<number>, interval: Interval, rowOf?: (i: number) => number): GapSummary {
  const out: GapSummary = { count: 0, missingBars: 0 };
  for (let i = 1; i < ts.length; i++) {
    const miss = missingBarsBetween(ts[i - 1], ts[i], interval);
    if (miss <= 0) continue;
    out.count++;
    out.missingBars += miss;
    if (!out.longest || miss > out.longest.missingBars) {
      out.longest = { after: ts[i - 1], before: ts[i], missingBars: miss, row: rowOf?.(i) };
    }
  }
  return out;
}

/**
 * Checks every row and the series order. Duplicates name the later row (the first occurrence is the
 * one a drop policy keeps); out-of-order names each row earlier than a row above it; gaps name the
 * row after each hole in the file's time line.
 */
export function validateTable(t: SourceTable, interval?: Interval): ValidationResult {
  const n = t.ts.length;
  const label = t.rowLabel;
  const issues = new IssueCollector(label);
  const badRow = new Uint8Array(n);
  /** Rows without a usable place on the time line (timestamp unparseable or off the interval grid). */
  const badTs = new Uint8Array(n);
  for (const p of t.problems) issues.add(p.code, p.row, p.detail);
  const flag = (i: number, code: DataIssueCode, detail: string): void => {
    issues.add(code, t.rows[i], detail);
    if (ROW_LEVEL.has(code)) badRow[i] = 1;
  };
  const bars = t.kind === 'bars';
  const { open, high, low, close, volume, rate } = t.values;
  for (let i = 0; i < n; i++) {
    const row = t.rows[i];
    const ts = t.ts[i];
    if (Number.isNaN(ts)) {
      flag(i, 'DATA_BAD_TIMESTAMP', `timestamp "${t.badTs.get(row) ?? ''}" is not a date (expected epoch s/ms or ISO-8601, like the other rows)`);
      badTs[i] = 1;
    } else if (bars && interval && !isAligned(ts, interval)) {
      flag(i, 'DATA_BAD_TIMESTAMP', `${isoUtc(ts)} is not the open time of a ${interval} bar (UTC boundaries)`);
      badTs[i] = 1;
    }
    if (!bars) {
      if (Number.isNaN(rate[i])) flag(i, 'DATA_NAN', `funding_rate is ${cellText(t, row, 'rate')}`);
      continue;
    }
    const o = open[i], h = high[i], l = low[i], c = close[i], v = volume[i];
    // The common case in one expression (every comparison with NaN is false, so NaN falls through).
    if (o > 0 && c > 0 && l > 0 && v >= 0 && h >= (o > c ? o : c) && l <= (o < c ? o : c)) continue;
    const nanCols = (['open', 'high', 'low', 'close', 'volume'] as const).filter((k) => Number.isNaN(t.values[k][i]));
    if (nanCols.length > 0) flag(i, 'DATA_NAN', nanCols.map((k) => `${k} is ${cellText(t, row, k)}`).join(', '));
    const nonPos = (['open', 'high', 'low', 'close'] as const).filter((k) => t.values[k][i] <= 0);
    if (nonPos.length > 0) flag(i, 'DATA_NONPOSITIVE_PRICE', nonPos.map((k) => `${k} = ${t.values[k][i]}`).join(', ') + ' (prices must be > 0)');
    if (v < 0) flag(i, 'DATA_NEGATIVE_VOLUME', `volume = ${v}`);
    if (h < Math.max(o, c) || l > Math.min(o, c) || h < l) {
      flag(i, 'DATA_OHLC_VIOLATION', `open ${fmt(o)} high ${fmt(h)} low ${fmt(l)} close ${fmt(c)}: need high >= max(open, close) and low <= min(open, close)`);
    }
  }
  // Order and duplicates, over rows with a usable timestamp, in file order.
  let maxTs = -Infinity;
  let maxRowIdx = -1;
  let monotone = true;
  for (let i = 0; i < n; i++) {
    const ts = t.ts[i];
    if (Number.isNaN(ts)) continue;
    if (ts < maxTs) {
      monotone = false;
      flag(i, 'DATA_OUT_OF_ORDER', `${isoUtc(ts)} comes after ${label} ${t.rows[maxRowIdx]} (${isoUtc(maxTs)}) but is earlier`);
    } else if (ts > maxTs) {
      maxTs = ts;
      maxRowIdx = i;
    }
  }
  const order = monotone ? null : sortedOrder(t.ts);
  const at = (k: number): number => (order ? order[k] : k);
  const m = order ? order.length : n;
  let prev = -1;
  for (let k = 0; k < m; k++) {
    const i = at(k);
    if (Number.isNaN(t.ts[i])) continue;
    if (prev >= 0 && t.ts[i] === t.ts[prev]) {
      const same = bars
        ? ['open', 'high', 'low', 'close', 'volume'].every((c) => Object.is(t.values[c][i], t.values[c][prev]))
        : Object.is(rate[i], rate[prev]);
      flag(i, 'DATA_DUPLICATE_TS', `${isoUtc(t.ts[i])} repeats ${label} ${t.rows[prev]} (${same ? 'identical values' : 'different values'})`);
      continue;
    }
    prev = i;
  }
  // Gaps in the file's own time line: rows with a usable timestamp, sorted, one per timestamp. (Rows a
  // drop policy removes for bad values can open more holes; the import result's stored gaps show those.)
  let gaps: GapSummary = { count: 0, missingBars: 0 };
  let first: number | undefined;
  let last: number | undefined;
  const keptTs: number[] = [];
  const keptRow: number[] = [];
  for (let k = 0; k < m; k++) {
    const i = at(k);
    if (badTs[i] || Number.isNaN(t.ts[i])) continue;
    if (keptTs.length > 0 && keptTs[keptTs.length - 1] === t.ts[i]) continue;
    keptTs.push(t.ts[i]);
    keptRow.push(t.rows[i]);
  }
  if (keptTs.length > 0) [first, last] = [keptTs[0], keptTs[keptTs.length - 1]];
  if (bars && interval) {
    gaps = summarizeGaps(keptTs, interval, (j) => keptRow[j]);
    for (let j = 1; j < keptTs.length; j++) {
      const miss = missingBarsBetween(keptTs[j - 1], keptTs[j], interval);
      if (miss > 0) issues.add('DATA_GAP', keptRow[j], `${miss} ${interval} bar(s) missing between ${isoUtc(keptTs[j - 1])} and ${isoUtc(keptTs[j])}`);
    }
  }
  const list = issues.list();
  return {
    report: { file: t.file, kind: t.kind, rowLabel: label, rowsRead: n + t.problems.length, ok: list.length === 0, issues: list, gaps, first, last },
    badRow,
  };
}

function cellText(t: SourceTable, row: number, col: string): string {
  const raw = t.badCells.get(`${row}:${col}`);
  return raw === undefined ? 'NaN' : raw === '' ? 'empty' : `"${raw}" (not a number)`;
}

/** One line per issue class, naming rows: the body of a rejection message and of the CLI's report. */
export function describeReport(r: ValidationReport, maxRows = 10): string[] {
  return r.issues.map((i) => {
    const rows = i.rows.slice(0, maxRows).join(', ');
    const more = i.count > maxRows ? ` (+${i.count - maxRows} more)` : '';
    return `${i.code}: ${i.count} at ${r.rowLabel}${i.count > 1 ? 's' : ''} ${rows}${more}; e.g. ${i.details[0]}`;
  });
}
