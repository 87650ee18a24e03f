// Hybrid ranking: reciprocal rank fusion (Cormack, Clarke & Büttcher 2009). Each list contributes
// 1 / (K + rank) for every chunk it ranks, so a chunk near the top of both lists beats one at the top of
// one list only, and the two lists' scores (cosine vs BM25, on unrelated scales) never need calibrating.

export interface Ranked {
  id: number;
  score: number;
}

/** The usual constant: large enough that rank 1 does not dwarf ranks 2-10. */
export const RRF_K = 60;

/** Fused ranking, best first; ties broken by id so results are stable. */
export function reciprocalRankFusion(lists: readonly (readonly Ranked[])[], k: number = RRF_K): Ranked[] {
  const fused = new Map<number, number>();
  for (const list of lists) {
    list.forEach((item, rank) => fused.set(item.id, (fused.get(item.id) ?? 0) + 1 / (k + rank + 1)));
  }
  return [...fused].map(([id, score]) => ({ id, score })).sort((a, b) => b.score - a.score || a.id - b.id);
}
