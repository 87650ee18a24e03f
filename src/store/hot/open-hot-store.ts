// openHotStore: in-process by default, Redis when REDIS_URL (or the redisUrl option) is set.
import { defaultStoreLogger, type StoreLogger } from '../logger.ts';
import type { HotStore } from './hot-store.ts';
import { MemoryHotStore } from './memory-hot-store.ts';
import { RedisHotStore } from './redis-hot-store.ts';

export interface HotStoreOptions {
  /** A Redis server; default: REDIS_URL. When neither is set, the in-process store. */
  redisUrl?: string;
  /** Redis only: prefix for every key and channel (an in-process store is private to its instance anyway). */
  keyPrefix?: string;
  logger?: StoreLogger;
  env?: NodeJS.ProcessEnv;
}

export async function openHotStore(options: HotStoreOptions = {}): Promise<HotStore> {
  const env = options.env ?? process.env;
  const logger = options.logger ?? defaultStoreLogger();
  const url = options.redisUrl || env.REDIS_URL || undefined;
  if (!url) return new MemoryHotStore({ logger });
  return RedisHotStore.open({ url, keyPrefix: options.keyPrefix, logger });
}
