// Loads what a run evolves on from the candle store as it is (the CLI imports the bundled data first): the
// dataset's bars, with funding and finer bars exactly as a backtest loads them, for every play; then splits
// them into a training window (evolution sees only this) and a holdout.
import { PlayforgeError } from '../common/index.ts';
import { intervalMs, withStore, type Candles, type CandleStore, type Interval } from '../data/index.ts';
import type { Play } from '../dsl/index.ts';
import { loadBacktestData, type MarketData } from '../engine/index.ts';
import { sliceMarketData, type TimeWindow } from './dataset.ts';

export interface EvolutionData {
  /** The plays as they run (moved onto the dataset's interval when their exec timeframe differs). */
  plays: Play[];
  /** The training window's data: nothing after `train.to` is in it. */
  train: MarketData;
  trainWindow: TimeWindow;
  trainBars: number;
  holdoutWindow: TimeWindow | null;
  holdoutBars: number;
  notes: string[];
}

export interface LoadEvolutionOptions {
  from?: number;
  to?: number;
  /** Share of the bars (the most recent) kept out of evolution for validation (default 0.25; 0 = none). */
  holdoutFraction?: number;
  /** Resolve stops on finer stored bars, like `playforge backtest` (default true). */
  subBars?: boolean;
  /** Use exactly this training window (resume) instead of splitting by holdoutFraction. */
  trainWindow?: TimeWindow;
}

/** Index of the first bar with ts >= t. */
function firstAtOrAfter(c: Candles, t: number): number {
  let i = 0;
  while (i < c.length && c.ts[i] < t) i++;
  return i;
}

export async function loadEvolutionData(storeOrDir: CandleStore | string, plays: readonly Play[], datasetId: string, opts: LoadEvolutionOptions = {}): Promise<EvolutionData> {
  const fraction = opts.holdoutFraction ?? 0.25;
  if (!(fraction >= 0 && fraction < 1)) throw new PlayforgeError('EVOLVE_BAD_CONFIG', `holdout fraction must be in [0, 1), got ${fraction}`, { path: 'holdout' });
  return withStore(storeOrDir, async (store) => {
    const notes: string[] = [];
    const runPlays: Play[] = [];
    let full: MarketData | undefined;
    for (const play of plays) {
      const loaded = await loadBacktestData(store, play, datasetId, { from: opts.from, to: opts.to, subBars: opts.subBars });
      notes.push(...loaded.notes.filter((n) => !notes.includes(n)));
      runPlays.push(loaded.play);
      if (!full) full = loaded.data;
      else {
        // Same dataset, so the same exec bars; a play may read a faster timeframe the others do not.
        for (const [tf, c] of Object.entries(loaded.data.candlesByInterval ?? {}) as Array<[Interval, Candles]>) {
          full.candlesByInterval = { ...full.candlesByInterval };
          if (!full.candlesByInterval[tf]) full.candlesByInterval[tf] = c;
        }
        if (!full.funding && loaded.data.funding) full.funding = loaded.data.funding;
      }
    }
    if (!full) throw new PlayforgeError('EVOLVE_NO_PLAYS', 'nothing to evolve: give at least one play');
    return { ...splitTrainHoldout(full, datasetId, { holdoutFraction: fraction, trainWindow: opts.trainWindow }), plays: runPlays, notes };
  });
}

/**
 * The training window (the first bars) and the holdout (the last `holdoutFraction` of the bars, or what follows
 * a given training window). Only the training slice is returned as data: the holdout bars are not reachable.
 */
export function splitTrainHoldout(full: MarketData, datasetId: string, opts: { holdoutFraction?: number; trainWindow?: TimeWindow } = {}): Omit<EvolutionData, 'plays' | 'notes'> {
  const exec = full.exec;
  const n = exec.length;
  const end = n ? exec.ts[n - 1] + intervalMs(full.execInterval) : 0;
  const cut = opts.trainWindow ? firstAtOrAfter(exec, opts.trainWindow.to) : n - Math.round(n * (opts.holdoutFraction ?? 0.25));
  if (cut < 2) throw new PlayforgeError('EVOLVE_NO_DATA', `${datasetId} has ${n} bars: too few for a training window`, { path: datasetId });
  const trainWindow = opts.trainWindow ?? { from: exec.ts[0], to: cut < n ? exec.ts[cut] : end };
  const holdoutWindow = cut < n ? { from: exec.ts[cut], to: end } : null;
  const train = sliceMarketData(full, trainWindow);
  return { train, trainWindow, trainBars: train.exec.length, holdoutWindow, holdoutBars: n - cut };
}
