// A pool worker thread: receives the training-window market data ONCE (workerData: SharedArrayBuffer columns,
// read in place) and keeps one FeatureCache for its whole life, so every job reuses indicator columns. Its one
// Tinypool task is a session that takes the pool's jobs until the pool closes (see WorkerSession).
import { receiveMessageOnPort, workerData } from 'node:worker_threads';
import { PlayforgeError } from '../../common/index.ts';
import { ColumnScratch, FeatureCache } from '../../engine/index.ts';
import { scoreGenome, type GenomeScore } from '../evaluator.ts';
import { PlayTextCache } from './play-text.ts';
import { CONTROL_DONE, CONTROL_SEQ, CONTROL_STOP, type WorkerInit, type WorkerReply, type WorkerSession, type WorkerTask } from './protocol.ts';
import { packResults } from './reply-codec.ts';

// Tinypool wraps the user's workerData as [its private data, ours].
const init = (workerData as [unknown, WorkerInit])[1];
const cache = new FeatureCache({ maxBytes: init.cacheBytes });
const plays = new PlayTextCache();
// One set of condition columns for the thread's life: fresh columns per job were fresh pages, and a first
// write to a page costs ~11 us here (16 MB of new memory: 45 ms to fill, 0.5 ms to refill).
const scratch = new ColumnScratch();

/** Evaluates the task's genomes this thread claims first (see WorkerTask.next) until none is left. */
function evaluateClaimed(task: WorkerTask): WorkerReply {
  if (task.hash !== init.hash) {
    throw new PlayforgeError('EVOLVE_DATASET_MISMATCH', `job names dataset ${task.hash.slice(0, 12)}, this worker holds ${init.hash.slice(0, 12)}`);
  }
  const play = plays.get(task.playYaml), n = task.genomes.length;
  const indices: number[] = [], results: GenomeScore[] = [];
  for (let i = Atomics.add(task.next, 0, 1); i < n; i = Atomics.add(task.next, 0, 1)) {
    indices.push(i);
    results.push(scoreGenome(play, init.data, task.fitness, task.genomes[i], cache, scratch));
  }
  return { indices, results: packResults(results, task.fitness.objectives.length) };
}

/** The session: one reply per job, then a count on CONTROL_DONE; returns when the pool stops. */
export default function session({ control, port }: WorkerSession): void {
  let seen = 0;
  for (;;) {
    Atomics.wait(control, CONTROL_SEQ, seen);
    seen = Atomics.load(control, CONTROL_SEQ);
    if (Atomics.load(control, CONTROL_STOP) !== 0) break;
    const got = receiveMessageOnPort(port);
    let reply: WorkerReply;
    try {
      if (!got) throw new Error('a job was announced but none arrived');
      reply = evaluateClaimed(got.message as WorkerTask);
    } catch (e) {
      reply = { error: e instanceof Error ? e.message : String(e), ...(e instanceof PlayforgeError ? { code: e.code } : {}) };
    }
    port.postMessage(reply);
    Atomics.add(control, CONTROL_DONE, 1);
    Atomics.notify(control, CONTROL_DONE);
  }
  port.close();
}
