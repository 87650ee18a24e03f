// What several benchmarks share: the shipped BTCUSDT 15m bars with funding in a candle store, and distinct
// random genomes of a ranged play.
import path from 'node:path';
import { createRng } from '../../src/common/index.ts';
import { EXAMPLES_DATA_DIR, importFile, type CandleStore } from '../../src/data/index.ts';
import { genomeOf, type Genome, type Play } from '../../src/dsl/index.ts';
import { genomeKey, sampleGenes } from '../../src/evolve/index.ts';

/** Imports the shipped BTCUSDT 15m bars and BTCUSDT funding into `store` (dataset bybit:BTCUSDT:15m). */
export async function importShippedBtc15m(store: CandleStore): Promise<void> {
  await importFile(store, path.join(EXAMPLES_DATA_DIR, 'BYBIT_BTCUSDT_15m.csv'));
  await importFile(store, path.join(EXAMPLES_DATA_DIR, 'BYBIT_BTCUSDT_funding.csv'), { kind: 'funding' });
}

/** `count` distinct random genomes of `play` drawn with `seed`, none in `seen` (which collects them). */
export function distinctGenomes(play: Play, count: number, seed: number, seen = new Set<string>()): Genome[] {
  const rng = createRng(seed), genes = genomeOf(play), out: Genome[] = [];
  while (out.length < count) {
    const g = sampleGenes(genes, rng), k = genomeKey(g);
    if (seen.has(k)) continue;
    seen.add(k);
    out.push(g);
  }
  return out;
}
