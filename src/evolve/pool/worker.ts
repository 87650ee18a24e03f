// A pool worker thread: receives the training-window market data ONCE (workerData: SharedArrayBuffer columns,
// read in place) and keeps one FeatureCache for its whole life, so every batch reuses indicator columns.
import { workerData } from 'node:worker_threads';
import { PlayforgeError } from '../../common/index.ts';
import { ColumnScratch, FeatureCache } from '../../engine/index.ts';
import { evaluateGenomes, type EvalResult } from '../evaluator.ts';
import { PlayTextCache } from './play-text.ts';
import type { WorkerInit, WorkerTask } from './protocol.ts';

// Tinypool wraps the user's workerData as [its private data, ours].
const init = (workerData as [unknown, WorkerInit])[1];
const cache = new FeatureCache({ maxBytes: init.cacheBytes });
const plays = new PlayTextCache();
// One set of condition columns for the thread's life: fresh columns per batch were fresh pages, and a first
// write to a page costs ~11 us here (16 MB of new memory: 45 ms to fill, 0.5 ms to refill).
const scratch = new ColumnScratch();

export default function evaluateBatch(task: WorkerTask): EvalResult[] {
  if (task.hash !== init.hash) {
    throw new PlayforgeError('EVOLVE_DATASET_MISMATCH', `batch names dataset ${task.hash.slice(0, 12)}, this worker holds ${init.hash.slice(0, 12)}`);
  }
  return evaluateGenomes(plays.get(task.playYaml), init.data, task.fitness, task.genomes, cache, scratch);
}
