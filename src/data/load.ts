// Loading a dataset (or a date range of it) into shared columnar arrays, from a store or a data directory.
import type { Candles } from './candles.ts';
import type { DatasetRef } from './dataset.ts';
import type { FundingSeries } from './funding.ts';
import { CandleStore, type RangeOptions } from './store.ts';

/** Runs `fn` on an open store: the caller's, or one opened on `dataDir` for the call and closed after. */
export async function withStore<T>(storeOrDir: CandleStore | string, fn: (s: CandleStore) => Promise<T>): Promise<T> {
  if (storeOrDir instanceof CandleStore) return fn(storeOrDir);
  const store = await CandleStore.open(storeOrDir);
  try {
    return await fn(store);
  } finally {
    store.close();
  }
}

/**
 * Bars of `datasetId` with open time in [from, to) as six Float64Arrays over one SharedArrayBuffer,
 * ready to hand to worker threads without copies. Throws DATA_UNKNOWN_DATASET for a missing dataset.
 */
export function loadCandles(storeOrDataDir: CandleStore | string, datasetId: string | DatasetRef, range: RangeOptions = {}): Promise<Candles> {
  return withStore(storeOrDataDir, (s) => s.loadCandles(datasetId, range));
}

/** Funding settlements of a perpetual with settlement time in [from, to), ascending. */
export function loadFunding(storeOrDataDir: CandleStore | string, exchange: string, symbol: string, range: RangeOptions = {}): Promise<FundingSeries> {
  return withStore(storeOrDataDir, (s) => s.loadFunding(exchange, symbol, range));
}
