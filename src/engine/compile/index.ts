// The play compiler: a concrete Play + market data -> exec-aligned columns, per-bar signals, scalar decisions.
export { compilePlay, execIntervalOf, withExecInterval, type CompileOptions } from './compile.ts';
export { ColumnScratch } from './column-scratch.ts';
export { FeatureCache, canonicalKey, DEFAULT_CACHE_BYTES, type FeatureCacheStats } from './feature-cache.ts';
export { barCloseTimes, lastClosedIndex, forwardFill } from './timeframes.ts';
export { SIGNAL_NAMES, EXIT_NAMES } from './types.ts';
export type { CompiledPlay, PlayData, SignalName, ExitName, FiredAction, CompileTimings } from './types.ts';
export { builtinsRead } from './refs.ts';
export { loadPlayData, type LoadedPlayData } from './play-data.ts';
export { dataWindowColumns, writeDataWindowCsv, type DataWindowColumn } from './data-window.ts';
