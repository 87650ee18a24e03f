// Public surface of the engine stage; other stages import only from here.
export {};
export { compilePlay, execIntervalOf, withExecInterval, FeatureCache, canonicalKey, DEFAULT_CACHE_BYTES, barCloseTimes, lastClosedIndex, forwardFill, SIGNAL_NAMES, EXIT_NAMES } from './compile/index.ts';
export type { CompiledPlay, PlayData, SignalName, ExitName, FiredAction, CompileTimings, CompileOptions, FeatureCacheStats } from './compile/index.ts';
export { builtinsRead, loadPlayData, dataWindowColumns, writeDataWindowCsv } from './compile/index.ts';
export type { LoadedPlayData, DataWindowColumn } from './compile/index.ts';
