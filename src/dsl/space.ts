// The parameter space of a play (seed extension 1): every ranged value is a gene; a genome picks one
// value per gene. List, count, enumerate, sample, mutate and default genomes, all with seeded RNGs.
import { PlayforgeError } from '../common/errors.ts';
import type { Rng } from '../common/rng.ts';
import { WINDOW_BARS } from './conditions.ts';
import { INDICATORS } from './registry/indicators.ts';
import { STRUCTURES } from './registry/structures.ts';
import { gridSize, gridValue, isChoiceSet, isNumRange, type ParamValue, type Ranged, type Scalar } from './ranges.ts';
import type { Condition, Play } from './types.ts';

export interface Gene {
  path: string;
  kind: 'choice' | 'int_range' | 'float_range';
  choices?: (number | string | boolean)[];
  min?: number;
  max?: number;
  step?: number;
  ordered: boolean;
  /** Number of values; Infinity only for a float range without a step (continuous). */
  size: number;
}

export type Genome = Record<string, number | string | boolean>;

/** Where a ranged value sits in a Play: its gene and the slot that holds it. */
export interface GeneSite {
  gene: Gene;
  holder: Record<string | number, unknown>;
  slot: string | number;
}

function geneOf(path: string, v: Ranged, isInt: boolean): Gene {
  if (isChoiceSet(v)) {
    return { path, kind: 'choice', choices: [...v.choices], ordered: v.choices.every((c) => typeof c === 'number'), size: v.choices.length };
  }
  const step = v.step ?? (isInt ? 1 : undefined);
  const size = step === undefined ? Infinity : gridSize(v.min, v.max, step);
  return {
    path,
    kind: isInt ? 'int_range' : 'float_range',
    min: v.min,
    max: v.max,
    ...(step === undefined ? {} : { step }),
    ordered: true,
    size,
  };
}

/** Every ranged value of a play in a stable order: features, structures, risk, setups, actions. */
export function geneSites(play: Play): GeneSite[] {
  const sites: GeneSite[] = [];
  const add = (path: string, holder: Record<string | number, unknown>, slot: string | number, isInt: boolean) => {
    const v = holder[slot] as ParamValue;
    if (isChoiceSet(v) || isNumRange(v)) sites.push({ gene: geneOf(path, v, isInt), holder, slot });
  };
  for (const f of play.features) {
    for (const name of Object.keys(f.params)) add(`features.${f.key}.params.${name}`, f.params, name, INDICATORS[f.indicator]?.params[name]?.kind === 'int');
  }
  for (const s of play.structures) {
    for (const name of Object.keys(s.params)) add(`structures.${s.key}.params.${name}`, s.params, name, STRUCTURES[s.type]?.params[name]?.kind === 'int');
  }
  const walkRisk = (obj: unknown, path: string) => {
    if (typeof obj !== 'object' || obj === null) return;
    for (const [k, v] of Object.entries(obj)) {
      if (isChoiceSet(v) || isNumRange(v)) add(`${path}.${k}`, obj as Record<string, unknown>, k, false);
      else if (typeof v === 'object' && v !== null && !Array.isArray(v)) walkRisk(v, `${path}.${k}`);
    }
  };
  if (play.risk) walkRisk(play.risk, 'risk');
  if (play.risk_model) walkRisk(play.risk_model, 'risk_model');
  const walkCond = (c: Condition, path: string) => {
    switch (c.kind) {
      case 'all':
      case 'any':
        c.items.forEach((item, i) => walkCond(item, `${path}.${c.kind}[${i}]`));
        break;
      case 'not':
        walkCond(c.item, `${path}.not`);
        break;
      case 'window': {
        const base = `${path}.${c.duration !== undefined ? `${c.op}_duration` : c.op}`;
        const holder = c as unknown as Record<string, unknown>;
        if (c.bars !== undefined) add(`${base}.bars`, holder, 'bars', WINDOW_BARS.kind === 'int');
        if (c.min_true !== undefined) add(`${base}.min_true`, holder, 'min_true', true);
        walkCond(c.expr, `${base}.expr`);
        break;
      }
      default:
        break;
    }
  };
  for (const [name, c] of Object.entries(play.setups)) walkCond(c, `setups.${name}`);
  if (play.actions.form === 'rules') for (const r of play.actions.rules) walkCond(r.when, `actions.${r.action}`);
  else for (const b of play.actions.blocks) b.cases.forEach((cs, i) => walkCond(cs.when, `actions.${b.id}.cases[${i}].when`));
  return sites;
}

