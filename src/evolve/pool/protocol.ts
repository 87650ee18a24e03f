// Messages between the pool and its worker threads.
import type { Genome } from '../../dsl/index.ts';
import type { MarketData } from '../../engine/index.ts';
import type { FitnessConfig } from '../fitness.ts';

/** Handed to each worker once, at start: columns are SharedArrayBuffer views, so no bar is copied. */
export interface WorkerInit {
  hash: string;
  data: MarketData;
  cacheBytes?: number;
}

/** One batch of genomes of one play. */
export interface WorkerTask {
  hash: string;
  playYaml: string;
  fitness: FitnessConfig;
  genomes: Genome[];
}
