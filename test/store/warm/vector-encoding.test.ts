// Embedding encoding for each storage mode (no database needed).
import { describe, expect, it } from 'vitest';
import { createVectors } from '../../../src/store/index.ts';

describe('vector encoding', () => {
  it('encodes for pgvector as its text form and for real[] as an array, and decodes both back', () => {
    const pgv = createVectors({ mode: 'pgvector', dimensions: 3 });
    const arr = createVectors({ mode: 'array', dimensions: 3 });
    expect(pgv.encode(new Float32Array([0.5, -1, 2]))).toBe('[0.5,-1,2]');
    expect(arr.encode(new Float32Array([0.5, -1, 2]))).toEqual([0.5, -1, 2]);
    expect(pgv.param(2)).toBe('$2::vector');
    expect(arr.param(2)).toBe('$2::real[]');
    expect(pgv.decode('[0.5,-1,2]')).toEqual([0.5, -1, 2]);
    expect(arr.decode([0.5, -1, 2])).toEqual([0.5, -1, 2]);
    expect(pgv.decode(null)).toBeNull();
    expect(pgv.distanceSql('c.e', '$1::vector')).toBe('(c.e <=> $1::vector)');
    expect(arr.distanceSql('c.e', '$1::real[]')).toContain('unnest(c.e, $1::real[])');
  });
});
