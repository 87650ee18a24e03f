// Public surface of the indicators stage; other stages import only from here.
export type { SeriesInput, IndicatorImpl, IndicatorParams, IndicatorContext } from './types.ts';
export { INDICATOR_IMPLS } from './registry.ts';
export { sourceSeries, seriesInput, SOURCE_NAMES, type SourceName, type CandleColumns } from './source.ts';
// Direct functions for the engine's fast path.
export { sma, ema, wma, dema, tema, trima, zlma, kama, alma, linreg, midprice, ohlc4 } from './moving-averages.ts';
export { rsi, cmo, mom, roc, cci, willr, uo, macd, ppo, trix, tsi, stoch, stochrsi, fisher } from './oscillators.ts';
export { atr, natr } from './volatility.ts';
export { dm, adx, aroon, vortex, supertrend, psar } from './trend.ts';
export { bbands, kc, donchian, squeeze } from './bands.ts';
export { obv, cmf, mfi, kvo, vwap, anchoredVwap } from './volume.ts';
export { volumeProfile, anchoredVolumeProfile } from './volume-profile.ts';
export { sessionLevels, sessionKey, type SessionAnchor } from './sessions.ts';
export { swingAnchorResets, ANCHOR_SOURCES, type AnchorSource } from './anchors.ts';
// Shared primitives, for stages (structures, engine) that stream their own state.
export { EmaStep, WilderSumStep, RollingSum, SmaStep, RollingStd, RollingExtreme, Lag, trueRangeAt } from './primitives.ts';
