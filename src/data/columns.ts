// Recognises the common column names of candle and funding files (ts/timestamp/open_time, o/open, vol, ...).
import { PlayforgeError } from '../common/errors.ts';

export type SourceKind = 'bars' | 'funding';
export type BarRole = 'ts' | 'open' | 'high' | 'low' | 'close' | 'volume';
export type FundingRole = 'ts' | 'rate';

/** Synonyms per role, best first: when two columns could fill a role, the better-ranked name wins. */
const BAR_NAMES: Record<BarRole, string[]> = {
  ts: ['ts', 'timestamp', 'open_time', 'opentime', 'time_open', 'start_time', 'starttime', 'start', 'time', 'datetime', 'date_time', 'date', 'unix', 'timestamp_ms', 'ts_ms', 't'],
  open: ['open', 'open_price', 'openprice', 'o'],
  high: ['high', 'high_price', 'highprice', 'h'],
  low: ['low', 'low_price', 'lowprice', 'l'],
  close: ['close', 'close_price', 'closeprice', 'c'],
  volume: ['volume', 'base_volume', 'volume_base', 'vol', 'v'],
};
const FUNDING_NAMES: Record<FundingRole, string[]> = {
  ts: ['ts', 'timestamp', 'fundingratetimestamp', 'funding_rate_timestamp', 'funding_time', 'fundingtime', 'time', 'datetime', 'date', 't'],
  rate: ['funding_rate', 'fundingrate', 'rate', 'funding'],
};

export function normalizeColumnName(name: string): string {
  return name
    .replace(/^\uFEFF/, '')
    .trim()
    .replace(/^["']|["']$/g, '')
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, '_')
    .replace(/^_+|_+$/g, '');
}

export interface ColumnMap {
  kind: SourceKind;
  /** Column index per role. */
  index: Record<string, number>;
  /** Columns present but not used (turnover, close_time, trades, ...). */
  ignored: string[];
}

function pick<R extends string>(names: string[], table: Record<R, string[]>): { index: Partial<Record<R, number>>; dup?: string } {
  const norm = names.map(normalizeColumnName);
  const index: Partial<Record<R, number>> = {};
  for (const role of Object.keys(table) as R[]) {
    let best = -1;
    let bestRank = Infinity;
    for (let i = 0; i < norm.length; i++) {
      const rank = table[role].indexOf(norm[i]);
      if (rank < 0) continue;
      if (rank === bestRank) return { index, dup: names[i] };
      if (rank < bestRank) [best, bestRank] = [i, rank];
    }
    if (best >= 0) index[role] = best;
  }
  return { index };
}

/**
 * Maps a header row to roles. `want` forces bars or funding; `auto` takes funding when a rate column is
 * there and no OHLC columns are. Throws DATA_BAD_HEADER (line 1) naming what is missing.
 */
export function mapHeader(names: string[], want: SourceKind | 'auto', file: string): ColumnMap {
  const bars = pick(names, BAR_NAMES);
  const funding = pick(names, FUNDING_NAMES);
  const hasOhlc = ['open', 'high', 'low', 'close'].some((r) => bars.index[r as BarRole] !== undefined);
  const kind: SourceKind = want !== 'auto' ? want : !hasOhlc && funding.index.rate !== undefined ? 'funding' : 'bars';
  const found = kind === 'bars' ? bars : funding;
  const roles = kind === 'bars' ? Object.keys(BAR_NAMES) : Object.keys(FUNDING_NAMES);
  const where = { file, line: 1, path: 'header' };
  if (found.dup) {
    throw new PlayforgeError('DATA_BAD_HEADER', `${file}: header line 1 has two columns named like "${found.dup}"; keep one`, where);
  }
  const missing = roles.filter((r) => (found.index as Record<string, number | undefined>)[r] === undefined);
  if (missing.length > 0) {
    const expected = kind === 'bars' ? 'ts,open,high,low,close,volume' : 'ts,funding_rate';
    throw new PlayforgeError(
      'DATA_BAD_HEADER',
      `${file}: header line 1 (${names.join(',')}) lacks ${missing.join(', ')} columns; expected ${expected} (or common names such as timestamp, open_time, o, vol)`,
      where,
    );
  }
  const used = new Set(Object.values(found.index as Record<string, number>));
  return { kind, index: found.index as Record<string, number>, ignored: names.filter((_, i) => !used.has(i)) };
}

/** Positional layout for a file without a header: exchange kline order ts,open,high,low,close,volume[,...] or ts,rate. */
export function positionalMap(columnCount: number, want: SourceKind | 'auto'): ColumnMap | undefined {
  if ((want === 'funding' || want === 'auto') && columnCount === 2) return { kind: 'funding', index: { ts: 0, rate: 1 }, ignored: [] };
  if (want !== 'funding' && columnCount >= 6) {
    return { kind: 'bars', index: { ts: 0, open: 1, high: 2, low: 3, close: 4, volume: 5 }, ignored: [] };
  }
  return undefined;
}
