import { describe, expect, it } from 'vitest';
import { createRng } from '../../src/common/rng.ts';

describe('createRng', () => {
  it('is reproducible for a seed and differs across seeds', () => {
    const a = createRng(42), b = createRng(42), c = createRng(43);
    const xs = Array.from({ length: 5 }, () => a.next());
    expect(Array.from({ length: 5 }, () => b.next())).toEqual(xs);
    expect(Array.from({ length: 5 }, () => c.next())).not.toEqual(xs);
  });

  it('draws uniform values in [0,1) with the right mean, and normals with mean 0 and sd 1', () => {
    const r = createRng(7);
    const n = 20000;
    let sum = 0, s1 = 0, s2 = 0;
    for (let i = 0; i < n; i++) {
      const u = r.next();
      expect(u).toBeGreaterThanOrEqual(0);
      expect(u).toBeLessThan(1);
      sum += u;
      const z = r.normal();
      s1 += z;
      s2 += z * z;
    }
    expect(sum / n).toBeCloseTo(0.5, 1);
    expect(s1 / n).toBeCloseTo(0, 1);
    expect(Math.sqrt(s2 / n)).toBeCloseTo(1, 1);
  });
});
