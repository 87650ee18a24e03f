// Genome -> concrete Play (no ranges left) that validates; and `--params k=v,...` parsing.
import { PlayforgeError } from '../common/errors.ts';
import { loadRaw } from './load.ts';
import { playToRaw } from './serialize.ts';
import { PositionIndex } from './yaml-positions.ts';
import { checkGeneValue, defaultGenome, geneSites, genomeOf, type Gene, type GeneSite, type Genome } from './space.ts';
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

interface Space {
  genes: Map<string, Gene>;
  defaults: Genome;
  /** Where the genes sit in the play itself, and every object on a path from the play to one of them. */
  sites: GeneSite[];
  along: Set<object>;
}

/** A loaded play's gene table, defaults and gene sites, computed once per play object (plays are not mutated). */
const spaces = new WeakMap<Play, Space>();

function spaceOf(play: Play): Space {
  let space = spaces.get(play);
  if (space === undefined) {
    const sites = geneSites(play);
    space = { genes: new Map(sites.map((s) => [s.gene.path, s.gene])), defaults: defaultGenome(play), sites, along: pathsTo(play, new Set(sites.map((s) => s.holder))) };
    spaces.set(play, space);
  }
  return space;
}

/** The objects of `root`'s tree that are, or contain, one of `holders`. */
function pathsTo(root: unknown, holders: Set<object>): Set<object> {
  const out = new Set<object>();
  const visit = (node: unknown): boolean => {
    if (typeof node !== 'object' || node === null) return false;
    let hit = holders.has(node);
    for (const v of Object.values(node)) if (visit(v)) hit = true;
    if (hit) out.add(node);
    return hit;
  };
  visit(root);
  return out;
}

/** A copy of the objects of `node`'s tree in `along` (each once); everything else is shared, not copied. */
function copyAlong(node: unknown, along: Set<object>, copies: Map<object, object>): unknown {
  if (typeof node !== 'object' || node === null || !along.has(node)) return node;
  let copy = copies.get(node);
  if (copy === undefined) {
    copy = Array.isArray(node)
      ? node.map((v) => copyAlong(v, along, copies))
      : Object.fromEntries(Object.entries(node).map(([k, v]) => [k, copyAlong(v, along, copies)]));
    copies.set(node, copy);
  }
  return copy;
}

/**
 * resolvePlay without the re-validation, for the genomes of a play that loaded: what an evaluator scores
 * thousands of times (the re-validation was ~60 us and ~30 KB of garbage of a ~280 us evaluation). It needs
 * none: the loader checks a ranged value on its extremes against everything it must satisfy (each value
 * against its parameter's spec; `min_true` up to its maximum against `bars` from its minimum), so every
 * assignment of in-domain values to a valid ranged play is valid. test/dsl/resolve.test.ts holds it to
 * resolvePlay on random genomes of every example and fixture play. The same errors for unknown genes and
 * values outside their domains.
 *
 * Only the objects on the way to a gene are copied; the rest of the result is the play's own (nothing
 * downstream writes to a play): a full structuredClone per genome was ~40 us.
 */
export function resolveGenome(play: Play, genome: Genome): Play {
  const { genes, defaults, sites, along } = spaceOf(play);
  for (const path of Object.keys(genome)) {
    if (!genes.has(path)) throw unknownGene(path, [...genes.keys()]);
  }
  const values: Genome = { ...defaults, ...genome };
  for (const [path, v] of Object.entries(values)) checkGeneValue(genes.get(path)!, v);
  const copies = new Map<object, object>();
  const resolved = copyAlong(play, along, copies) as Play;
  for (const site of sites) (copies.get(site.holder) as Record<string | number, unknown>)[site.slot] = values[site.gene.path];
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
