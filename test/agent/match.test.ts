// Trigger phrases: longest match first, counted per passage with diminishing weight; search evidence only
// from hits that share a word with the query; passage selection within a budget.
import { describe, expect, it } from 'vitest';
import { compileTriggers, countTriggers, matchPrimitives, phraseScore, selectPassages } from '../../src/agent/match.ts';
import type { Passage, TranslationSource } from '../../src/agent/index.ts';
import { words } from '../../src/knowledge/index.ts';
import { loadCatalog } from '../../src/knowledge/catalog/index.ts';

const trig = (...t: [string, number][]) => t.map(([phrase, weight]) => ({ phrase, weight }));

describe('countTriggers', () => {
  it('takes the longest phrase at a position and consumes its words', () => {
    const idx = compileTriggers(trig(['hidden markov model', 4], ['hidden markov', 3], ['markov', 1], ['model', 1]));
    const counts = countTriggers(words('A Hidden-Markov model; a hidden Markov chain; Markov models and a model.'), idx);
    expect(Object.fromEntries([...counts].map(([k, v]) => [k, v.count]))).toEqual({ 'hidden markov model': 1, 'hidden markov': 1, markov: 1, model: 1 });
  });

  it('scores repeats with diminishing returns', () => {
    const idx = compileTriggers(trig(['rsi', 2]));
    expect(phraseScore(countTriggers(words('rsi'), idx))).toBeCloseTo(2);
    expect(phraseScore(countTriggers(words('rsi rsi rsi rsi'), idx))).toBeCloseTo(2 * (1 + Math.log(4)));
  });
});

function source(texts: string[], hits: Record<string, { chunkId: number; score: number; keyword: boolean }[]> = {}): TranslationSource {
  const passages: Passage[] = texts.map((text, i) => ({ chunkId: 100 + i, ordinal: i, heading: null, text, lineStart: 1, lineEnd: 1 }));
  return {
    documentId: 'doc', documentPath: 'notes/test.md', title: 'Test', passages,
    search: async (query) => Object.entries(hits).find(([k]) => query.includes(k))?.[1] ?? [],
  };
}

describe('matchPrimitives', () => {
  const catalog = loadCatalog();

  it('finds the primitives a text names, with the passages and phrases that named them', async () => {
    const src = source([
      'Introduction without any trading words at all.',
      'Price swept the equal lows (a liquidity sweep), then left a fair value gap.',
      'Buy the retrace into the fair value gap (FVG).',
    ]);
    const matches = await matchPrimitives(src, catalog.primitives);
    const fvg = matches.find((m) => m.primitive.id === 'fair_value_gap')!;
    expect(fvg.triggerScore).toBeGreaterThan(0);
    expect(fvg.chunkIds.sort()).toEqual([101, 102]);
    expect(fvg.phrases[0]).toEqual({ phrase: 'fair value gap', count: 2 });
    expect(matches.find((m) => m.primitive.id === 'liquidity_sweep')!.phrases.map((p) => p.phrase)).toContain('liquidity sweep');
    expect(matches.find((m) => m.primitive.id === 'wyckoff_upthrust')!.triggerScore).toBe(0);
  });

  it('counts only search hits that share a word with the query', async () => {
    const src = source(['nothing relevant here', 'still nothing'], {
      'order block': [{ chunkId: 101, score: 2 / 61, keyword: true }, { chunkId: 100, score: 1 / 61, keyword: false }],
    });
    const ob = (await matchPrimitives(src, catalog.primitives)).find((m) => m.primitive.id === 'order_block')!;
    expect(ob.triggerScore).toBe(0);
    expect(ob.searchScore).toBeCloseTo(0.5);
    expect(ob.chunkIds).toEqual([101]);
  });
});

describe('selectPassages', () => {
  it('keeps everything under the budget and otherwise the most concept-dense passages in document order', () => {
    const catalog = loadCatalog();
    const texts = ['filler text '.repeat(40), 'RSI oversold, Bollinger bands, z-score mean reversion. '.repeat(4), 'more filler '.repeat(40), 'Donchian breakout of the highest high. '.repeat(4)];
    const passages: Passage[] = texts.map((text, i) => ({ chunkId: i + 1, ordinal: i, heading: null, text, lineStart: 1, lineEnd: 1 }));
    expect(selectPassages(passages, catalog.primitives, 100_000)).toHaveLength(4);
    const picked = selectPassages(passages, catalog.primitives, texts[1].length + texts[3].length + 10);
    expect(picked.map((p) => p.chunkId)).toEqual([2, 4]);
  });
});
