// The hot store: small, fast, shared state for the live side (positions, live signals, structure state).
// Redis semantics, because Redis is one of the two implementations: string values, hashes, lists, counters,
// TTLs and pub/sub. The in-process implementation follows the same rules (the contract tests hold both to
// them), so code written against one behaves the same on the other.

/** Stop receiving a subscription's messages. Safe to call twice. */
export type Unsubscribe = () => Promise<void>;

export type MessageHandler = (message: string, channel: string) => void;

export interface SetOptions {
  /** Expire the key after this many milliseconds (a positive integer). Without it, set() clears any TTL. */
  ttlMs?: number;
}

export type HotBackend = 'memory' | 'redis';

export interface HotStore {
  readonly backend: HotBackend;

  get(key: string): Promise<string | null>;
  set(key: string, value: string, options?: SetOptions): Promise<void>;
  /** Delete a key of any kind; true when it existed. */
  delete(key: string): Promise<boolean>;
  /** Add `by` (an integer, default 1) to an integer string value, starting from 0; keeps the key's TTL. */
  incr(key: string, by?: number): Promise<number>;

  hget(key: string, field: string): Promise<string | null>;
  /** Set one or more fields; other fields stay. */
  hset(key: string, fields: Readonly<Record<string, string>>): Promise<void>;
  /** Remove fields; returns how many existed. A hash left empty disappears. */
  hdel(key: string, ...fields: string[]): Promise<number>;
  hgetAll(key: string): Promise<Record<string, string>>;

  /** Append to the end of a list; returns its new length. */
  push(key: string, ...values: string[]): Promise<number>;
  /** Elements start..stop, both inclusive; negative indexes count from the end (-1 is the last). */
  range(key: string, start: number, stop: number): Promise<string[]>;
  /** Keep only elements start..stop (same indexing as range); a list left empty disappears. */
  trim(key: string, start: number, stop: number): Promise<void>;

  /** Deliver `message` to the channel's current subscribers, asynchronously. */
  publish(channel: string, message: string): Promise<void>;
  /** Resolves once subscribed: a message published after that is delivered. A throwing handler is logged, not fatal. */
  subscribe(channel: string, handler: MessageHandler): Promise<Unsubscribe>;

  close(): Promise<void>;
}
