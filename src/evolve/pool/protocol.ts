// Messages between the pool and its worker threads.
import type { Genome } from '../../dsl/index.ts';
import type { MarketData } from '../../engine/index.ts';
import type { FitnessConfig } from '../fitness.ts';
import type { PackedResults } from './reply-codec.ts';

/** Handed to each worker once, at start: columns are SharedArrayBuffer views, so no bar is copied. */
export interface WorkerInit {
  hash: string;
  data: MarketData;
  cacheBytes?: number;
}

/**
 * One job of one play, sent to every thread of the pool. The threads share `next` (an Int32Array on a
 * SharedArrayBuffer): each takes the next unevaluated genome with an atomic add until none is left, so they
 * stay busy to the end of the job whatever each backtest costs, with one message each way per thread.
 */
export interface WorkerTask {
  hash: string;
  playYaml: string;
  fitness: FitnessConfig;
  genomes: Genome[];
  next: Int32Array;
}

/** What one thread evaluated: row k of `results` is genome `indices[k]` of the task. */
export interface WorkerReply {
  indices: number[];
  results: PackedResults;
}
