// `data fetch`: Bybit kline and funding history into the store, resuming from what is already there.
import { PlayforgeError } from '../common/errors.ts';
import type { BybitCategory, BybitClient, BybitKline } from './bybit-client.ts';
import { formatDatasetId, makeDatasetRef, type DatasetRef } from './dataset.ts';
import { floorToInterval, intervalMs, nextBarStart, parseInterval, type Interval } from './interval.ts';
import { cleanBars, cleanFunding, type ImportPolicy } from './policy.ts';
import type { SourceTable } from './source.ts';
import type { CandleStore, MergeResult } from './store.ts';
import { isoUtc } from './timestamp.ts';
import { validateTable } from './validate.ts';

export interface FetchProgress {
  phase: 'klines' | 'funding';
  /** Bars (klines) or pages (funding) done, and the expected total. */
  done: number;
  total: number;
}

export interface FetchOptions {
  client: BybitClient;
  symbol: string;
  interval: Interval | string;
  /** Earliest bar open time wanted (epoch ms). */
  from: number;
  /** Exclusive end (epoch ms); default now. Bars still forming are never stored. */
  to?: number;
  category?: BybitCategory;
  /** Also fetch funding history (default: true for linear and inverse perpetuals). */
  funding?: boolean;
  policy?: ImportPolicy;
  now?: () => number;
  /** Bars per kline request (Bybit's maximum, 1000, by default). */
  pageLimit?: number;
  onProgress?: (p: FetchProgress) => void;
}

export interface FetchResult {
  dataset: string;
  requested: { from: number; to: number };
  /** The ranges actually requested after looking at what the store holds. */
  ranges: Array<{ from: number; to: number }>;
  requests: number;
  bars: MergeResult & { received: number };
  funding?: MergeResult & { received: number; requests: number };
  stored: { rows: number; first?: number; last?: number; gapCount: number; missingBars: number };
}

/** Stored under `bybit` for linear perpetuals (the default), `bybit-spot` / `bybit-inverse` otherwise. */
export function bybitExchangeName(category: BybitCategory): string {
  return category === 'linear' ? 'bybit' : `bybit-${category}`;
}

function barsTable(label: string, list: BybitKline[]): SourceTable {
  const n = list.length;
  const col = (f: (k: BybitKline) => number): Float64Array => Float64Array.from(list, f);
  return {
    file: label,
    format: 'csv',
    kind: 'bars',
    ts: col((k) => k.ts),
    values: { open: col((k) => k.open), high: col((k) => k.high), low: col((k) => k.low), close: col((k) => k.close), volume: col((k) => k.volume) },
    rows: Int32Array.from({ length: n }, (_, i) => i + 1),
    rowLabel: 'row',
    badTs: new Map(),
    badCells: new Map(),
    header: false,
    timestampUnit: 'ms',
    ignoredColumns: ['turnover'],
    problems: [],
  };
}

/**
 * Downloads bars in [from, to) that the store lacks: before its first bar (newest window first) and
 * after its last (a resume starts at the bar after the last stored one). Each window of `pageLimit`
 * bars is requested with start/end; Bybit answers newest first, and while a page's oldest bar is
 * still after the window's start, another request ends just before that bar (so a server capping
 * pages below `limit` loses nothing). Every window is validated and merged in its own transaction,
 * so an interrupted download keeps what it finished and resumes after it.
 */
