// Loads what a play needs from the candle store: the exec bars of a dataset, faster timeframes the play reads
// (slower ones are resampled from the exec bars by the compiler), and funding when the play reads funding_rate.
import { PlayforgeError } from '../../common/errors.ts';
import { alignFunding, parseDatasetId, withStore, type CandleStore, type DatasetRef, type RangeOptions } from '../../data/index.ts';
import type { Interval, Play } from '../../dsl/index.ts';
import { execIntervalOf, withExecInterval } from './compile.ts';
import { builtinsRead } from './refs.ts';
import { isSlower } from './timeframes.ts';
import type { PlayData } from './types.ts';

export interface LoadedPlayData {
  /** The play as it will run: moved onto the dataset's interval when its exec timeframe differs. */
  play: Play;
  data: PlayData;
  dataset: DatasetRef;
  /** Things a user should know (symbol or interval substituted, series without data). */
  notes: string[];
}

export async function loadPlayData(storeOrDir: CandleStore | string, input: Play, datasetId: string, range: RangeOptions = {}): Promise<LoadedPlayData> {
  const dataset = parseDatasetId(datasetId);
  const notes: string[] = [];
  let play = input;
  if (play.symbol !== dataset.symbol) notes.push(`play '${play.name}' is written for ${play.symbol}; running it on ${dataset.symbol}`);
  const from = execIntervalOf(play);
  if (from !== dataset.interval) {
    play = withExecInterval(play, dataset.interval);
    notes.push(`play '${play.name}' steps on ${from} bars; running it on the dataset's ${dataset.interval} bars (features and structures of its exec timeframe move with it)`);
  }
  const reads = builtinsRead(play);
  if (reads.has('open_interest')) notes.push('open_interest has no data source yet: every condition reading it is false');
  if (reads.has('mark_price') || reads.has('last_price')) notes.push('mark_price and last_price are taken as the exec bar close (no 1m or mark-price data)');
  return withStore(storeOrDir, async (store) => {
    const exec = await store.loadCandles(dataset, range);
    if (exec.length === 0) {
      throw new PlayforgeError('ENGINE_NO_DATA', `${datasetId} has no bars${range.from !== undefined || range.to !== undefined ? ' in the requested range' : ''}`, { path: datasetId });
    }
    const faster = new Set<Interval>();
    for (const x of [...play.features, ...play.structures]) if (isSlower(dataset.interval, x.tf)) faster.add(x.tf);
    const candlesByInterval: PlayData['candlesByInterval'] = {};
    for (const tf of faster) candlesByInterval[tf] = await store.loadCandles({ ...dataset, interval: tf }, range);
    const data: PlayData = { exec, execInterval: dataset.interval, candlesByInterval };
    if (reads.has('funding_rate')) {
      const settlements = await store.loadFunding(dataset.exchange, dataset.symbol);
      if (settlements.length === 0) {
        throw new PlayforgeError('ENGINE_NO_FUNDING', `play '${play.name}' reads funding_rate but the store has no funding history for ${dataset.exchange}:${dataset.symbol}: import or fetch it (playforge data fetch --funding)`, { path: 'funding_rate' });
      }
      data.funding = alignFunding(exec, settlements, { interval: dataset.interval });
    }
    return { play, data, dataset, notes };
  });
}
