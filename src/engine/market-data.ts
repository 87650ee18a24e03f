// What a backtest reads from the cold store: the compiler's play data, plus funding for the engine's
// charges (even when no condition reads it) and finer bars for intrabar stop/target/limit resolution.
import {
  alignFunding, intervalMs, lowerBound, parseDatasetId, sliceCandles, sliceCandlesByTime, withStore, type Candles, type CandleStore,
  type DatasetRef, type Interval, type RangeOptions,
} from '../data/index.ts';
import type { Play } from '../dsl/index.ts';
import { loadPlayData, type PlayData } from './compile/index.ts';

export interface MarketData extends PlayData {
  dataset: DatasetRef;
  subCandles?: Candles;
  subInterval?: Interval;
}

export interface BacktestData {
  /** The play as it runs (moved onto the dataset's interval when its exec timeframe differs). */
  play: Play;
  data: MarketData;
  notes: string[];
}

export interface LoadBacktestOptions extends RangeOptions {
  /** Look for finer candles to resolve bars on (default true). */
  subBars?: boolean;
}

export function loadBacktestData(storeOrDataDir: CandleStore | string, play: Play, datasetId: string, opts: LoadBacktestOptions = {}): Promise<BacktestData> {
  const range = { from: opts.from, to: opts.to };
  return withStore(storeOrDataDir, async (store) => {
    const loaded = await loadPlayData(store, play, datasetId, range);
    const { exec } = loaded.data;
    const dataset = parseDatasetId(datasetId);
    const data: MarketData = { ...loaded.data, dataset };
    const end = exec.ts[exec.length - 1] + intervalMs(dataset.interval);
    if (!data.funding) {
      const rows = await store.loadFunding(dataset.exchange, dataset.symbol, { from: exec.ts[0], to: end });
      if (rows.length) data.funding = alignFunding(exec, rows, { interval: dataset.interval });
      else loaded.notes.push(`no funding history for ${dataset.exchange}:${dataset.symbol}: funding is not charged`);
    }
    if (opts.subBars !== false) {
      const sub = await pickSubInterval(store, dataset, exec.ts[0], end);
      if (sub) {
        data.subInterval = sub;
        data.subCandles = await store.loadCandles({ ...dataset, interval: sub }, { from: exec.ts[0], to: end });
      }
    }
    return { play: loaded.play, data, notes: loaded.notes };
  });
}

/**
 * The finest interval of the same market that divides the exec interval and covers at least 90% of
 * [first, end) — or, failing that, the best-covering one. Bars without finer data fall back to the
 * worse-of-stop-and-target rule.
 */
async function pickSubInterval(store: CandleStore, ref: DatasetRef, first: number, end: number): Promise<Interval | undefined> {
  const execMs = intervalMs(ref.interval);
  const candidates: Array<{ interval: Interval; ms: number; coverage: number }> = [];
  for (const d of await store.datasetStats()) {
    const r = parseDatasetId(d.id);
    if (r.exchange !== ref.exchange || r.symbol !== ref.symbol || d.first === undefined || d.last === undefined) continue;
    const ms = intervalMs(r.interval);
    if (ms >= execMs || execMs % ms !== 0) continue;
    const covered = Math.max(0, Math.min(end, d.last + ms) - Math.max(first, d.first));
    candidates.push({ interval: r.interval, ms, coverage: covered / (end - first) });
  }
  const good = candidates.filter((c) => c.coverage >= 0.9).sort((a, b) => a.ms - b.ms);
  if (good.length) return good[0].interval;
  return candidates.filter((c) => c.coverage > 0).sort((a, b) => b.coverage - a.coverage || a.ms - b.ms)[0]?.interval;
}

/**
 * The bars of `data` with open time in [from, to): every timeframe, funding and finer bars cut alike, each
 * column copied into a fresh SharedArrayBuffer, so nothing outside the window is reachable from the result.
 */
export function sliceMarketData(data: MarketData, w: { from: number; to: number }): MarketData {
  const i0 = lowerBound(data.exec.ts, w.from);
  const i1 = lowerBound(data.exec.ts, w.to);
  const out: MarketData = { exec: sliceCandles(data.exec, i0, i1), execInterval: data.execInterval, dataset: data.dataset };
  if (data.funding) {
    out.funding = new Float64Array(new SharedArrayBuffer((i1 - i0) * 8));
    out.funding.set(data.funding.subarray(i0, i1));
  }
  if (data.subCandles) {
    out.subCandles = sliceCandlesByTime(data.subCandles, w.from, w.to);
    out.subInterval = data.subInterval;
  }
  if (data.candlesByInterval) {
    const by: Partial<Record<Interval, Candles>> = {};
    for (const [tf, c] of Object.entries(data.candlesByInterval) as Array<[Interval, Candles]>) by[tf] = sliceCandlesByTime(c, w.from, w.to);
    out.candlesByInterval = by;
  }
  return out;
}
