// Passage -> primitive matching: trigger phrases counted per passage (longest phrase first, so "hidden markov
// model" is one hit, not three), plus the knowledge store's search as a weaker, ranked signal.
import { RRF_K, words } from '../knowledge/index.ts';
import type { Primitive, Template, Trigger } from '../knowledge/catalog/index.ts';
import type { Passage, TranslationSource } from './source.ts';

export interface PrimitiveMatch {
  primitive: Primitive;
  /** triggerScore + searchScore. */
  score: number;
  /** From trigger phrases in the passages; > 0 means the text names the concept. */
  triggerScore: number;
  /** From the store's search for the primitive's query (0..1 per hit, top rank in both rankings = 1). */
  searchScore: number;
  /** Passages that contributed, strongest first. */
  chunkIds: number[];
  /** Matched phrases with counts, most frequent first. */
  phrases: { phrase: string; count: number }[];
}

interface CompiledTrigger {
  tokens: string[];
  trigger: Trigger;
}

export type TriggerIndex = ReadonlyMap<string, readonly CompiledTrigger[]>;

/** Phrases by their first word, longest first. */
export function compileTriggers(triggers: readonly Trigger[]): TriggerIndex {
  const byFirst = new Map<string, CompiledTrigger[]>();
  for (const t of triggers) {
    const tokens = words(t.phrase);
    if (tokens.length === 0) continue;
    const list = byFirst.get(tokens[0]) ?? [];
    list.push({ tokens, trigger: t });
    byFirst.set(tokens[0], list);
  }
  for (const list of byFirst.values()) list.sort((a, b) => b.tokens.length - a.tokens.length);
  return byFirst;
}

/** Phrase -> count in one token stream; at each position the longest matching phrase wins and is consumed. */
export function countTriggers(tokens: readonly string[], compiled: TriggerIndex): Map<string, { count: number; weight: number }> {
  const counts = new Map<string, { count: number; weight: number }>();
  for (let i = 0; i < tokens.length; ) {
    const hit = compiled.get(tokens[i])?.find((c) => c.tokens.every((t, j) => tokens[i + j] === t));
    if (!hit) {
      i++;
      continue;
    }
    const entry = counts.get(hit.trigger.phrase) ?? { count: 0, weight: hit.trigger.weight };
    entry.count++;
    counts.set(hit.trigger.phrase, entry);
    i += hit.tokens.length;
  }
  return counts;
}

/** Repeated mentions add evidence with diminishing returns: weight x (1 + ln count). */
export function phraseScore(counts: ReadonlyMap<string, { count: number; weight: number }>): number {
  let s = 0;
  for (const { count, weight } of counts.values()) s += weight * (1 + Math.log(count));
  return s;
}

/** Tokens of each passage, computed once per source. */
export function tokenizePassages(passages: readonly Passage[]): string[][] {
  return passages.map((p) => words(p.text));
}

const SEARCH_K = 3;
/** The best possible fused score (first in both the vector and the keyword ranking). */
const RRF_TOP = 2 / (RRF_K + 1);

export async function matchPrimitives(source: TranslationSource, primitives: readonly Primitive[], tokens = tokenizePassages(source.passages)): Promise<PrimitiveMatch[]> {
  const out: PrimitiveMatch[] = [];
  for (const primitive of primitives) {
    const perChunk = new Map<number, number>();
    const phrases = new Map<string, number>();
    let triggerScore = 0;
    const index = compileTriggers(primitive.triggers);
    source.passages.forEach((p, i) => {
      const counts = countTriggers(tokens[i], index);
      const s = phraseScore(counts);
      if (s === 0) return;
      triggerScore += s;
      perChunk.set(p.chunkId, s);
      for (const [phrase, { count }] of counts) phrases.set(phrase, (phrases.get(phrase) ?? 0) + count);
    });
    // Search only counts hits that share a word with the query: pure vector neighbours exist for any query.
    let searchScore = 0;
    const query = primitive.query ?? `${primitive.title} ${primitive.triggers.map((t) => t.phrase).join(' ')}`;
    for (const hit of await source.search(query, SEARCH_K)) {
      if (!hit.keyword) continue;
      const s = 0.5 * Math.min(1, hit.score / RRF_TOP);
      searchScore += s;
      perChunk.set(hit.chunkId, (perChunk.get(hit.chunkId) ?? 0) + s);
    }
    out.push({
      primitive,
      score: triggerScore + searchScore,
      triggerScore,
      searchScore,
      chunkIds: [...perChunk.entries()].sort((a, b) => b[1] - a[1] || a[0] - b[0]).map(([id]) => id),
      phrases: [...phrases.entries()].sort((a, b) => b[1] - a[1] || a[0].localeCompare(b[0])).map(([phrase, count]) => ({ phrase, count })),
    });
  }
  return out;
}

/** How strongly the whole text speaks of a template's idea (its own trigger phrases). */
export function templateScore(template: Template, tokens: readonly string[][]): number {
  const index = compileTriggers(template.triggers);
  return tokens.reduce((s, t) => s + phraseScore(countTriggers(t, index)), 0);
}

/** Passages most relevant to the catalogue's concepts, within a character budget, in document order. */
export function selectPassages(passages: readonly Passage[], primitives: readonly Primitive[], budgetChars: number): Passage[] {
  const total = passages.reduce((s, p) => s + p.text.length, 0);
  if (total <= budgetChars) return [...passages];
  const indexes = primitives.map((p) => compileTriggers(p.triggers));
  const scored = passages.map((p, i) => {
    const tokens = words(p.text);
    return { i, score: indexes.reduce((s, idx) => s + phraseScore(countTriggers(tokens, idx)), 0) / Math.sqrt(1 + tokens.length / 100) };
  });
  const chosen = new Set<number>();
  let used = 0;
  for (const { i } of scored.sort((a, b) => b.score - a.score || a.i - b.i)) {
    if (used + passages[i].text.length > budgetChars && chosen.size > 0) continue;
    chosen.add(i);
    used += passages[i].text.length;
  }
  return passages.filter((_, i) => chosen.has(i));
}
