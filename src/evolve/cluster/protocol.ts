// What the coordinator and the cluster workers agree on: Redis names, the batch job's payload, and timing
// defaults. Everything under one prefix (default `pf`), so deployments and tests can share a Redis server:
//   <prefix>:dataset:<hash>          column bytes + meta, with a TTL
//   <prefix>:bull:evaluate:...       the BullMQ queue of backtest batches
import { createHash } from 'node:crypto';
import { PlayforgeError } from '../../common/index.ts';
import type { Genome } from '../../dsl/index.ts';
import type { DatasetPayload, EvalResult, FitnessConfig, GenomeScore } from '../evaluator.ts';
import { decodeExact, encodeExact } from './codec.ts';
import { packedWidth, packResults, unpackResults } from '../pool/reply-codec.ts';

export const DEFAULT_PREFIX = 'pf';
export const QUEUE_NAME = 'evaluate';
export const BATCH_JOB_NAME = 'batch';
/** Version of the payload below: a worker refuses a batch it cannot read instead of guessing. */
export const PROTOCOL_VERSION = 2;

/** BullMQ's own key prefix under ours. */
export function bullPrefix(prefix: string): string {
  return `${prefix}:bull`;
}

/** Checks a user-given prefix: it becomes part of every key, and BullMQ job ids may not hold `:`. */
export function checkPrefix(prefix: string): string {
  if (!/^[A-Za-z0-9_.-]+$/.test(prefix)) {
    throw new PlayforgeError('CLUSTER_BAD_OPTION', `prefix "${prefix}" may only hold letters, digits, '_', '.' and '-'`, { path: 'prefix' });
  }
  return prefix;
}

/** One batch of one EvalJob: the genomes it holds, and all a worker needs to evaluate them. */
export interface BatchPayload {
  jobId: string;
  batch: number;
  playHash: string;
  playYaml: string;
  dataset: DatasetPayload;
  fitness: FitnessConfig;
  genomes: Genome[];
}

/**
 * The BullMQ job data. The payload travels as lossless JSON text (see codec.ts); the plain fields are for
 * people looking at the queue.
 */
export interface BatchJobData {
  v: number;
  jobId: string;
  batch: number;
  genomes: number;
  dataset: string;
  payload: string;
}

export function encodeBatch(p: BatchPayload): BatchJobData {
  return { v: PROTOCOL_VERSION, jobId: p.jobId, batch: p.batch, genomes: p.genomes.length, dataset: p.dataset.hash, payload: encodeExact(p) };
}

export function decodeBatch(data: BatchJobData): BatchPayload {
  if (data.v !== PROTOCOL_VERSION) throw new RangeError(`batch protocol v${String(data.v)}, this worker speaks v${PROTOCOL_VERSION}: run the same Playforge version everywhere`);
  return decodeExact<BatchPayload>(data.payload);
}

/**
 * A batch's return value: its results packed as the local pool packs them (reply-codec.ts: fitness,
 * objectives and metrics per row as doubles, bit for bit; the errors beside them) in JSON text with the
 * doubles in base64. The genome keys are not sent: the coordinator has the batch's genomes. JSON of the
 * result objects was ~30 KB per 50 genomes through Redis and the event stream, and ~0.35 ms of encoding and
 * decoding on the path of every generation.
 */
export function encodeResults(results: readonly GenomeScore[], objectives: number): string {
  const p = packResults(results, objectives);
  return JSON.stringify({ objectives: p.objectives, values: Buffer.from(p.values.buffer, p.values.byteOffset, p.values.byteLength).toString('base64'), errors: p.errors });
}

/** The results of `encodeResults`, each given its genome key from `keys` (the batch's genomes, in order). */
export function decodeResults(text: unknown, keys: readonly string[]): EvalResult[] {
  if (typeof text !== 'string') throw new TypeError(`a batch returned ${typeof text}, expected encoded results`);
  const raw = JSON.parse(text) as { objectives?: unknown; values?: unknown; errors?: unknown };
  if (!Number.isInteger(raw.objectives) || typeof raw.values !== 'string' || !Array.isArray(raw.errors)) throw new TypeError('not packed results');
  const bytes = Buffer.from(raw.values, 'base64');
  if (bytes.length % 8 !== 0) throw new TypeError(`${bytes.length} bytes of doubles`);
  // Copied into a buffer of its own: a Float64Array needs an 8-byte aligned offset, which Buffer's pool does not promise.
  const values = new Float64Array(bytes.length / 8);
  new Uint8Array(values.buffer).set(bytes);
  const packed = { objectives: raw.objectives as number, values, errors: raw.errors as Array<[number, string]> };
  if (values.length !== keys.length * packedWidth(packed.objectives)) throw new TypeError(`${values.length} doubles for ${keys.length} genomes`);
  return unpackResults(packed, keys);
}

export function sha256(text: string): string {
  return createHash('sha256').update(text).digest('hex');
}

/**
 * A worker's BullMQ name carries its concurrency, so a coordinator can size batches to the slots connected:
 * `pf-worker-c<concurrency>-<host>-<pid>`.
 */
export function workerName(concurrency: number, host: string, pid: number): string {
  return `pf-worker-c${concurrency}-${host.replace(/[^A-Za-z0-9]/g, '').slice(0, 32) || 'host'}-${pid}`;
}

/** Batch slots of the connected workers, from their client names (a worker named otherwise counts as 1). */
export function slotsOf(clientNames: readonly string[]): number {
  let slots = 0;
  for (const name of clientNames) slots += Number(/pf-worker-c(\d+)-/.exec(name)?.[1] ?? 1);
  return slots;
}

/**
 * Genomes per batch: `batchesPerSlot` batches for every connected slot, so each worker's queue-to-worker round
 * trips are few and the load still evens out; small fixed batches while no worker is connected yet. A batch
 * holds at least `minSize` genomes (enough work to amortise its fixed costs), but never so many that a slot
 * is left without one.
 */
export function batchSizeFor(genomes: number, slots: number, batchesPerSlot: number, fallback: number, minSize = 1): number {
  if (slots <= 0) return fallback;
  const even = Math.ceil(genomes / (slots * batchesPerSlot));
  return Math.max(1, Math.min(Math.max(even, minSize), Math.ceil(genomes / slots)));
}

/** Worker timings. A killed worker's batch goes back to the queue once its lock expired and a stalled check ran. */
export interface WorkerTimings {
  /** How long a batch's lock lasts without renewal (renewed every half of it while the worker lives). */
  lockDurationMs: number;
  /** How often a worker looks for batches whose lock expired. */
  stalledIntervalMs: number;
  /** Times a batch may lose its worker before it fails for good. */
  maxStalledCount: number;
}

export const DEFAULT_WORKER_TIMINGS: WorkerTimings = { lockDurationMs: 15_000, stalledIntervalMs: 5_000, maxStalledCount: 5 };

/** Splits `items` into consecutive runs of at most `size`. */
export function chunk<T>(items: readonly T[], size: number): T[][] {
  const out: T[][] = [];
  for (let i = 0; i < items.length; i += size) out.push(items.slice(i, i + size));
  return out;
}
