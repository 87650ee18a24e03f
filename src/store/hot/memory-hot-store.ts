// The in-process hot store (the default): one process, no server. Same semantics as Redis for everything the
// HotStore interface offers, including wrong-type errors and lazy expiry.
import { PlayforgeError } from '../../common/errors.ts';
import { STORE_CLOSED, STORE_NOT_INTEGER, STORE_WRONG_TYPE } from '../errors.ts';
import { defaultStoreLogger, type StoreLogger } from '../logger.ts';
import { checkIncrement, checkIndexes, checkNonEmpty, checkTtl, sliceBounds } from './checks.ts';
import type { HotStore, MessageHandler, SetOptions, Unsubscribe } from './hot-store.ts';

type Entry =
  | { kind: 'string'; value: string; expiresAt?: number }
  | { kind: 'hash'; value: Map<string, string>; expiresAt?: number }
  | { kind: 'list'; value: string[]; expiresAt?: number };
type Kind = Entry['kind'];
type EntryOf<K extends Kind> = Extract<Entry, { kind: K }>;

export interface MemoryHotStoreOptions {
  /** Clock in milliseconds; tests pass their own to check expiry without waiting. */
  now?: () => number;
  logger?: StoreLogger;
}

// Expired keys are dropped when touched, and swept every so many writes so keys nobody reads again
// (signals with a TTL) do not pile up.
const SWEEP_EVERY_WRITES = 1024;
const INTEGER_TEXT = /^(0|-?[1-9][0-9]*)$/;

/** Drop every expired entry; returns how many went. */
export function sweepExpired(entries: Map<string, { expiresAt?: number }>, now: number): number {
  let dropped = 0;
  for (const [key, entry] of entries) {
    if (entry.expiresAt !== undefined && entry.expiresAt <= now) {
      entries.delete(key);
      dropped += 1;
    }
  }
  return dropped;
}

interface Subscription {
  handler: MessageHandler;
  active: boolean;
}

export class MemoryHotStore implements HotStore {
  readonly backend = 'memory' as const;
  private readonly entries = new Map<string, Entry>();
  private readonly channels = new Map<string, Set<Subscription>>();
  private readonly now: () => number;
  private readonly logger: StoreLogger;
  private writes = 0;
  private closed = false;

  constructor(options: MemoryHotStoreOptions = {}) {
    this.now = options.now ?? Date.now;
    this.logger = options.logger ?? defaultStoreLogger();
  }

  private open(): void {
    if (this.closed) throw new PlayforgeError(STORE_CLOSED, 'the hot store is closed');
  }

  private live(key: string): Entry | undefined {
    const entry = this.entries.get(key);
    if (entry?.expiresAt !== undefined && entry.expiresAt <= this.now()) {
      this.entries.delete(key);
      return undefined;
    }
    return entry;
  }

  private typed<K extends Kind>(key: string, kind: K): EntryOf<K> | undefined {
    const entry = this.live(key);
    if (entry && entry.kind !== kind) {
      throw new PlayforgeError(STORE_WRONG_TYPE, `key "${key}" holds a ${entry.kind}, not a ${kind}`, { path: key });
    }
    return entry as EntryOf<K> | undefined;
  }

  private wrote(): void {
    this.writes += 1;
    if (this.writes % SWEEP_EVERY_WRITES === 0) sweepExpired(this.entries, this.now());
  }

  async get(key: string): Promise<string | null> {
    this.open();
    return this.typed(key, 'string')?.value ?? null;
  }

  async set(key: string, value: string, options: SetOptions = {}): Promise<void> {
    this.open();
    checkTtl(options.ttlMs);
    const expiresAt = options.ttlMs === undefined ? undefined : this.now() + options.ttlMs;
    this.entries.set(key, { kind: 'string', value, expiresAt });
    this.wrote();
  }

  async delete(key: string): Promise<boolean> {
    this.open();
    const existed = this.live(key) !== undefined;
    this.entries.delete(key);
    return existed;
  }

