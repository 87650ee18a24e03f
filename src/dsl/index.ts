// Public surface of the dsl stage; other stages import only from here.
export type * from './types.ts';
export type { ChoiceSet, NumRange, ParamValue, Ranged, Scalar } from './ranges.ts';
export { isChoiceSet, isNumRange, isRanged } from './ranges.ts';
export { loadPlay, loadPlayFile, type LoadResult } from './load.ts';
export { locOf } from './loc.ts';
export { INDICATORS, INDICATOR_NAMES } from './registry/indicators.ts';
export { STRUCTURES, STRUCTURE_TYPES, structureField, formatRatio } from './registry/structures.ts';
export type { IndicatorSpec, StructureSpec, ParamSpec, ParamKind, OutputSpec, OutputType, Interval } from './registry/types.ts';
export { INTERVALS, INTERVAL_MINUTES, isInterval } from './registry/types.ts';
export { BUILTINS, refText } from './references.ts';
export { durationMinutes } from './conditions.ts';
export {
  DEFAULT_ACCOUNT, DEFAULT_POSITION_POLICY, DEFAULT_RISK, DEFAULT_SYMBOL, DEFAULT_TIMEFRAMES, DEFAULT_VERSION,
} from './defaults.ts';
export { serializePlay, playToRaw } from './serialize.ts';
export {
  genomeOf, spaceSize, enumerateGenomes, sampleGenome, mutateGenome, defaultGenome, inDomain, type Gene, type Genome,
} from './space.ts';
export { resolveGenome, resolvePlay, parseParamAssignments } from './resolve.ts';
export { playJsonSchema } from './json-schema.ts';
export { PATTERNS as SYNTHETIC_PATTERNS } from './schema/header.ts';
export { SIZING_MODELS, STOP_LOSS_TYPES, TAKE_PROFIT_TYPES } from './schema/risk.ts';