export function genomeOf(play: Play): Gene[] {
  return geneSites(play).map((s) => s.gene);
}

export function spaceSize(play: Play): number {
  return genomeOf(play).reduce((n, g) => n * g.size, 1);
}

/** The i-th value of a finite gene. */
export function geneValue(g: Gene, i: number): Scalar {
  if (g.kind === 'choice') return g.choices![i];
  return gridValue(g.min!, g.step!, i);
}

/** Index of a value on a finite gene's grid, or -1 when it is not one of the gene's values. */
export function geneIndex(g: Gene, v: unknown): number {
  if (g.kind === 'choice') return g.choices!.findIndex((c) => c === v);
  if (typeof v !== 'number' || g.step === undefined) return -1;
  const k = Math.round((v - g.min!) / g.step);
  return k >= 0 && k < g.size && Math.abs(gridValue(g.min!, g.step, k) - v) <= 1e-9 * Math.max(1, Math.abs(v)) ? k : -1;
}

export function inDomain(g: Gene, v: unknown): boolean {
  if (g.size === Infinity) return typeof v === 'number' && Number.isFinite(v) && v >= g.min! && v <= g.max!;
  return geneIndex(g, v) >= 0;
}

function describeDomain(g: Gene): string {
  if (g.kind === 'choice') return `one of ${g.choices!.map((c) => JSON.stringify(c)).join(', ')}`;
  return g.step === undefined ? `a number in [${g.min}, ${g.max}]` : `${g.min}..${g.max} in steps of ${g.step}`;
}

export function checkGeneValue(g: Gene, v: unknown): void {
  if (!inDomain(g, v)) {
    throw new PlayforgeError('DSL_VALUE_NOT_IN_DOMAIN', `${g.path} = ${JSON.stringify(v)} is outside its domain (${describeDomain(g)})`, { path: g.path });
  }
}

/** First listed choice; for a range the grid value nearest its middle (ties go to the lower value). */
export function defaultGenome(play: Play): Genome {
  const out: Genome = {};
  for (const g of genomeOf(play)) {
    if (g.kind === 'choice') out[g.path] = g.choices![0];
    else if (g.size === Infinity) out[g.path] = (g.min! + g.max!) / 2;
    else {
      const k = Math.min(g.size - 1, Math.max(0, Math.ceil(((g.min! + g.max!) / 2 - g.min!) / g.step! - 0.5 - 1e-9)));
      out[g.path] = geneValue(g, k);
    }
  }
  return out;
}

function sampleGene(g: Gene, rng: Rng): Scalar {
  if (g.size === Infinity) return g.min! + rng.next() * (g.max! - g.min!);
  return geneValue(g, rng.int(g.size));
}

export function sampleGenome(play: Play, rng: Rng): Genome {
  const out: Genome = {};
  for (const g of genomeOf(play)) out[g.path] = sampleGene(g, rng);
  return out;
}

/** A copy of `genome` with exactly one gene (chosen among genes with more than one value) changed. */
export function mutateGenome(play: Play, genome: Genome, rng: Rng): Genome {
  const genes = genomeOf(play);
  const out: Genome = { ...defaultGenome(play), ...genome };
  const mutable = genes.filter((g) => g.size > 1);
  if (mutable.length === 0) return out;
  const g = mutable[rng.int(mutable.length)];
  const current = out[g.path];
  if (g.size === Infinity) {
    let v = current;
    while (v === current) v = sampleGene(g, rng);
    out[g.path] = v;
    return out;
  }
  const i = geneIndex(g, current);
  let j = rng.int(i >= 0 ? g.size - 1 : g.size);
  if (i >= 0 && j >= i) j++;
  out[g.path] = geneValue(g, j);
  return out;
}

/** Every genome in odometer order (last gene fastest), at most `limit`. */
export function* enumerateGenomes(play: Play, limit = Infinity): Generator<Genome> {
  const genes = genomeOf(play);
  const continuous = genes.find((g) => g.size === Infinity);
  if (continuous) {
    throw new PlayforgeError('DSL_BAD_RANGE', `${continuous.path} is a continuous range (no step): give it a step to enumerate the space`, { path: continuous.path });
  }
  const idx = genes.map(() => 0);
  let produced = 0;
  while (produced < limit) {
    const g: Genome = {};
    genes.forEach((gene, i) => (g[gene.path] = geneValue(gene, idx[i])));
    yield g;
    produced++;
    let k = genes.length - 1;
    while (k >= 0) {
      idx[k]++;
      if (idx[k] < genes[k].size) break;
      idx[k] = 0;
      k--;
    }
    if (k < 0) return;
  }
}
