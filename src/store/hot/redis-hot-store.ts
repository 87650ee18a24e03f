// The Redis hot store (REDIS_URL): the same interface over ioredis, for several processes sharing state.
// Keys and channels carry an optional prefix, so tests and several deployments can share one server.
import { Redis } from 'ioredis';
import { PlayforgeError } from '../../common/errors.ts';
import { STORE_CLOSED, STORE_CONNECT, STORE_NOT_INTEGER, STORE_QUERY, STORE_WRONG_TYPE } from '../errors.ts';
import type { StoreLogger } from '../logger.ts';
import { redactConnectionUrl, scrubSecret } from '../redact.ts';
import { checkIncrement, checkIndexes, checkNonEmpty, checkTtl } from './checks.ts';
import type { HotStore, MessageHandler, SetOptions, Unsubscribe } from './hot-store.ts';

export interface RedisHotStoreOptions {
  url: string;
  /** Prepended to every key and channel, e.g. `playforge:`. */
  keyPrefix?: string;
  logger: StoreLogger;
}

function connectionOptions() {
  return {
    lazyConnect: true,
    connectTimeout: 5_000,
    // Fail a command after one reconnect attempt rather than queue it forever while the server is away.
    maxRetriesPerRequest: 1,
    retryStrategy: (times: number) => Math.min(times * 200, 2_000),
  };
}

export class RedisHotStore implements HotStore {
  readonly backend = 'redis' as const;
  private readonly client: Redis;
  private subscriber: Promise<Redis> | undefined;
  private readonly handlers = new Map<string, Set<MessageHandler>>();
  private readonly prefix: string;
  private readonly url: string;
  private readonly logger: StoreLogger;
  private closed = false;

  private constructor(client: Redis, options: RedisHotStoreOptions) {
    this.client = client;
    this.prefix = options.keyPrefix ?? '';
    this.url = options.url;
    this.logger = options.logger;
  }

  static async open(options: RedisHotStoreOptions): Promise<RedisHotStore> {
    const client = await connect(options.url, options.logger);
    return new RedisHotStore(client, options);
  }

  private key(key: string): string {
    return this.prefix + key;
  }

  /** Run a command, translating Redis's replies into our error codes. */
  private async run<T>(key: string, command: () => Promise<T>): Promise<T> {
    if (this.closed) throw new PlayforgeError(STORE_CLOSED, 'the hot store is closed');
    try {
      return await command();
    } catch (e) {
      throw this.translate(e, key);
    }
  }

  private translate(e: unknown, key: string): PlayforgeError {
    const message = e instanceof Error ? e.message : String(e);
    if (message.startsWith('WRONGTYPE')) {
      return new PlayforgeError(STORE_WRONG_TYPE, `key "${key}" holds another kind of value`, { path: key }, { cause: e });
    }
    if (message.includes('not an integer') || message.includes('overflow')) {
      return new PlayforgeError(STORE_NOT_INTEGER, `key "${key}" does not hold an integer (or the result is out of range)`, { path: key }, { cause: e });
    }
    const looksLikeConnection = /connection|ECONNREFUSED|ECONNRESET|ETIMEDOUT|max retries|Stream isn't writeable/i.test(message);
    return new PlayforgeError(
      looksLikeConnection ? STORE_CONNECT : STORE_QUERY,
      `Redis at ${redactConnectionUrl(this.url)}: ${scrubSecret(message, this.url)}`,
      { path: key },
    );
  }

  async get(key: string): Promise<string | null> {
    return this.run(key, () => this.client.get(this.key(key)));
  }

  async set(key: string, value: string, options: SetOptions = {}): Promise<void> {
    checkTtl(options.ttlMs);
    const k = this.key(key);
    await this.run(key, () => (options.ttlMs === undefined ? this.client.set(k, value) : this.client.set(k, value, 'PX', options.ttlMs)));
  }

  async delete(key: string): Promise<boolean> {
    return (await this.run(key, () => this.client.del(this.key(key)))) > 0;
  }

  async incr(key: string, by = 1): Promise<number> {
    checkIncrement(by);
    return this.run(key, () => this.client.incrby(this.key(key), by));
  }

  async hget(key: string, field: string): Promise<string | null> {
    return this.run(key, () => this.client.hget(this.key(key), field));
  }

