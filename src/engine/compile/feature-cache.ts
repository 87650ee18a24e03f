// Computed columns shared between compilations: an LRU of typed-array bundles with a byte cap, keyed by
// canonical text (dataset identity, timeframe, indicator or structure type, canonical params, source), so a
// population of play variants computes each feature once.
import type { SharedConditions } from './conditions/vector.ts';
import { toSmallCodes } from './small-codes.ts';

/** One cached value: an object of named typed arrays (a feature's outputs, a structure's fields, candles, an alignment map). */
export type CacheEntry = object;

export interface FeatureCacheStats {
  hits: number;
  misses: number;
  evictions: number;
  entries: number;
  bytes: number;
  maxBytes: number;
}

export const DEFAULT_CACHE_BYTES = 512 * 1024 * 1024;

/** Comparison keys remembered as requested once (cleared when full: it only decides what is worth keeping). */
const MAX_REQUESTED = 100_000;

function bytesOf(entry: CacheEntry): number {
  let total = 0;
  // What the views cover (candles' six columns share one buffer and cover it exactly).
  for (const v of Object.values(entry)) if (ArrayBuffer.isView(v)) total += v.byteLength;
  return total;
}

/** Canonical JSON: object keys sorted at every level, so equal params give equal keys whatever their order. */
export function canonicalKey(value: unknown): string {
  return JSON.stringify(sortKeys(value));
}

function sortKeys(v: unknown): unknown {
  if (Array.isArray(v)) return v.map(sortKeys);
  if (v !== null && typeof v === 'object') {
    const out: Record<string, unknown> = {};
    for (const k of Object.keys(v as Record<string, unknown>).sort()) out[k] = sortKeys((v as Record<string, unknown>)[k]);
    return out;
  }
  return v;
}

export class FeatureCache implements SharedConditions {
  readonly maxBytes: number;
  private readonly map = new Map<string, { value: CacheEntry; bytes: number }>();
  /** Identity of data arrays (candles, funding): the same object gets the same id for the cache's lifetime. */
  private readonly ids = new WeakMap<object, string>();
  private nextId = 1;
  private bytes = 0;
  private hits = 0;
  private misses = 0;
  private evictions = 0;
  private lastFilled?: { col: Float64Array; value: number };
  private lastZeros?: Uint8Array;
  private codes = new WeakMap<Float64Array, Int8Array | null>();
  /** Comparison column keys asked for once and not kept yet (see condition). */
  private requested = new Set<string>();

  constructor(opts: { maxBytes?: number } = {}) {
    this.maxBytes = opts.maxBytes ?? DEFAULT_CACHE_BYTES;
  }

  /**
   * A stable id for a data object (by identity) and its length: columns computed from the same arrays share
   * keys, and arrays that grow in place (live trading appends bars) get a new key with every new length.
   */
  idOf(data: { length: number }): string {
    let id = this.ids.get(data);
    if (id === undefined) {
      id = `d${this.nextId++}`;
      this.ids.set(data, id);
    }
    return `${id}:${data.length}`;
  }

  get<T extends CacheEntry>(key: string): T | undefined {
    const hit = this.map.get(key);
    if (!hit) return undefined;
    // Re-insert: Map keeps insertion order, so the first key is always the least recently used.
    this.map.delete(key);
    this.map.set(key, hit);
    return hit.value as T;
  }

  set(key: string, value: CacheEntry): void {
    const old = this.map.get(key);
    if (old) {
      this.bytes -= old.bytes;
      this.map.delete(key);
    }
    const bytes = bytesOf(value);
    if (bytes > this.maxBytes) return; // larger than the whole cache: computed, used, not kept
    this.map.set(key, { value, bytes });
    this.bytes += bytes;
    for (const [k, e] of this.map) {
      if (this.bytes <= this.maxBytes) break;
      this.map.delete(k);
      this.bytes -= e.bytes;
      this.evictions++;
    }
  }

  /** The cached value for `key`, or `compute()`'s result (stored). Counts a hit or a miss. */
  getOrCompute<T extends CacheEntry>(key: string, compute: () => T): T {
    const hit = this.get<T>(key);
    if (hit) {
      this.hits++;
      return hit;
    }
    this.misses++;
    const value = compute();
    this.set(key, value);
    return value;
  }

  /**
   * A read-only column of `n` copies of `value` (the exit percents' all-100 column), shared by the compilations
   * of one length instead of filled per compilation. Only the last one is kept, outside the LRU: a population
   * runs on one length, and a live series that grows by a bar simply gets a new one.
   */
  filled(n: number, value: number): Float64Array {
    const f = this.lastFilled;
    if (f && f.col.length === n && Object.is(f.value, value)) return f.col;
    const col = new Float64Array(n).fill(value);
    this.lastFilled = { col, value };
    return col;
  }

  /**
   * The column as one byte per bar (small-codes.ts) when every defined value is an integer in [-127, 127]
   * (ENUM codes, BOOL, INT fields such as a bias); null when it is not such a column. Equality tests on a structure's state then read 1 byte per bar instead of 8, and a population
   * converts each shared column once. Kept per column object (weakly: it goes with the column).
   */
  smallCodes(col: Float64Array): Int8Array | null {
    let codes = this.codes.get(col);
    if (codes === undefined) {
      codes = toSmallCodes(col);
      this.codes.set(col, codes);
    }
    return codes;
  }

  /** A stable id of a column: its identity and length (see idOf). */
  columnId(col: Float64Array): string {
    return this.idOf(col);
  }

  /**
   * A comparison's 0/1 column shared by the compilations of a population (VectorEvaluator's SharedConditions):
   * kept from its second request on, so a column only one variant reads (each EMA pair of a generation)
   * never pushes feature columns out of the LRU. Undefined on a key's first request: the caller computes it
   * as its own. Not counted in hits and misses (those count features).
   */
  condition(key: string, compute: () => Uint8Array): Uint8Array | undefined {
    const k = `cond:${key}`;
    const hit = this.get<{ col: Uint8Array }>(k);
    if (hit) return hit.col;
    if (!this.requested.has(k)) {
      if (this.requested.size >= MAX_REQUESTED) this.requested.clear();
      this.requested.add(k);
      return undefined;
    }
    this.requested.delete(k);
    const col = compute();
    this.set(k, { col });
    return col;
  }

  /** A read-only all-zero byte column of length `n` (the signal of an action nothing emits), kept like `filled`. */
  zeros(n: number): Uint8Array {
    if (this.lastZeros?.length !== n) this.lastZeros = new Uint8Array(n);
    return this.lastZeros;
  }

  has(key: string): boolean {
    return this.map.has(key);
  }

  stats(): FeatureCacheStats {
    return { hits: this.hits, misses: this.misses, evictions: this.evictions, entries: this.map.size, bytes: this.bytes, maxBytes: this.maxBytes };
  }

  clear(): void {
    this.map.clear();
    this.bytes = 0;
    this.lastFilled = undefined;
    this.lastZeros = undefined;
    this.codes = new WeakMap();
    this.requested.clear();
  }
}
