// The market data an evolution runs on: cut to the training window (so no evaluator can see the holdout),
// hashed (the identity evaluators cache it by) and laid out in SharedArrayBuffers for worker threads.
import { createHash } from 'node:crypto';
import type { Candles, Interval } from '../data/index.ts';
import { sliceMarketData, type MarketData } from '../engine/index.ts';

export interface TimeWindow {
  /** Exec bar open time, epoch ms, inclusive. */
  from: number;
  /** Exec bar open time, epoch ms, exclusive. */
  to: number;
}

function sharedCopy(a: Float64Array): Float64Array {
  const out = new Float64Array(new SharedArrayBuffer(a.byteLength));
  out.set(a);
  return out;
}

export { sliceMarketData };

function feed(h: ReturnType<typeof createHash>, label: string, a: Float64Array | undefined): void {
  h.update(`${label}:${a ? a.length : -1};`);
  if (a) h.update(new Uint8Array(a.buffer, a.byteOffset, a.byteLength));
}

function feedCandles(h: ReturnType<typeof createHash>, label: string, c: Candles | undefined): void {
  h.update(`${label}:${c ? c.length : -1};`);
  if (c) for (const k of ['ts', 'open', 'high', 'low', 'close', 'volume'] as const) feed(h, k, c[k]);
}

/** sha256 (hex) over the exec columns, interval, funding, finer bars and other timeframes: equal hash, equal data. */
export function datasetHash(data: MarketData): string {
  const h = createHash('sha256');
  h.update(`interval:${data.execInterval};`);
  feedCandles(h, 'exec', data.exec);
  feed(h, 'funding', data.funding);
  h.update(`sub:${data.subInterval ?? ''};`);
  feedCandles(h, 'subCandles', data.subCandles);
  for (const tf of Object.keys(data.candlesByInterval ?? {}).sort() as Interval[]) feedCandles(h, `tf:${tf}`, data.candlesByInterval?.[tf]);
  return h.digest('hex');
}

/**
 * Market data whose every column lives in a SharedArrayBuffer: posting it to a worker (workerData) shares
 * the memory instead of copying it. Candles already are shared; funding is copied once if it is not.
 */
export function shareMarketData(data: MarketData): MarketData {
  if (!data.funding || data.funding.buffer instanceof SharedArrayBuffer) return data;
  return { ...data, funding: sharedCopy(data.funding) };
}

/** Exec bar open times of the first and last bar, plus one interval: the window that covers all of `c`. */
export function windowOf(c: Candles, barMs: number): TimeWindow {
  return c.length ? { from: c.ts[0], to: c.ts[c.length - 1] + barMs } : { from: 0, to: 0 };
}
