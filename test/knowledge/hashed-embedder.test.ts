// The offline embedder: a pure function of the text (same vector every run and on every machine), unit
// length, and texts about the same thing closer than texts about different things.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { murmur3 } from '../../src/knowledge/embed/murmur3.ts';
import { HashedNgramEmbedder, createEmbedder } from '../../src/knowledge/index.ts';

/** Reference MurmurHash3 x86 32 over bytes, written from the algorithm's description. */
function murmur3Bytes(bytes: Uint8Array, seed: number): number {
  const c1 = 0xcc9e2d51, c2 = 0x1b873593;
  let h = seed >>> 0;
  const blocks = Math.floor(bytes.length / 4);
  const mixK = (k: number): number => Math.imul(((Math.imul(k, c1) << 15) | (Math.imul(k, c1) >>> 17)), c2);
  for (let b = 0; b < blocks; b++) {
    const i = b * 4;
    const k = bytes[i] | (bytes[i + 1] << 8) | (bytes[i + 2] << 16) | (bytes[i + 3] << 24);
    h ^= mixK(k);
    h = (h << 13) | (h >>> 19);
    h = (Math.imul(h, 5) + 0xe6546b64) | 0;
  }
  const tail = blocks * 4;
  const rest = bytes.length & 3;
  if (rest > 0) {
    let k = 0;
    if (rest === 3) k ^= bytes[tail + 2] << 16;
    if (rest >= 2) k ^= bytes[tail + 1] << 8;
    k ^= bytes[tail];
    h ^= mixK(k);
  }
  h ^= bytes.length;
  h ^= h >>> 16;
  h = Math.imul(h, 0x85ebca6b);
  h ^= h >>> 13;
  h = Math.imul(h, 0xc2b2ae35);
  h ^= h >>> 16;
  return h >>> 0;
}

/** Any UTF-16 code units, lone surrogates included. */
const codeUnits = fc.array(fc.integer({ min: 0, max: 0xffff }), { maxLength: 40 }).map((units) => String.fromCharCode(...units));
const utf16le = (s: string): Uint8Array => new Uint8Array(Buffer.from(s, 'utf16le'));
const cosine = (a: Float32Array, b: Float32Array): number => a.reduce((acc, v, i) => acc + v * b[i], 0);
const norm = (a: Float32Array): number => Math.sqrt(a.reduce((acc, v) => acc + v * v, 0));

describe('murmur3', () => {
  it('the byte reference matches published MurmurHash3_x86_32 values', () => {
    const ascii = (s: string): Uint8Array => new Uint8Array(Buffer.from(s, 'latin1'));
    expect(murmur3Bytes(ascii(''), 0)).toBe(0);
    expect(murmur3Bytes(ascii(''), 1)).toBe(0x514e28b7);
    expect(murmur3Bytes(ascii('test'), 0)).toBe(0xba6bd213);
    expect(murmur3Bytes(ascii('Hello, world!'), 1234)).toBe(0xfaf6cdb3);
    expect(murmur3Bytes(ascii('The quick brown fox jumps over the lazy dog'), 0x9747b28c)).toBe(0x2fa826cd);
  });

  it('hashes a string as MurmurHash3 of its UTF-16LE bytes', () => {
    fc.assert(
      fc.property(codeUnits, fc.integer({ min: 0, max: 0xffffffff }), (s, seed) => murmur3(s, seed) === murmur3Bytes(utf16le(s), seed)),
      { numRuns: 200, seed: 11 },
    );
  });
});

describe('HashedNgramEmbedder', () => {
  const embedder = new HashedNgramEmbedder();

  it('is the default embedder: 384 dimensions, named for its features, length and seed', () => {
    expect(createEmbedder()).toBeInstanceOf(HashedNgramEmbedder);
    expect(embedder.dimensions).toBe(384);
    expect(embedder.name).toBe('hashed-ngram-v2-d384-s24301');
    expect(new HashedNgramEmbedder({ dimensions: 64, seed: 7 }).name).toBe('hashed-ngram-v2-d64-s7');
    expect(() => new HashedNgramEmbedder({ dimensions: 2 })).toThrow(/dimensions/);
  });

  it('is deterministic across calls and instances, and pinned to known values', async () => {
    const text = 'Enter long on a confirmed transition into the trending-up regime.';
    const [a] = await embedder.embed([text]);
    const [b] = await new HashedNgramEmbedder().embed([text]);
    expect(Array.from(a)).toEqual(Array.from(b));
    // Golden values: a change to tokenising, hashing or weights changes them, and must bump VERSION (the name).
    const nonZero = Array.from(a).flatMap((v, i) => (v !== 0 ? [[i, Number(v.toFixed(6))]] : []));
    expect(nonZero.length).toBe(97);
    expect(nonZero.slice(0, 5)).toEqual([[1, -0.087255], [4, -0.087255], [8, -0.087255], [11, 0.087255], [12, 0.087255]]);
  });

  it('gives unit vectors, and a zero vector for text without content words', () => {
    fc.assert(
      fc.property(fc.string({ maxLength: 200 }), (s) => {
        const v = embedder.embedOne(s);
        expect(v.length).toBe(384);
        expect(v.every(Number.isFinite)).toBe(true);
        const n = norm(v);
        expect(n === 0 || Math.abs(n - 1) < 1e-5).toBe(true);
      }),
      { numRuns: 200, seed: 3 },
    );
    expect(norm(embedder.embedOne(''))).toBe(0);
    expect(norm(embedder.embedOne('the and of to --- !!!'))).toBe(0);
  });

  it('places texts on one topic closer than texts on another', () => {
    const v = (s: string): Float32Array => embedder.embedOne(s);
    const markov = v('A hidden Markov model detects transitions between market regimes.');
    const markov2 = v('Detecting regime transitions with hidden Markov models in markets.');
    const wyckoff = v('A spring undercuts the trading range low before the markup phase.');
    const meanRev = v('Mean reversion fades a stretched z-score back to the moving average.');
    expect(cosine(markov, markov2)).toBeGreaterThan(0.5);
    expect(cosine(markov, markov2)).toBeGreaterThan(cosine(markov, wyckoff) + 0.3);
    expect(cosine(markov, markov2)).toBeGreaterThan(cosine(markov, meanRev) + 0.3);
    // Word pieces carry morphology: "reverting" is near "reversion", unlike an unrelated word.
    expect(cosine(v('reverting'), v('reversion'))).toBeGreaterThan(cosine(v('reverting'), v('breakout')) + 0.2);
    // Case and Unicode form do not matter.
    expect(Array.from(v('Trending UP'))).toEqual(Array.from(v('trending up')));
    expect(Array.from(v('ﬁlter'))).toEqual(Array.from(v('filter')));
  });

  it('changes with the seed: another seed is another vector space', () => {
    const text = 'order blocks and fair value gaps';
    const a = new HashedNgramEmbedder({ seed: 1 }).embedOne(text);
    const b = new HashedNgramEmbedder({ seed: 2 }).embedOne(text);
    expect(Math.abs(cosine(a, b))).toBeLessThan(0.5);
  });
});