  async incr(key: string, by = 1): Promise<number> {
    this.open();
    checkIncrement(by);
    const entry = this.typed(key, 'string');
    const current = entry?.value ?? '0';
    const next = Number(current) + by;
    if (!INTEGER_TEXT.test(current) || !Number.isSafeInteger(Number(current)) || !Number.isSafeInteger(next)) {
      throw new PlayforgeError(STORE_NOT_INTEGER, `key "${key}" does not hold an integer (or the result is out of range)`, { path: key });
    }
    this.entries.set(key, { kind: 'string', value: String(next), expiresAt: entry?.expiresAt });
    this.wrote();
    return next;
  }

  async hget(key: string, field: string): Promise<string | null> {
    this.open();
    return this.typed(key, 'hash')?.value.get(field) ?? null;
  }

  async hset(key: string, fields: Readonly<Record<string, string>>): Promise<void> {
    this.open();
    const pairs = Object.entries(fields);
    checkNonEmpty('hset', pairs.length);
    const entry = this.typed(key, 'hash') ?? { kind: 'hash' as const, value: new Map<string, string>() };
    for (const [field, value] of pairs) entry.value.set(field, value);
    this.entries.set(key, entry);
    this.wrote();
  }

  async hdel(key: string, ...fields: string[]): Promise<number> {
    this.open();
    checkNonEmpty('hdel', fields.length);
    const entry = this.typed(key, 'hash');
    if (!entry) return 0;
    let removed = 0;
    for (const field of new Set(fields)) if (entry.value.delete(field)) removed += 1;
    if (entry.value.size === 0) this.entries.delete(key);
    return removed;
  }

  async hgetAll(key: string): Promise<Record<string, string>> {
    this.open();
    return Object.fromEntries(this.typed(key, 'hash')?.value ?? []);
  }

  async push(key: string, ...values: string[]): Promise<number> {
    this.open();
    checkNonEmpty('push', values.length);
    const entry = this.typed(key, 'list') ?? { kind: 'list' as const, value: [] };
    entry.value.push(...values);
    this.entries.set(key, entry);
    this.wrote();
    return entry.value.length;
  }

  async range(key: string, start: number, stop: number): Promise<string[]> {
    this.open();
    checkIndexes(start, stop);
    const list = this.typed(key, 'list')?.value ?? [];
    const [from, to] = sliceBounds(list.length, start, stop);
    return list.slice(from, to);
  }

  async trim(key: string, start: number, stop: number): Promise<void> {
    this.open();
    checkIndexes(start, stop);
    const entry = this.typed(key, 'list');
    if (!entry) return;
    const [from, to] = sliceBounds(entry.value.length, start, stop);
    entry.value = entry.value.slice(from, to);
    if (entry.value.length === 0) this.entries.delete(key);
  }

  async publish(channel: string, message: string): Promise<void> {
    this.open();
    for (const sub of this.channels.get(channel) ?? []) {
      // Later, like a message from a server: never inside the publisher's call stack.
      queueMicrotask(() => {
        if (!sub.active || this.closed) return;
        try {
          sub.handler(message, channel);
        } catch (e) {
          this.logger.warn({ channel, error: (e as Error).message }, 'hot store subscriber failed');
        }
      });
    }
  }

  async subscribe(channel: string, handler: MessageHandler): Promise<Unsubscribe> {
    this.open();
    const sub: Subscription = { handler, active: true };
    const subs = this.channels.get(channel) ?? new Set<Subscription>();
    subs.add(sub);
    this.channels.set(channel, subs);
    return async () => {
      sub.active = false;
      subs.delete(sub);
      if (subs.size === 0 && this.channels.get(channel) === subs) this.channels.delete(channel);
    };
  }

  async close(): Promise<void> {
    this.closed = true;
    this.entries.clear();
    this.channels.clear();
  }
}
