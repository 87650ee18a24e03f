// Datasets in Redis, stored once per content hash: `<prefix>:dataset:<hash>` is a hash with a JSON `meta`
// field and the column bytes split into chunks (c0, c1, ...) so no single reply grows without bound. The
// coordinator uploads a dataset only when it is absent (and refreshes its TTL when present); workers fetch it
// once and check its hash, so a worker can never evaluate on bytes other than the coordinator's.
import type { Redis } from 'ioredis';
import { PlayforgeError } from '../../common/index.ts';
import type { MarketData } from '../../engine/index.ts';
import { datasetHash } from '../dataset.ts';
import { packMarketData, unpackMarketData, type DatasetMeta } from './dataset-blob.ts';

/** Largest chunk written in one field (8 MiB). */
export const CHUNK_BYTES = 8 * 1024 * 1024;

interface StoredMeta extends DatasetMeta {
  chunks: number;
}

export function datasetKey(prefix: string, hash: string): string {
  return `${prefix}:dataset:${hash}`;
}

/** Uploads `data` under its hash unless it is already there; either way its TTL starts again. */
export async function uploadDataset(redis: Redis, prefix: string, hash: string, data: MarketData, ttlMs: number): Promise<'uploaded' | 'present'> {
  const key = datasetKey(prefix, hash);
  // PEXPIRE answers 1 only for an existing key (always complete: it is written in one transaction), so one
  // round trip both checks and refreshes.
  if ((await redis.pexpire(key, ttlMs)) === 1) return 'present';
  const { meta, bytes } = packMarketData(data, hash);
  const chunks = Math.max(1, Math.ceil(bytes.length / CHUNK_BYTES));
  const stored: StoredMeta = { ...meta, chunks };
  const tx = redis.multi().del(key);
  for (let i = 0; i < chunks; i++) tx.hset(key, `c${i}`, bytes.subarray(i * CHUNK_BYTES, Math.min(bytes.length, (i + 1) * CHUNK_BYTES)));
  // The meta goes in last, in the same transaction: a reader never sees a meta without all its chunks.
  tx.hset(key, 'meta', JSON.stringify(stored)).pexpire(key, ttlMs);
  const replies = await tx.exec();
  const failed = replies?.find(([e]) => e);
  if (!replies || failed) throw failed?.[0] ?? new Error('the dataset upload transaction was aborted');
  return 'uploaded';
}

/** Fetches, rebuilds and verifies the dataset stored under `hash`. */
export async function fetchDataset(redis: Redis, prefix: string, hash: string): Promise<{ data: MarketData; bytes: number }> {
  const key = datasetKey(prefix, hash);
  const metaText = await redis.hget(key, 'meta');
  if (metaText === null) {
    throw new PlayforgeError('CLUSTER_DATASET_MISSING', `dataset ${hash} is not in Redis (expired, or the coordinator has not uploaded it)`, { path: key });
  }
  const meta = JSON.parse(metaText) as StoredMeta;
  const fields = Array.from({ length: meta.chunks }, (_, i) => `c${i}`);
  const chunks = await redis.hmgetBuffer(key, ...fields);
  if (chunks.some((c) => c === null)) {
    throw new PlayforgeError('CLUSTER_DATASET_MISSING', `dataset ${hash} expired while it was being read`, { path: key });
  }
  const bytes = Buffer.concat(chunks as Buffer[]);
  let data: MarketData;
  try {
    data = unpackMarketData(meta, bytes);
  } catch (e) {
    throw new PlayforgeError('CLUSTER_DATASET_CORRUPT', `dataset ${hash} cannot be read: ${(e as Error).message}`, { path: key });
  }
  const actual = datasetHash(data);
  if (actual !== hash) throw new PlayforgeError('CLUSTER_DATASET_CORRUPT', `dataset ${hash} hashes to ${actual} after the transfer`, { path: key });
  return { data, bytes: bytes.length };
}
