// Benchmark plays loaded once, resolved at a genome.
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { defaultGenome, loadPlayFile, resolvePlay, type Genome, type Play } from '../../src/dsl/index.ts';

const here = path.dirname(fileURLToPath(import.meta.url));

export async function benchPlay(file: string): Promise<Play> {
  const full = path.isAbsolute(file) ? file : path.join(here, '..', '..', file);
  const { play, errors } = await loadPlayFile(full);
  if (!play) throw new Error(errors.map((e) => e.format()).join('\n'));
  return play;
}

export function at(play: Play, genome: Genome = {}): Play {
  return resolvePlay(play, { ...defaultGenome(play), ...genome });
}
