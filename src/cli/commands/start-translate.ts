// The translation section of `playforge start`: the seed's Simons Markov note translated offline into
// candidate plays (knowledge -> agent -> plays), which the evolution section then evolves.
import { fileURLToPath } from 'node:url';
import { translateDetailed } from '../../agent/index.ts';
import { genomeOf, spaceSize, type Play } from '../../dsl/index.ts';

export const SEED_SOURCE = fileURLToPath(new URL('../../../knowledge/sources/simons_markov.md', import.meta.url));

export interface StartTranslation {
  source: string;
  mode: string;
  candidates: Array<{ name: string; template: string; primitives: string[]; genes: number; spaceSize: number }>;
  /** The candidate plays, best match first. */
  plays: Play[];
  elapsedMs: number;
}

export async function translateSeedSource(dataDir: string, n = 3): Promise<StartTranslation> {
  const t0 = performance.now();
  const r = await translateDetailed(SEED_SOURCE, { n, mode: 'offline', seed: 1, dataDir });
  return {
    source: r.source.documentPath,
    mode: r.mode,
    candidates: r.candidates.map((c) => ({
      name: c.play.name, template: c.provenance.template ?? '', primitives: [...c.provenance.primitives], genes: genomeOf(c.play).length, spaceSize: spaceSize(c.play),
    })),
    plays: r.candidates.map((c) => c.play),
    elapsedMs: performance.now() - t0,
  };
}

export function formatStartTranslation(t: StartTranslation): string {
  const lines = ['', `Translation (${t.mode}): ${t.source} -> ${t.candidates.length} candidate plays, ${(t.elapsedMs / 1000).toFixed(1)} s`];
  for (const c of t.candidates) lines.push(`  ${c.name}: template ${c.template}, ${c.genes} genes (${c.spaceSize.toLocaleString('en-US')} combinations); primitives ${c.primitives.join(', ')}`);
  return `${lines.join('\n')}\n`;
}
