// Public surface of the synthetic-data module: seeded candles for TRADE's 38 named market patterns, so a
// play with a `synthetic:` or `validation:` block backtests without market data.
//
// Contract in short:
// - generatePattern(name, { bars, seed, interval, startTs?, startPrice? }) -> Candles: the whole pattern
//   spread over `bars` bars; ts = bar open time on the interval's UTC grid; identical for the same inputs.
// - syntheticDataForPlay(play, { bars?, seed?, pattern? }) sizes the exec-timeframe candles so the play's
//   slowest timeframe gets `bars` bars (default: warm-up + 300), capped at 300,000 exec bars.
// - Errors: SYNTHETIC_UNKNOWN_PATTERN (path of the field, valid names listed), SYNTHETIC_NO_PATTERN,
//   SYNTHETIC_BAD_OPTION.
export { PATTERN_NAMES, PATTERN_INFO, isPatternName, type PatternName, type PatternFamily, type PatternInfo } from './patterns.ts';
export { generatePattern, DEFAULT_SEED, DEFAULT_START_PRICE, DEFAULT_START_TS, MAX_PATTERN_BARS, type GenerateOptions } from './generate.ts';
export {
  syntheticDataForPlay, warmupByTimeframe, playTimeframes, MAX_SYNTHETIC_EXEC_BARS, DEFAULT_EXTRA_BARS,
  type SyntheticData, type SyntheticPlay, type SyntheticPlayOptions,
} from './play.ts';