export async function fetchBybitHistory(store: CandleStore, opts: FetchOptions): Promise<FetchResult> {
  const category = opts.category ?? 'linear';
  const interval = parseInterval(opts.interval);
  const ref: DatasetRef = makeDatasetRef(bybitExchangeName(category), opts.symbol, interval);
  const now = (opts.now ?? Date.now)();
  const policy = opts.policy ?? 'reject';
  const limit = Math.min(1000, Math.max(1, opts.pageLimit ?? 1000));
  const first = isAlignedUp(opts.from, interval);
  // Only closed bars: the bar containing `now` is still forming.
  const end = Math.min(opts.to ?? now, floorToInterval(now, interval));
  if (!(first < end)) {
    throw new PlayforgeError('DATA_BAD_RANGE', `nothing to fetch: from ${isoUtc(opts.from)} is not before ${isoUtc(end)} (to, or the last closed ${interval} bar)`);
  }
  const info = await store.datasetInfo(ref);
  const ranges: Array<{ from: number; to: number }> = [];
  if (!info || info.rows === 0) ranges.push({ from: first, to: end });
  else {
    if (first < info.first!) ranges.push({ from: first, to: Math.min(end, info.first!) });
    const resume = Math.max(first, nextBarStart(info.last!, interval));
    if (resume < end) ranges.push({ from: resume, to: end });
  }
  const barsOut: MergeResult & { received: number } = { inserted: 0, updated: 0, unchanged: 0, seamFilled: 0, seamGaps: [], received: 0 };
  let requests = 0;
  const total = ranges.reduce((s, r) => s + Math.ceil((r.to - r.from) / intervalMs(interval)), 0);
  let done = 0;
  opts.onProgress?.({ phase: 'klines', done, total });
  for (const range of ranges) {
    const windows: Array<[number, number]> = [];
    for (let ws = range.from; ws < range.to; ws = windows[windows.length - 1][1]) windows.push([ws, windowEnd(ws, range.to, interval, limit)]);
    // History before the stored bars goes newest window first, so every merge meets the stored bars without a hole.
    if (info && info.rows > 0 && range.to <= info.first!) windows.reverse();
    for (const [ws, we] of windows) {
      const got = new Map<number, BybitKline>();
      let reqEnd = we - 1;
      for (;;) {
        const page = await opts.client.getKlines({ category, symbol: ref.symbol, interval, start: ws, end: reqEnd, limit });
        requests++;
        let oldest = Infinity;
        for (const k of page) {
          oldest = Math.min(oldest, k.ts);
          if (k.ts >= ws && k.ts < we && !got.has(k.ts)) got.set(k.ts, k);
        }
        // Done when the window's first bar arrived or the server has nothing older (not when a page is
        // short: a server may cap pages below `limit`).
        if (page.length === 0 || oldest <= ws || oldest > reqEnd) break;
        reqEnd = oldest - 1;
      }
      const list = [...got.values()].sort((a, b) => a.ts - b.ts);
      if (list.length > 0) {
        const label = `bybit ${category} ${ref.symbol} ${interval} ${isoUtc(ws)}..${isoUtc(we)}`;
        const table = barsTable(label, list);
        const { candles } = cleanBars(table, validateTable(table, interval), interval, policy);
        const merged = await store.writeBars(ref, candles, { policy, source: label });
        addMerge(barsOut, merged);
        barsOut.received += list.length;
      }
      done += Math.ceil((we - ws) / intervalMs(interval));
      opts.onProgress?.({ phase: 'klines', done: Math.min(done, total), total });
    }
  }
  const result: FetchResult = {
    dataset: formatDatasetId(ref),
    requested: { from: first, to: end },
    ranges,
    requests,
    bars: barsOut,
    stored: { rows: 0, gapCount: 0, missingBars: 0 },
  };
  if (opts.funding ?? category !== 'spot') {
    result.funding = await fetchFunding(store, opts, ref, category, opts.to ?? now, policy);
  }
  const after = await store.datasetInfo(ref);
  result.stored = { rows: after?.rows ?? 0, first: after?.first, last: after?.last, gapCount: after?.gaps.count ?? 0, missingBars: after?.gaps.missingBars ?? 0 };
  return result;
}

function isAlignedUp(ts: number, interval: Interval): number {
  const f = floorToInterval(ts, interval);
  return f === ts ? ts : nextBarStart(f, interval);
}

function windowEnd(ws: number, rangeEnd: number, interval: Interval, limit: number): number {
  let we = ws;
  for (let k = 0; k < limit && we < rangeEnd; k++) we = nextBarStart(we, interval);
  return Math.min(we, rangeEnd);
}

function addMerge(into: MergeResult, m: MergeResult): void {
  into.inserted += m.inserted;
  into.updated += m.updated;
  into.unchanged += m.unchanged;
  into.seamFilled += m.seamFilled;
  into.seamGaps.push(...m.seamGaps);
}

/**
 * Funding settlements after the last stored one (or from `from`), paged backwards from `to` by
 * endTime as Bybit requires, 200 per page, then validated and merged in one transaction.
 */
async function fetchFunding(store: CandleStore, opts: FetchOptions, ref: DatasetRef, category: BybitCategory, to: number, policy: ImportPolicy) {
  const last = await store.lastFundingTs(ref.exchange, ref.symbol);
  const start = last !== undefined ? Math.max(opts.from, last + 1) : opts.from;
  const out = { inserted: 0, updated: 0, unchanged: 0, seamFilled: 0, seamGaps: [] as MergeResult['seamGaps'], received: 0, requests: 0 };
  if (!(start < to)) return out;
  const got = new Map<number, number>();
  let endTime = to - 1;
  for (;;) {
    const page = await opts.client.getFundingHistory({ category, symbol: ref.symbol, startTime: start, endTime, limit: 200 });
    out.requests++;
    opts.onProgress?.({ phase: 'funding', done: out.requests, total: out.requests + (page.length > 0 ? 1 : 0) });
    let oldest = Infinity;
    for (const f of page) {
      oldest = Math.min(oldest, f.ts);
      if (f.ts >= start && f.ts < to && !got.has(f.ts)) got.set(f.ts, f.rate);
    }
    if (page.length === 0 || oldest <= start || oldest > endTime) break;
    endTime = oldest - 1;
  }
  const rows = [...got.entries()].sort((a, b) => a[0] - b[0]);
  out.received = rows.length;
  if (rows.length === 0) return out;
  const table: SourceTable = {
    file: `bybit ${category} ${ref.symbol} funding`,
    format: 'csv',
    kind: 'funding',
    ts: Float64Array.from(rows, (r) => r[0]),
    values: { rate: Float64Array.from(rows, (r) => r[1]) },
    rows: Int32Array.from(rows, (_, i) => i + 1),
    rowLabel: 'row',
    badTs: new Map(),
    badCells: new Map(),
    header: false,
    timestampUnit: 'ms',
    ignoredColumns: [],
    problems: [],
  };
  const { funding } = cleanFunding(table, validateTable(table), policy);
  const merged = await store.writeFunding(ref.exchange, ref.symbol, funding);
  addMerge(out, merged);
  return out;
}
