// What an import does with the problems validation found: reject (default), drop bad rows, or also fill gaps.
import { PlayforgeError } from '../common/errors.ts';
import { allocateCandles, type Candles } from './candles.ts';
import type { FundingSeries } from './funding.ts';
import { nextBarStart, type Interval } from './interval.ts';
import type { SourceTable } from './source.ts';
import { describeReport, sortedOrder, type ValidationReport, type ValidationResult } from './validate.ts';

export const POLICIES = ['reject', 'drop', 'fill'] as const;
export type ImportPolicy = (typeof POLICIES)[number];

export function parsePolicy(s: string): ImportPolicy {
  if ((POLICIES as readonly string[]).includes(s)) return s as ImportPolicy;
  throw new PlayforgeError('DATA_BAD_POLICY', `unknown policy "${s}"; use reject (default), drop or fill`);
}

/** A rejected import: the code of the first issue class, a message naming file and rows, and the whole report. */
export class DataRejectedError extends PlayforgeError {
  readonly report: ValidationReport;
  constructor(code: string, message: string, report: ValidationReport, location: { file?: string; line?: number; path?: string }) {
    super(code, message, location);
    this.name = 'DataRejectedError';
    this.report = report;
  }
}

export function rejectionError(report: ValidationReport): DataRejectedError {
  const firstIssue = report.issues[0];
  const lines = describeReport(report);
  const message =
    `${report.file}: import rejected, nothing was stored (${report.rowsRead} rows read; ` +
    `${report.rowLabel === 'line' ? 'line numbers count the header as line 1' : 'rows numbered from 1'})\n  ` +
    lines.join('\n  ') +
    `\n  fix the file, or pass --policy drop (skip bad rows) or --policy fill (skip bad rows and fill gaps with flat bars)`;
  const row = firstIssue.rows[0];
  return new DataRejectedError(firstIssue.code, message, report, {
    file: report.file,
    line: report.rowLabel === 'line' ? row : undefined,
    path: `${report.rowLabel} ${row}`,
  });
}

export interface CleanSummary {
  policy: ImportPolicy;
  /** Source rows left out (bad rows, later duplicates, rows with the wrong shape). */
  dropped: number;
  /** Flat bars inserted into holes (fill policy). */
  filled: number;
  /** Whether rows had to be put in time order. */
  reordered: boolean;
}

/** Usable rows in time order, first occurrence of each timestamp (file order breaks ties). */
function keptIndices(t: SourceTable, v: ValidationResult): { idx: number[]; reordered: boolean } {
  let clean = true;
  for (let i = 0; i < t.ts.length && clean; i++) clean = v.badRow[i] === 0 && (i === 0 || t.ts[i] > t.ts[i - 1]);
  if (clean) return { idx: Array.from({ length: t.ts.length }, (_, i) => i), reordered: false };
  const order = sortedOrder(t.ts);
  let reordered = false;
  const idx: number[] = [];
  let lastTs = NaN;
  for (let k = 0; k < order.length; k++) {
    const i = order[k];
    if (k > 0 && order[k] < order[k - 1]) reordered = true;
    if (v.badRow[i]) continue;
    if (t.ts[i] === lastTs) continue;
    lastTs = t.ts[i];
    idx.push(i);
  }
  return { idx, reordered };
}

/** Flat bars (open = high = low = close = previous close, volume 0) for every missing open time. */
export function fillBars(c: Candles, interval: Interval): { candles: Candles; filled: number } {
  const ts: number[] = [];
  const src: number[] = []; // index of the source bar, or -(index of the bar whose close it repeats) - 1
  for (let i = 0; i < c.length; i++) {
    if (i > 0) {
      for (let t = nextBarStart(c.ts[i - 1], interval); t < c.ts[i]; t = nextBarStart(t, interval)) {
        ts.push(t);
        src.push(-i); // -(i - 1) - 1
      }
    }
    ts.push(c.ts[i]);
    src.push(i);
  }
  const out = allocateCandles(ts.length);
  for (let k = 0; k < ts.length; k++) {
    out.ts[k] = ts[k];
    const s = src[k];
    if (s >= 0) {
      out.open[k] = c.open[s];
      out.high[k] = c.high[s];
      out.low[k] = c.low[s];
      out.close[k] = c.close[s];
      out.volume[k] = c.volume[s];
    } else {
      const p = c.close[-s - 1];
      out.open[k] = out.high[k] = out.low[k] = out.close[k] = p;
      out.volume[k] = 0;
    }
  }
  return { candles: out, filled: ts.length - c.length };
}

/** Applies the policy to validated bars. Throws DataRejectedError under `reject` unless the report is clean. */
export function cleanBars(t: SourceTable, v: ValidationResult, interval: Interval, policy: ImportPolicy): { candles: Candles; summary: CleanSummary } {
  if (policy === 'reject' && !v.report.ok) throw rejectionError(v.report);
  const { idx, reordered } = keptIndices(t, v);
  let candles = allocateCandles(idx.length);
  const { open, high, low, close, volume } = t.values;
  idx.forEach((i, k) => {
    candles.ts[k] = t.ts[i];
    candles.open[k] = open[i];
    candles.high[k] = high[i];
    candles.low[k] = low[i];
    candles.close[k] = close[i];
    candles.volume[k] = volume[i];
  });
  let filled = 0;
  if (policy === 'fill') ({ candles, filled } = fillBars(candles, interval));
  const dropped = v.report.rowsRead - idx.length;
  return { candles, summary: { policy, dropped, filled, reordered } };
}

/** Funding rows: there is nothing to fill, so `fill` behaves like `drop`. */
export function cleanFunding(t: SourceTable, v: ValidationResult, policy: ImportPolicy): { funding: FundingSeries; summary: CleanSummary } {
  if (policy === 'reject' && !v.report.ok) throw rejectionError(v.report);
  const { idx, reordered } = keptIndices(t, v);
  const ts = Float64Array.from(idx, (i) => t.ts[i]);
  const rate = Float64Array.from(idx, (i) => t.values.rate[i]);
  return { funding: { ts, rate, length: idx.length }, summary: { policy, dropped: v.report.rowsRead - idx.length, filled: 0, reordered } };
}