  async hset(key: string, fields: Readonly<Record<string, string>>): Promise<void> {
    checkNonEmpty('hset', Object.keys(fields).length);
    await this.run(key, () => this.client.hset(this.key(key), fields));
  }

  async hdel(key: string, ...fields: string[]): Promise<number> {
    checkNonEmpty('hdel', fields.length);
    return this.run(key, () => this.client.hdel(this.key(key), ...fields));
  }

  async hgetAll(key: string): Promise<Record<string, string>> {
    return this.run(key, () => this.client.hgetall(this.key(key)));
  }

  async push(key: string, ...values: string[]): Promise<number> {
    checkNonEmpty('push', values.length);
    return this.run(key, () => this.client.rpush(this.key(key), ...values));
  }

  async range(key: string, start: number, stop: number): Promise<string[]> {
    checkIndexes(start, stop);
    return this.run(key, () => this.client.lrange(this.key(key), start, stop));
  }

  async trim(key: string, start: number, stop: number): Promise<void> {
    checkIndexes(start, stop);
    await this.run(key, () => this.client.ltrim(this.key(key), start, stop));
  }

  async publish(channel: string, message: string): Promise<void> {
    await this.run(channel, () => this.client.publish(this.key(channel), message));
  }

  /** A second connection, made on first use: a subscribed Redis connection can run nothing else. */
  private subscriberConnection(): Promise<Redis> {
    this.subscriber ??= (async () => {
      const sub = this.client.duplicate();
      sub.on('error', () => undefined); // reported through the command that fails
      await sub.connect();
      sub.on('message', (fullChannel: string, message: string) => this.dispatch(fullChannel, message));
      return sub;
    })();
    return this.subscriber;
  }

  private dispatch(fullChannel: string, message: string): void {
    const channel = fullChannel.slice(this.prefix.length);
    for (const handler of [...(this.handlers.get(fullChannel) ?? [])]) {
      try {
        handler(message, channel);
      } catch (e) {
        this.logger.warn({ channel, error: (e as Error).message }, 'hot store subscriber failed');
      }
    }
  }

  async subscribe(channel: string, handler: MessageHandler): Promise<Unsubscribe> {
    const full = this.key(channel);
    // Each subscription is its own entry, even for the same function, so each unsubscribe removes only itself.
    const own: MessageHandler = (message, ch) => handler(message, ch);
    await this.run(channel, async () => {
      const sub = await this.subscriberConnection();
      const set = this.handlers.get(full) ?? new Set<MessageHandler>();
      set.add(own);
      this.handlers.set(full, set);
      try {
        await sub.subscribe(full);
      } catch (e) {
        set.delete(own);
        throw e;
      }
    });
    return async () => {
      const set = this.handlers.get(full);
      if (!set?.delete(own) || set.size > 0) return;
      this.handlers.delete(full);
      if (this.closed) return;
      await this.run(channel, async () => {
        await (await this.subscriberConnection()).unsubscribe(full);
      });
    };
  }

  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    this.handlers.clear();
    const sub = this.subscriber ? await this.subscriber.catch(() => undefined) : undefined;
    await Promise.all([quit(this.client), sub ? quit(sub) : Promise.resolve()]);
  }
}

async function quit(client: Redis): Promise<void> {
  try {
    await client.quit();
  } catch {
    client.disconnect();
  }
}

async function connect(url: string, logger: StoreLogger): Promise<Redis> {
  const client = new Redis(url, connectionOptions());
  let connected = false;
  let firstError: string | undefined;
  // Without a listener ioredis prints every reconnect error itself; after the first connect we log them,
  // without the password. Before it, the socket's error (ECONNREFUSED, ...) says more than connect()'s
  // "Connection is closed", so it is kept for the message.
  client.on('error', (e: Error) => {
    if (connected) logger.warn({ server: redactConnectionUrl(url), reason: scrubSecret(e.message, url) }, 'Redis connection error');
    else firstError ??= e.message;
  });
  try {
    await client.connect();
    await client.ping();
    connected = true;
    return client;
  } catch (e) {
    client.disconnect();
    const reason = scrubSecret(firstError ?? (e instanceof Error ? e.message : String(e)), url);
    throw new PlayforgeError(STORE_CONNECT, `cannot connect to Redis at ${redactConnectionUrl(url)}: ${reason} (is it running? try redis-cli ping, or unset REDIS_URL for the in-process store)`);
  }
}
