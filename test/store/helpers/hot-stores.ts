// The hot stores the contract tests run against: the in-process one always, Redis when configured. Each
// Redis store gets its own key prefix, and every key under it is deleted afterwards.
import { Redis } from 'ioredis';
import { MemoryHotStore, openHotStore, type HotStore, type StoreLogger } from '../../../src/store/index.ts';
import { redisUrl, uniqueName, withRedis } from './services.ts';

export interface HotStoreCase {
  readonly name: 'memory' | 'redis';
  /** A fresh, empty store. */
  open(logger: StoreLogger): Promise<HotStore>;
  /** A second store on the same data (Redis: same prefix) or undefined where stores cannot share (memory). */
  openSibling(logger: StoreLogger): Promise<HotStore> | undefined;
  dispose(): Promise<void>;
}

function memoryCase(): HotStoreCase {
  return {
    name: 'memory',
    open: async (logger) => new MemoryHotStore({ logger }),
    openSibling: () => undefined,
    dispose: async () => undefined,
  };
}

async function deleteByPrefix(url: string, prefix: string): Promise<void> {
  const admin = new Redis(url, { lazyConnect: true, maxRetriesPerRequest: 1 });
  admin.on('error', () => undefined); // the failing connect() below reports it
  await admin.connect();
  try {
    let cursor = '0';
    do {
      const [next, keys] = await admin.scan(cursor, 'MATCH', `${prefix}*`, 'COUNT', 500);
      if (keys.length > 0) await admin.del(...keys);
      cursor = next;
    } while (cursor !== '0');
  } finally {
    await admin.quit();
  }
}

function redisCase(): HotStoreCase {
  const prefixes: string[] = [];
  const stores: HotStore[] = [];
  let current = '';
  const openWith = async (prefix: string, logger: StoreLogger) => {
    const store = await openHotStore({ redisUrl: redisUrl(), keyPrefix: prefix, logger, env: {} });
    stores.push(store);
    return store;
  };
  return {
    name: 'redis',
    async open(logger) {
      current = `${uniqueName('pf_test')}:`;
      prefixes.push(current);
      return openWith(current, logger);
    },
    openSibling: (logger) => openWith(current, logger),
    async dispose() {
      await Promise.all(stores.map((s) => s.close()));
      for (const prefix of prefixes) await deleteByPrefix(redisUrl(), prefix);
    },
  };
}

export function hotStoreCases(): HotStoreCase[] {
  return withRedis ? [memoryCase(), redisCase()] : [memoryCase()];
}

/** Poll until `check` holds; fails after `limitMs`. For waiting on asynchronous delivery, not for timing. */
export async function eventually(check: () => boolean | Promise<boolean>, what: string, limitMs = 5_000): Promise<void> {
  const deadline = Date.now() + limitMs;
  while (!(await check())) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 5));
  }
}
