// What only the in-process store can show exactly: expiry against a controlled clock, and the sweep.
import { describe, expect, it } from 'vitest';
import { MemoryHotStore } from '../../../src/store/index.ts';
import { sweepExpired } from '../../../src/store/hot/memory-hot-store.ts';
import { recordingLogger } from '../helpers/services.ts';

describe('MemoryHotStore', () => {
  it('expires a key exactly at its TTL, for every kind of value', async () => {
    let now = 1_000;
    const store = new MemoryHotStore({ now: () => now, logger: recordingLogger().logger });
    await store.set('s', 'x', { ttlMs: 500 });
    await store.incr('s2');
    await store.set('n', '1', { ttlMs: 500 });
    now = 1_499;
    expect(await store.get('s')).toBe('x');
    expect(await store.incr('n')).toBe(2); // keeps the original deadline
    now = 1_500;
    expect(await store.get('s')).toBeNull();
    expect(await store.get('n')).toBeNull();
    expect(await store.get('s2')).toBe('1');
    // An expired key is gone for every operation, including one of another kind.
    await store.set('h', 'string', { ttlMs: 1 });
    now = 1_501;
    await store.hset('h', { f: 'v' });
    expect(await store.hgetAll('h')).toEqual({ f: 'v' });
  });

  it('sweeps expired entries that nobody reads', () => {
    const entries = new Map<string, { expiresAt?: number }>([
      ['gone', { expiresAt: 10 }],
      ['edge', { expiresAt: 20 }],
      ['stays', { expiresAt: 21 }],
      ['forever', {}],
    ]);
    expect(sweepExpired(entries, 20)).toBe(2);
    expect([...entries.keys()]).toEqual(['stays', 'forever']);
  });

  it('never calls a subscriber inside publish', async () => {
    const store = new MemoryHotStore({ logger: recordingLogger().logger });
    const got: string[] = [];
    await store.subscribe('c', (m) => got.push(m));
    const published = store.publish('c', 'x');
    expect(got).toEqual([]);
    await published;
    await Promise.resolve();
    expect(got).toEqual(['x']);
  });
});
