import { describe, expect, it } from 'vitest';
import { defineLazy } from '../../src/common/index.ts';

describe('defineLazy', () => {
  it('defines own enumerable properties read from the source on every read', () => {
    const reads: string[] = [];
    const o = defineLazy({ a: 1 } as Record<string, unknown>, ['b', 'c'], (k) => (reads.push(k), `${k}!`));
    expect(reads).toEqual([]);
    expect(Object.keys(o)).toEqual(['a', 'b', 'c']);
    expect(o.b).toBe('b!');
    expect({ ...o }).toEqual({ a: 1, b: 'b!', c: 'c!' });
    expect(JSON.parse(JSON.stringify(o))).toEqual({ a: 1, b: 'b!', c: 'c!' });
    expect(reads).toEqual(['b', 'b', 'c', 'b', 'c']);
  });

  it('gives every object the same getter per key (so V8 shares their hidden classes)', () => {
    const x = defineLazy({}, ['k'], () => 1), y = defineLazy({}, ['k'], () => 2);
    expect(Object.getOwnPropertyDescriptor(x, 'k')!.get).toBe(Object.getOwnPropertyDescriptor(y, 'k')!.get);
    expect([(x as { k: number }).k, (y as { k: number }).k]).toEqual([1, 2]);
  });

  it('refuses a second source on the same object', () => {
    const o = defineLazy({}, ['a'], () => 1);
    expect(() => defineLazy(o, ['b'], () => 2)).toThrow(TypeError);
  });
});
