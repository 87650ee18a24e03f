// Timeframes of a play: the candles of each timeframe it reads (given, or resampled from the exec bars) and
// the forward-fill alignment from every exec bar to the last CLOSED bar of another timeframe. A 4h value is
// known only once its 4h bar has closed, so exec bar i sees 4h bar j only when closeTime(j) <= closeTime(i).
import { PlayforgeError } from '../../common/errors.ts';
import { nextBarStart, resampleCandles, type Candles } from '../../data/index.ts';
import { INTERVAL_MINUTES, type Interval } from '../../dsl/index.ts';
import type { FeatureCache } from './feature-cache.ts';
import type { PlayData } from './types.ts';

/** Close time of every bar: the next bar's open time on the interval's UTC grid. */
export function barCloseTimes(ts: Float64Array, interval: Interval): Float64Array {
  const out = new Float64Array(ts.length);
  for (let i = 0; i < ts.length; i++) out[i] = nextBarStart(ts[i], interval);
  return out;
}

/**
 * For each exec bar i: the index of the last bar of the other timeframe with close time <= exec bar i's close
 * time, or -1 when none has closed yet. Both inputs ascending; one merge pass.
 */
export function lastClosedIndex(execClose: Float64Array, tfClose: Float64Array): Int32Array {
  const out = new Int32Array(execClose.length);
  let j = -1;
  for (let i = 0; i < execClose.length; i++) {
    const t = execClose[i];
    while (j + 1 < tfClose.length && tfClose[j + 1] <= t) j++;
    out[i] = j;
  }
  return out;
}

/**
 * Exec-aligned copy of a column of another timeframe: out[i] = col[map[i] - offset], NaN when that bar does
 * not exist (nothing closed yet, or the offset reaches before the first bar). `offset` counts bars of the
 * column's own timeframe: offset 1 is the previous CLOSED value of that timeframe.
 */
export function forwardFill(col: Float64Array, map: Int32Array, offset = 0): Float64Array {
  const out = new Float64Array(map.length);
  for (let i = 0; i < map.length; i++) {
    const j = map[i] - offset;
    out[i] = j >= 0 ? col[j] : NaN;
  }
  return out;
}

/** An exec column `offset` bars back: out[i] = col[i - offset] (NaN before the first bar). Offset 0 returns `col`. */
export function shiftBack(col: Float64Array, offset: number): Float64Array {
  if (offset === 0) return col;
  const out = new Float64Array(col.length);
  const k = Math.min(offset, col.length);
  out.fill(NaN, 0, k);
  out.set(col.subarray(0, col.length - k), k);
  return out;
}

export const isSlower = (tf: Interval, than: Interval): boolean => INTERVAL_MINUTES[tf] > INTERVAL_MINUTES[than];

/**
 * Candles of `tf`: the exec bars themselves, the caller's (`candlesByInterval`), or the exec bars resampled
 * into complete `tf` buckets (cached per exec data object). A faster timeframe cannot be built: it must be given.
 */
export function candlesOf(data: PlayData, tf: Interval, cache: FeatureCache): Candles {
  if (tf === data.execInterval) return data.exec;
  const given = data.candlesByInterval?.[tf];
  if (given) return given;
  if (!isSlower(tf, data.execInterval)) {
    throw new PlayforgeError(
      'ENGINE_TIMEFRAME_UNAVAILABLE',
      `the play reads ${tf} bars, which are faster than its ${data.execInterval} exec bars and cannot be built from them: load ${tf} candles too (PlayData.candlesByInterval)`,
      { path: 'timeframes' },
    );
  }
  const key = `resample|${cache.idOf(data.exec)}|${data.execInterval}|${tf}`;
  return cache.getOrCompute(key, () => {
    try {
      return resampleCandles(data.exec, tf, { from: data.execInterval });
    } catch (e) {
      throw new PlayforgeError('ENGINE_TIMEFRAME_UNAVAILABLE', `cannot build ${tf} bars from ${data.execInterval} bars: ${(e as Error).message}`, { path: 'timeframes' }, { cause: e });
    }
  });
}

/** Alignment map exec bar -> last closed bar of `candles` (an interval of `tf`), cached per data object pair. */
export function alignmentOf(data: PlayData, tf: Interval, candles: Candles, cache: FeatureCache): Int32Array {
  const key = `align|${cache.idOf(data.exec)}|${data.execInterval}|${cache.idOf(candles)}|${tf}`;
  return cache.getOrCompute(key, () => ({
    map: lastClosedIndex(barCloseTimes(data.exec.ts, data.execInterval), barCloseTimes(candles.ts, tf)),
  })).map as Int32Array;
}
