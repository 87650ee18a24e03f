// Genome -> concrete Play (no ranges left) that validates; and `--params k=v,...` parsing.
import { PlayforgeError } from '../common/errors.ts';
import { loadRaw } from './load.ts';
import { playToRaw } from './serialize.ts';
import { PositionIndex } from './yaml-positions.ts';
import { checkGeneValue, defaultGenome, geneSites, genomeOf, type Gene, type Genome } from './space.ts';
import type { Play } from './types.ts';

/**
 * Replaces every ranged value by the genome's value (genes the genome leaves out take defaultGenome's).
 * Throws DSL_UNKNOWN_GENE for a path that is no gene and DSL_VALUE_NOT_IN_DOMAIN for a value outside
 * its gene; the result is re-validated, so a returned Play always passes loadPlay.
 */
export function resolvePlay(play: Play, genome: Genome): Play {
  const resolved = resolveGenome(play, genome);
  // Re-validate from plain data (what serializePlay would write), skipping YAML text for speed.
  const { errors } = loadRaw(playToRaw(resolved), new PositionIndex(`${play.name} (resolved)`));
  if (errors.length) {
    const e = errors[0];
    throw new PlayforgeError(e.code, `resolved play is invalid: ${e.message}`, e.location);
  }
  return resolved;
}

/** A loaded play's genes by path and its default genome, computed once per play object (plays are not mutated). */
const spaces = new WeakMap<Play, { genes: Map<string, Gene>; defaults: Genome }>();

function spaceOf(play: Play): { genes: Map<string, Gene>; defaults: Genome } {
  let space = spaces.get(play);
  if (space === undefined) {
    space = { genes: new Map(genomeOf(play).map((g) => [g.path, g])), defaults: defaultGenome(play) };
    spaces.set(play, space);
  }
  return space;
}

/**
 * resolvePlay without the re-validation, for the genomes of a play that loaded: what an evaluator scores
 * thousands of times (the re-validation was ~60 us and ~30 KB of garbage of a ~280 us evaluation). It needs
 * none: the loader checks a ranged value on its extremes against everything it must satisfy (each value
 * against its parameter's spec; `min_true` up to its maximum against `bars` from its minimum), so every
 * assignment of in-domain values to a valid ranged play is valid. test/dsl/resolve.test.ts holds it to
 * resolvePlay on random genomes of every example and fixture play. The same errors for unknown genes and
 * values outside their domains.
 */
export function resolveGenome(play: Play, genome: Genome): Play {
  const { genes, defaults } = spaceOf(play);
  for (const path of Object.keys(genome)) {
    if (!genes.has(path)) throw unknownGene(path, [...genes.keys()]);
  }
  const values: Genome = { ...defaults, ...genome };
  for (const [path, v] of Object.entries(values)) checkGeneValue(genes.get(path)!, v);
  const resolved = structuredClone(play);
  for (const site of geneSites(resolved)) site.holder[site.slot] = values[site.gene.path];
  return resolved;
}

function unknownGene(key: string, known: string[]): PlayforgeError {
  const list = known.length ? known.join(', ') : 'none: the play has no ranged parameters';
  return new PlayforgeError('DSL_UNKNOWN_GENE', `'${key}' names no gene of this play (genes: ${list})`, { path: key });
}

/** Gene path without its `.params` segment: `features.ema_fast.length`. */
const shortPath = (path: string) => path.replace('.params.', '.');

/**
 * Full gene path, or a suffix on a `.` boundary that matches exactly one gene; `.params` may be left
 * out, so `ema_fast.length` and (when unique) `length` name `features.ema_fast.params.length`.
 */
export function findGene(key: string, genes: readonly Gene[]): Gene {
  const exact = genes.find((g) => g.path === key || shortPath(g.path) === key);
  if (exact) return exact;
  const hits = genes.filter((g) => g.path.endsWith(`.${key}`) || shortPath(g.path).endsWith(`.${key}`));
  if (hits.length === 1) return hits[0];
  if (hits.length > 1) {
    throw new PlayforgeError('DSL_UNKNOWN_GENE', `'${key}' is ambiguous: it matches ${hits.map((g) => g.path).join(', ')}; give more of the path`, { path: key });
  }
  throw unknownGene(key, genes.map((g) => g.path));
}

function parseValue(text: string): number | string | boolean {
  const t = text.trim();
  if (t === 'true') return true;
  if (t === 'false') return false;
  if (t !== '' && Number.isFinite(Number(t))) return Number(t);
  return t;
}

/** `"ema_fast.length=12,ema_length=50"` -> Genome keyed by full gene paths (values checked). */
export function parseParamAssignments(text: string, play: Play): Genome {
  const genes = genomeOf(play);
  const out: Genome = {};
  for (const part of text.split(',').map((p) => p.trim()).filter(Boolean)) {
    const eq = part.indexOf('=');
    if (eq <= 0) throw new PlayforgeError('DSL_UNKNOWN_GENE', `expected key=value, got '${part}'`, { path: part });
    const gene = findGene(part.slice(0, eq).trim(), genes);
    const value = parseValue(part.slice(eq + 1));
    checkGeneValue(gene, value);
    out[gene.path] = value;
  }
  return out;
}
