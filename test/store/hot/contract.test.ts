// One contract for every HotStore: the same cases run against the in-process store and against Redis.
import { afterAll, beforeEach, describe, expect, it } from 'vitest';
import { getJson, setJson, type HotStore } from '../../../src/store/index.ts';
import { eventually, hotStoreCases } from '../helpers/hot-stores.ts';
import { recordingLogger, type LogLine } from '../helpers/services.ts';

for (const hot of hotStoreCases()) {
  describe(`HotStore contract: ${hot.name}`, () => {
    let store: HotStore;
    let lines: LogLine[];

    beforeEach(async () => {
      const recorder = recordingLogger();
      lines = recorder.lines;
      store = await hot.open(recorder.logger);
    });
    afterAll(() => hot.dispose());

    it('gets, sets, overwrites and deletes strings', async () => {
      expect(store.backend).toBe(hot.name);
      expect(await store.get('k')).toBeNull();
      await store.set('k', 'v1');
      await store.set('k', 'v2');
      expect(await store.get('k')).toBe('v2');
      expect(await store.delete('k')).toBe(true);
      expect(await store.delete('k')).toBe(false);
      expect(await store.get('k')).toBeNull();
      await store.set('empty', '');
      expect(await store.get('empty')).toBe('');
    });

    it('expires a key after its TTL, and a plain set clears the TTL', async () => {
      await store.set('short', 'x', { ttlMs: 30 });
      await store.set('long', 'y', { ttlMs: 60_000 });
      await store.set('cleared', 'z', { ttlMs: 30 });
      await store.set('cleared', 'z2');
      await eventually(async () => (await store.get('short')) === null, 'the short TTL to expire');
      expect(await store.get('long')).toBe('y');
      expect(await store.get('cleared')).toBe('z2');
      expect(await store.delete('short')).toBe(false);
      await expect(store.set('bad', 'x', { ttlMs: 0 })).rejects.toMatchObject({ code: 'STORE_INVALID' });
      await expect(store.set('bad', 'x', { ttlMs: 1.5 })).rejects.toMatchObject({ code: 'STORE_INVALID' });
    });

    it('increments atomically, keeping the TTL, and refuses what is not an integer', async () => {
      expect(await store.incr('n')).toBe(1);
      expect(await store.incr('n', 5)).toBe(6);
      expect(await store.incr('n', -10)).toBe(-4);
      expect(await store.get('n')).toBe('-4');
      const results = await Promise.all(Array.from({ length: 20 }, () => store.incr('race')));
      expect(new Set(results).size).toBe(20);
      expect(await store.get('race')).toBe('20');
      await store.set('text', 'abc');
      await expect(store.incr('text')).rejects.toMatchObject({ code: 'STORE_NOT_INTEGER' });
      await store.set('decimal', '1.5');
      await expect(store.incr('decimal')).rejects.toMatchObject({ code: 'STORE_NOT_INTEGER' });
      await expect(store.incr('n', 0.5)).rejects.toMatchObject({ code: 'STORE_INVALID' });
      await store.set('ttl-counter', '1', { ttlMs: 40 });
      expect(await store.incr('ttl-counter')).toBe(2);
      await eventually(async () => (await store.get('ttl-counter')) === null, 'the counter to expire with its TTL');
    });

    it('keeps hashes field by field', async () => {
      expect(await store.hgetAll('pos')).toEqual({});
      await store.hset('pos', { side: 'long', qty: '0.5' });
      await store.hset('pos', { qty: '0.75', entry: '65000' });
      expect(await store.hget('pos', 'qty')).toBe('0.75');
      expect(await store.hget('pos', 'missing')).toBeNull();
      expect(await store.hgetAll('pos')).toEqual({ side: 'long', qty: '0.75', entry: '65000' });
      expect(await store.hdel('pos', 'side', 'nope')).toBe(1);
      expect(await store.hdel('pos', 'qty', 'entry')).toBe(2);
      expect(await store.hgetAll('pos')).toEqual({});
      expect(await store.delete('pos')).toBe(false); // an emptied hash is gone
      await expect(store.hset('pos', {})).rejects.toMatchObject({ code: 'STORE_INVALID' });
    });

    it('appends to lists and reads and trims them with Redis indexing', async () => {
      expect(await store.range('sig', 0, -1)).toEqual([]);
      expect(await store.push('sig', 'a', 'b')).toBe(2);
      expect(await store.push('sig', 'c', 'd', 'e')).toBe(5);
      expect(await store.range('sig', 0, -1)).toEqual(['a', 'b', 'c', 'd', 'e']);
      expect(await store.range('sig', -2, -1)).toEqual(['d', 'e']);
      expect(await store.range('sig', 1, 2)).toEqual(['b', 'c']);
      expect(await store.range('sig', 3, 100)).toEqual(['d', 'e']);
      expect(await store.range('sig', -100, 0)).toEqual(['a']);
      expect(await store.range('sig', 4, 2)).toEqual([]);
      expect(await store.range('sig', 9, 12)).toEqual([]);
      await store.trim('sig', -3, -1);
      expect(await store.range('sig', 0, -1)).toEqual(['c', 'd', 'e']);
      await store.trim('sig', 5, 10);
      expect(await store.delete('sig')).toBe(false); // an emptied list is gone
      await expect(store.push('sig')).rejects.toMatchObject({ code: 'STORE_INVALID' });
      await expect(store.range('sig', 0.5, 1)).rejects.toMatchObject({ code: 'STORE_INVALID' });
    });

    it('refuses an operation on a key of another kind, and set replaces any kind', async () => {
      await store.set('s', 'x');
      await store.hset('h', { f: 'v' });
      await store.push('l', 'x');
      await expect(store.hget('s', 'f')).rejects.toMatchObject({ code: 'STORE_WRONG_TYPE' });
      await expect(store.push('h', 'x')).rejects.toMatchObject({ code: 'STORE_WRONG_TYPE' });
      await expect(store.get('l')).rejects.toMatchObject({ code: 'STORE_WRONG_TYPE' });
      await expect(store.incr('h')).rejects.toMatchObject({ code: 'STORE_WRONG_TYPE' });
      await expect(store.range('s', 0, -1)).rejects.toMatchObject({ code: 'STORE_WRONG_TYPE' });
      await store.set('h', 'now a string');
      expect(await store.get('h')).toBe('now a string');
      expect(await store.delete('l')).toBe(true);
    });

    it('delivers published messages in order to current subscribers only', async () => {
      const a: string[] = [];
      const b: [string, string][] = [];
      const other: string[] = [];
      const stopA = await store.subscribe('signals', (m) => a.push(m));
      const stopB = await store.subscribe('signals', (m, ch) => b.push([m, ch]));
      const stopOther = await store.subscribe('other', (m) => other.push(m));
      for (const m of ['1', '2', '3']) await store.publish('signals', m);
      await eventually(() => b.length === 3, 'three messages');
      expect(b).toEqual([['1', 'signals'], ['2', 'signals'], ['3', 'signals']]);
      expect(a).toEqual(['1', '2', '3']);
      await stopA();
      await stopA();
      await store.publish('signals', '4');
      // B receiving 4 means delivery of 4 is over: A, unsubscribed, must not have it.
      await eventually(() => b.length === 4, 'the fourth message');
      expect(a).toEqual(['1', '2', '3']);
      expect(other).toEqual([]);
      await Promise.all([stopB(), stopOther()]);
    });

    it('keeps delivering when one subscriber throws, and logs the failure', async () => {
      const got: string[] = [];
      await store.subscribe('c', () => {
        throw new Error('handler bug');
      });
      await store.subscribe('c', (m) => got.push(m));
      await store.publish('c', 'hello');
      await eventually(() => got.length === 1, 'the message');
      await eventually(() => lines.some((l) => l.level === 'warn' && l.fields.error === 'handler bug'), 'the failure to be logged');
    });

    it('stores JSON values', async () => {
      await setJson(store, 'state', { trend: 'trending_up', bars: [1, 2] });
      expect(await getJson(store, 'state')).toEqual({ trend: 'trending_up', bars: [1, 2] });
      expect(await getJson(store, 'missing')).toBeNull();
      await store.set('broken', '{');
      await expect(getJson(store, 'broken')).rejects.toMatchObject({ code: 'STORE_INVALID' });
    });

    it('refuses use after close', async () => {
      await store.close();
      await expect(store.get('k')).rejects.toMatchObject({ code: 'STORE_CLOSED' });
      await expect(store.publish('c', 'x')).rejects.toMatchObject({ code: 'STORE_CLOSED' });
      await store.close();
    });

    it('shares state and messages between two stores on the same server', async (context) => {
      const sibling = hot.openSibling(recordingLogger().logger);
      if (!sibling) {
        // Two in-process stores share nothing by design: each is private to its instance.
        const other = await hot.open(recordingLogger().logger);
        await store.set('k', 'mine');
        expect(await other.get('k')).toBeNull();
        return;
      }
      const second = await sibling;
      context.onTestFinished(() => second.close());
      await store.set('k', 'shared');
      expect(await second.get('k')).toBe('shared');
      const got: string[] = [];
      await second.subscribe('fanout', (m) => got.push(m));
      await store.publish('fanout', 'from-first');
      await eventually(() => got.length === 1, 'a message across connections');
      expect(got).toEqual(['from-first']);
    });
  });
}
