// The `source:` series of a feature and the SeriesInput bundle the registry computes on.

import { PlayforgeError } from '../common/errors.ts';
import type { SeriesInput } from './types.ts';

export const SOURCE_NAMES = ['close', 'open', 'high', 'low', 'volume', 'hl2', 'hlc3', 'ohlc4'] as const;
export type SourceName = (typeof SOURCE_NAMES)[number];

export interface CandleColumns {
  ts: Float64Array;
  open: Float64Array;
  high: Float64Array;
  low: Float64Array;
  close: Float64Array;
  volume: Float64Array;
}

/**
 * The named price series. Raw columns are returned as they are (no copy: callers must not write to
 * them); hl2/hlc3/ohlc4 are computed into a new array.
 */
export function sourceSeries(candles: Omit<CandleColumns, 'ts'> & { ts?: Float64Array }, name: string): Float64Array {
  const { open, high, low, close, volume } = candles;
  switch (name) {
    case 'close':
      return close;
    case 'open':
      return open;
    case 'high':
      return high;
    case 'low':
      return low;
    case 'volume':
      return volume;
    case 'hl2': {
      const out = new Float64Array(close.length);
      for (let i = 0; i < out.length; i++) out[i] = (high[i] + low[i]) / 2;
      return out;
    }
    case 'hlc3': {
      const out = new Float64Array(close.length);
      for (let i = 0; i < out.length; i++) out[i] = (high[i] + low[i] + close[i]) / 3;
      return out;
    }
    case 'ohlc4': {
      const out = new Float64Array(close.length);
      for (let i = 0; i < out.length; i++) out[i] = (open[i] + high[i] + low[i] + close[i]) / 4;
      return out;
    }
    default:
      throw new PlayforgeError('INDICATOR_BAD_SOURCE', `source must be one of ${SOURCE_NAMES.join(', ')}, got ${JSON.stringify(name)}`, {
        path: 'source',
      });
  }
}

/** Bundles candle columns with the feature's source series (close unless named). */
export function seriesInput(candles: CandleColumns, source: string = 'close'): SeriesInput {
  return { ...candles, source: sourceSeries(candles, source), length: candles.close.length };
}
