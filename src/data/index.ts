// Public surface of the data stage; other stages import only from here.
//
// Contract in short:
// - Dataset ids are `exchange:SYMBOL:interval` (`bybit:BTCUSDT:1h`); intervals use the DSL spelling
//   1m 3m 5m 15m 30m 1h 2h 4h 6h 12h D W M (`1d`/`1w` accepted). Funding series are `exchange:SYMBOL:funding`.
// - `Candles.ts` is the bar OPEN time, epoch ms UTC; the six columns share one SharedArrayBuffer.
// - loadCandles(storeOrDataDir, id, { from, to }) returns bars with from <= ts < to, ascending.
// - resampleCandles(c, to) DROPS partial buckets (missing their first or last sub-bar, e.g. the bucket
//   still forming at the end), so no coarser bar contains data from after its own close; use
//   resampleDetailed(c, to, { partial: 'keep' }) to keep them with a `complete` flag.
// - alignFunding(c, funding) gives per bar the sum of the rates settled in [open, next open), NaN if none.
// - ensureDefaultData(dataDir) imports the bundled examples/data when missing (fast when present).
export type { Candles, CandleColumn } from './candles.ts';
export { allocateCandles, candlesFromArrays, candlesFromBuffer, sliceCandles, sliceCandlesByTime, lowerBound, CANDLE_COLUMNS } from './candles.ts';
export type { Interval } from './interval.ts';
export { INTERVALS, intervalMs, parseInterval, isInterval, floorToInterval, nextBarStart, isAligned, missingBarsBetween, bybitInterval } from './interval.ts';
export type { DatasetRef } from './dataset.ts';
export { parseDatasetId, formatDatasetId, makeDatasetRef, toDatasetRef } from './dataset.ts';
export { parseDateArg, isoUtc } from './timestamp.ts';
export type { SourceTable } from './source.ts';
export { readSourceFile } from './reader.ts';
export { parseCsvText } from './csv-reader.ts';
export type { DataIssue, DataIssueCode, GapSummary, ValidationReport } from './validate.ts';
export { validateTable, describeReport, summarizeGaps } from './validate.ts';
export type { ImportPolicy, CleanSummary } from './policy.ts';
export { POLICIES, parsePolicy, DataRejectedError } from './policy.ts';
export type { DatasetInfo, FundingInfo, MergeResult, RangeOptions } from './store.ts';
export { CandleStore, STORE_FILE } from './store.ts';
export type { ImportOptions, ImportResult } from './importer.ts';
export { importFile } from './importer.ts';
export { loadCandles, loadFunding, withStore } from './load.ts';
export type { ResampleOptions, ResampleDetail } from './resample.ts';
export { resampleCandles, resampleDetailed } from './resample.ts';
export type { FundingSeries, FundingRows } from './funding.ts';
export { alignFunding } from './funding.ts';
export type { DefaultDataResult } from './default-data.ts';
export { ensureDefaultData, EXAMPLES_DATA_DIR } from './default-data.ts';
export type { BybitClientOptions, BybitCategory, BybitKline, BybitFunding, RetryInfo } from './bybit-client.ts';
export { BybitClient, DEFAULT_BYBIT_BASE_URL } from './bybit-client.ts';
export type { FetchOptions, FetchProgress, FetchResult } from './downloader.ts';
export { fetchBybitHistory, bybitExchangeName } from './downloader.ts';
