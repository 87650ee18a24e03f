// A worker's datasets, by content hash: each is fetched once (concurrent requests share the fetch) and kept
// in an LRU bounded by bytes. The newest dataset is always kept, even when it alone exceeds the cap.
import type { MarketData } from '../../engine/index.ts';

export interface DatasetCacheStats {
  hits: number;
  fetches: number;
  evictions: number;
  entries: number;
  bytes: number;
  maxBytes: number;
}

export type DatasetFetcher = (hash: string) => Promise<{ data: MarketData; bytes: number }>;

export class DatasetCache {
  private readonly entries = new Map<string, { data: MarketData; bytes: number }>();
  private readonly inFlight = new Map<string, Promise<MarketData>>();
  private bytes = 0;
  private hits = 0;
  private fetches = 0;
  private evictions = 0;

  constructor(
    private readonly fetcher: DatasetFetcher,
    readonly maxBytes: number,
  ) {}

  async get(hash: string): Promise<MarketData> {
    const hit = this.entries.get(hash);
    if (hit) {
      this.hits++;
      // Map keeps insertion order: re-inserting makes this the most recently used.
      this.entries.delete(hash);
      this.entries.set(hash, hit);
      return hit.data;
    }
    const pending = this.inFlight.get(hash);
    if (pending) {
      this.hits++;
      return pending;
    }
    this.fetches++;
    const fetching = this.fetcher(hash)
      .then(({ data, bytes }) => {
        this.store(hash, data, bytes);
        return data;
      })
      .finally(() => this.inFlight.delete(hash));
    this.inFlight.set(hash, fetching);
    return fetching;
  }

  private store(hash: string, data: MarketData, bytes: number): void {
    this.entries.set(hash, { data, bytes });
    this.bytes += bytes;
    for (const [k, e] of this.entries) {
      if (this.bytes <= this.maxBytes || k === hash) break;
      this.entries.delete(k);
      this.bytes -= e.bytes;
      this.evictions++;
    }
  }

  stats(): DatasetCacheStats {
    return { hits: this.hits, fetches: this.fetches, evictions: this.evictions, entries: this.entries.size, bytes: this.bytes, maxBytes: this.maxBytes };
  }
}
