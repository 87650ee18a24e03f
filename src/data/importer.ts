// `data import`: read a file, validate it, apply the policy, merge it into the store atomically.
import { PlayforgeError } from '../common/errors.ts';
import type { SourceKind } from './columns.ts';
import { formatDatasetId, guessFromFileName, makeDatasetRef, type DatasetRef } from './dataset.ts';
import { INTERVALS, intervalMs, parseInterval, type Interval } from './interval.ts';
import { cleanBars, cleanFunding, type CleanSummary, type ImportPolicy } from './policy.ts';
import { readSourceFile } from './reader.ts';
import type { SourceTable } from './source.ts';
import type { CandleStore, MergeResult } from './store.ts';
import { validateTable, type GapSummary, type ValidationReport } from './validate.ts';

export interface ImportOptions {
  exchange?: string;
  symbol?: string;
  interval?: string;
  /** Force bars or funding; by default the header decides (a rate column and no OHLC means funding). */
  kind?: SourceKind | 'auto';
  policy?: ImportPolicy;
}

export interface ImportResult {
  file: string;
  kind: SourceKind;
  /** `exchange:SYMBOL:interval` for bars, `exchange:SYMBOL:funding` for funding. */
  target: string;
  format: 'csv' | 'parquet';
  timestampUnit: string;
  /** True when --interval was not given and the file name did not say it: taken from the bar spacing. */
  intervalInferred: boolean;
  ignoredColumns: string[];
  report: ValidationReport;
  summary: CleanSummary;
  merge: MergeResult;
  /** The dataset after the import. */
  stored: { rows: number; first?: number; last?: number; gaps?: GapSummary };
}

/** The most common step among the first rows, when it is a fixed interval (never M). */
function inferInterval(t: SourceTable): Interval | undefined {
  const counts = new Map<number, number>();
  for (let i = 1; i < Math.min(t.ts.length, 2000); i++) {
    const d = t.ts[i] - t.ts[i - 1];
    if (d > 0) counts.set(d, (counts.get(d) ?? 0) + 1);
  }
  let best = 0;
  let bestCount = 0;
  for (const [d, c] of counts) if (c > bestCount) [best, bestCount] = [d, c];
  return INTERVALS.find((i) => i !== 'M' && intervalMs(i) === best);
}

function need(value: string | undefined, flag: string, file: string): string {
  if (value) return value;
  throw new PlayforgeError('DATA_BAD_DATASET', `${file}: say which dataset it is: pass ${flag} (or name the file EXCHANGE_SYMBOL_INTERVAL.csv)`, { file });
}

/**
 * Imports one file. Under the default `reject` policy any problem throws a DataRejectedError (code of
 * the first problem class, message naming the rows) before the store is touched; a hole between stored
 * bars and the file's bars throws DATA_GAP from inside the transaction, which is rolled back.
 */
export async function importFile(store: CandleStore, file: string, opts: ImportOptions = {}): Promise<ImportResult> {
  const policy = opts.policy ?? 'reject';
  const guess = guessFromFileName(file);
  const kind = opts.kind ?? (guess.funding ? 'funding' : 'auto');
  const table = await readSourceFile(file, kind);
  const exchange = need(opts.exchange ?? guess.exchange, '--exchange', file);
  const symbol = need(opts.symbol ?? guess.symbol, '--symbol', file);
  const base = { file, format: table.format, timestampUnit: table.timestampUnit, ignoredColumns: table.ignoredColumns };

  if (table.kind === 'funding') {
    const ref = makeDatasetRef(exchange, symbol, '1h'); // normalises names; funding has no interval
    const v = validateTable(table);
    const { funding, summary } = cleanFunding(table, v, policy);
    const merge = await store.writeFunding(ref.exchange, ref.symbol, funding);
    const info = (await store.listFunding()).find((f) => f.exchange === ref.exchange && f.symbol === ref.symbol);
    return {
      ...base,
      kind: 'funding',
      target: `${ref.exchange}:${ref.symbol}:funding`,
      intervalInferred: false,
      report: v.report,
      summary,
      merge,
      stored: { rows: info?.rows ?? 0, first: info?.first, last: info?.last },
    };
  }

  const given = opts.interval ?? guess.interval;
  const interval = given !== undefined ? parseInterval(given) : inferInterval(table);
  if (!interval) need(undefined, '--interval', file);
  const ref: DatasetRef = makeDatasetRef(exchange, symbol, interval!);
  const v = validateTable(table, ref.interval);
  const { candles, summary } = cleanBars(table, v, ref.interval, policy);
  const merge = await store.writeBars(ref, candles, {
    policy,
    source: file,
    // Under reject the stored bars are the file's rows one for one, so a seam error can name the line.
    rowOf: (i) => (policy === 'reject' && table.rowLabel === 'line' ? table.rows[i] : undefined),
  });
  const info = await store.datasetInfo(ref);
  return {
    ...base,
    kind: 'bars',
    target: formatDatasetId(ref),
    intervalInferred: given === undefined,
    report: v.report,
    summary,
    merge,
    stored: { rows: info?.rows ?? 0, first: info?.first, last: info?.last, gaps: info?.gaps },
  };
}
