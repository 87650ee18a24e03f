// The offline default embedder: no model, no download. Each text becomes a sparse bag of features (word
// unigrams, word bigrams, character 3-5-grams of each word) hashed into a fixed number of signed buckets
// (the "hashing trick"), with sublinear term frequency, then L2-normalised. Texts sharing words or word
// pieces ("revert", "reverting", "reversion") get a positive cosine; unrelated texts land near zero. It knows
// no synonyms: a paraphrase with no shared word pieces is not found by it (the keyword half of hybrid
// search has the same blind spot, an endpoint model does not).
import { PlayforgeError } from '../../common/errors.ts';
import { KNOWLEDGE_EMBEDDER_CONFIG } from '../errors.ts';
import type { Embedder } from './embedder.ts';
import { murmur3 } from './murmur3.ts';
import { contentWords } from './tokenize.ts';

export interface HashedNgramOptions {
  /** Default 384, the warm store's default embedding length. */
  dimensions?: number;
  /** Hash seed: a different seed is a different vector space (and a different name). Default 0x5eed. */
  seed?: number;
}

/**
 * Relative weight of each feature family. Character grams carry most of the signal: they are what matches
 * another form of a word (optimise/optimize, overfitted/overfitting), and with a few hundred buckets whole-word
 * features alone collide. Measured on the labelled queries of test/knowledge (recall.cases.ts): retrieval is
 * flat for char weights 0.5-1 and bigram weights 0-0.6, and clearly worse at char 0.1-0.25.
 */
const WEIGHTS = { word: 1, bigram: 0.5, char: 0.5 } as const;
const CHAR_GRAM_MIN = 3;
const CHAR_GRAM_MAX = 5;
/** Bumped whenever features or weights change: it is part of the name, so old vectors are never mixed in. */
const VERSION = 2;

type Family = keyof typeof WEIGHTS;

/** Feature counts of one text, keyed by family-prefixed feature (so "w:trend" and "c:tre" never collide). */
function featureCounts(text: string): Map<string, { family: Family; count: number }> {
  const counts = new Map<string, { family: Family; count: number }>();
  const add = (family: Family, key: string): void => {
    const k = `${family[0]}:${key}`;
    const entry = counts.get(k);
    if (entry) entry.count += 1;
    else counts.set(k, { family, count: 1 });
  };
  const tokens = contentWords(text);
  for (let i = 0; i < tokens.length; i++) {
    const w = tokens[i];
    add('word', w);
    if (i + 1 < tokens.length) add('bigram', `${w} ${tokens[i + 1]}`);
    // Word pieces carry morphology (trend/trending/trends); digits-only tokens (years, numbers) do not.
    if (w.length < CHAR_GRAM_MIN || /^\d+$/.test(w)) continue;
    const padded = `<${w}>`;
    for (let n = CHAR_GRAM_MIN; n <= CHAR_GRAM_MAX; n++) {
      for (let j = 0; j + n <= padded.length; j++) add('char', padded.slice(j, j + n));
    }
  }
  return counts;
}

export class HashedNgramEmbedder implements Embedder {
  readonly name: string;
  readonly dimensions: number;
  private readonly seed: number;

  constructor(options: HashedNgramOptions = {}) {
    const dimensions = options.dimensions ?? 384;
    if (!Number.isInteger(dimensions) || dimensions < 8 || dimensions > 16_000) {
      throw new PlayforgeError(KNOWLEDGE_EMBEDDER_CONFIG, `hashed n-gram embedder dimensions must be an integer in 8..16000, got ${dimensions}`);
    }
    this.dimensions = dimensions;
    this.seed = (options.seed ?? 0x5eed) >>> 0;
    this.name = `hashed-ngram-v${VERSION}-d${dimensions}-s${this.seed}`;
  }

  /** Synchronous core, used by embed(). An all-zero vector means the text has no content word. */
  embedOne(text: string): Float32Array {
    const acc = new Float64Array(this.dimensions);
    for (const [key, { family, count }] of featureCounts(text)) {
      const weight = WEIGHTS[family] * (1 + Math.log(count));
      const bucket = murmur3(key, this.seed) % this.dimensions;
      // An independent hash for the sign, so collisions cancel on average instead of piling up.
      const sign = (murmur3(key, this.seed ^ 0x9e3779b9) & 1) === 0 ? 1 : -1;
      acc[bucket] += sign * weight;
    }
    let norm = 0;
    for (const v of acc) norm += v * v;
    const out = new Float32Array(this.dimensions);
    if (norm === 0) return out;
    const scale = 1 / Math.sqrt(norm);
    for (let i = 0; i < acc.length; i++) out[i] = acc[i] * scale;
    return out;
  }

  async embed(texts: string[]): Promise<Float32Array[]> {
    return texts.map((t) => this.embedOne(t));
  }
}
