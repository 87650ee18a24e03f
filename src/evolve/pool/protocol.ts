// Messages between the pool and its worker threads.
import type { MessagePort } from 'node:worker_threads';
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
 * Slots of the pool's control array (an Int32Array on a SharedArrayBuffer that every thread shares):
 * CONTROL_SEQ counts the jobs handed out (a thread waits on it with Atomics.wait), CONTROL_DONE the threads
 * done with the current one (the pool waits on it with Atomics.waitAsync), CONTROL_STOP ends the sessions.
 */
export const CONTROL_SEQ = 0, CONTROL_DONE = 1, CONTROL_STOP = 2, CONTROL_SLOTS = 3;

/**
 * A thread's one Tinypool task for the pool's life: it waits for jobs on `control` and takes each from
 * `port` (receiveMessageOnPort), replying on the same port. A job costs two Atomics wake-ups instead of a
 * task message each way through the event loops (~0.14 ms instead of ~0.5 ms per job on 2 threads).
 */
export interface WorkerSession {
  control: Int32Array;
  port: MessagePort;
}

/**
 * One job of one play, sent to every thread of the pool. The threads share `next` (an Int32Array on a
 * SharedArrayBuffer): each takes the next unevaluated genome with an atomic add until none is left, so they
 * stay busy to the end of the job whatever each backtest costs.
 */
export interface WorkerTask {
  hash: string;
  playYaml: string;
  fitness: FitnessConfig;
  genomes: Genome[];
  next: Int32Array;
}

/** What one thread evaluated: row k of `results` is genome `indices[k]` of the task; or why it could not. */
export type WorkerReply = { indices: number[]; results: PackedResults } | { error: string; code?: string };
