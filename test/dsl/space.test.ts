// Parameter space API: genes from features, structures, risk and windows; size, enumerate, sample,
// mutate, defaults, resolve and --params parsing.
import { describe, it, expect } from 'vitest';
import { createRng } from '../../src/common/rng.ts';
import {
  defaultGenome, enumerateGenomes, genomeOf, inDomain, loadPlay, mutateGenome, parseParamAssignments, resolvePlay,
  sampleGenome, serializePlay, spaceSize, type Play,
} from '../../src/dsl/index.ts';
import { ok, play, where } from './helpers/load.ts';

const RICH = play(`features:
  ema_fast: { indicator: ema, params: { length: { min: 5, max: 15, step: 5 } } }
  ema_slow: { indicator: ema, params: { length: [50, 100] } }
  bb: { indicator: bbands, params: { length: 20, std: { min: 1.5, max: 2.5, step: 0.5 } } }
  atr_14: { indicator: atr, params: { length: 14 } }
structures:
  exec:
    - { type: swing, key: sw, params: { left: [3, 5], right: 5 } }
    - { type: order_block, key: ob, uses: sw, params: { atr_key: atr_14, use_body: [true, false] } }
setups:
  up:
    all:
      - occurred_within: { bars: [5, 10], expr: [[ema_fast, cross_above, ema_slow]] }
actions:
  entry_long:
    - setup: up
    - holds_for: { bars: { min: 2, max: 4 }, expr: [[close, ">", bb.middle]] }
  exit_long:
    - - - count_true: { bars: 10, min_true: [3, 4], expr: [[close, "<", ema_fast]] }
risk:
  stop_loss_pct: [1, 2]
  take_profit_pct: 4
`);

describe('genes', () => {
  const p = ok(RICH);

  it('lists every ranged value with its path, kind and size', () => {
    expect(genomeOf(p).map((g) => [g.path, g.kind, g.size])).toEqual([
      ['features.ema_fast.params.length', 'int_range', 3],
      ['features.ema_slow.params.length', 'choice', 2],
      ['features.bb.params.std', 'float_range', 3],
      ['structures.sw.params.left', 'choice', 2],
      ['structures.ob.params.use_body', 'choice', 2],
      ['risk.stop_loss_pct', 'choice', 2],
      ['setups.up.all[0].occurred_within.bars', 'choice', 2],
      ['actions.entry_long.all[1].holds_for.bars', 'int_range', 3],
      ['actions.exit_long.all[0].count_true.min_true', 'choice', 2],
    ]);
    const useBody = genomeOf(p).find((g) => g.path.endsWith('use_body'))!;
    expect(useBody).toMatchObject({ choices: [true, false], ordered: false });
    expect(genomeOf(p)[0]).toMatchObject({ min: 5, max: 15, step: 5, ordered: true });
  });

  it('counts the space as the product of gene sizes, and enumerates exactly that many distinct genomes', () => {
    expect(spaceSize(p)).toBe(3 * 2 * 3 * 2 * 2 * 2 * 2 * 3 * 2);
    const all = [...enumerateGenomes(p)];
    expect(all).toHaveLength(spaceSize(p));
    expect(new Set(all.map((g) => JSON.stringify(g))).size).toBe(all.length);
    const genes = genomeOf(p);
    for (const g of all.slice(0, 50)) for (const gene of genes) expect(inDomain(gene, g[gene.path])).toBe(true);
    expect([...enumerateGenomes(p, 7)]).toHaveLength(7);
  });

  it('reports a float range without step as continuous and refuses to enumerate it', () => {
    const q = ok(play('features:\n  bb: { indicator: bbands, params: { std: { min: 1.5, max: 2.5 } } }\nactions:\n  entry_long: [[close, ">", bb.upper]]\n'));
    expect(genomeOf(q)[0]).toMatchObject({ kind: 'float_range', size: Infinity });
    expect(spaceSize(q)).toBe(Infinity);
    expect(() => [...enumerateGenomes(q)]).toThrow(/continuous/);
    expect(defaultGenome(q)['features.bb.params.std']).toBe(2);
    const s = sampleGenome(q, createRng(1))['features.bb.params.std'] as number;
    expect(s).toBeGreaterThanOrEqual(1.5);
    expect(s).toBeLessThanOrEqual(2.5);
  });

  it('a play without ranges has an empty genome and a space of 1', () => {
    const q = ok(play('features:\n  e: { indicator: ema }\nactions:\n  entry_long: [[close, ">", e]]\n'));
    expect(genomeOf(q)).toEqual([]);
    expect(spaceSize(q)).toBe(1);
    expect([...enumerateGenomes(q)]).toEqual([{}]);
  });
});

describe('genomes', () => {
  const p = ok(RICH);

  it('defaults to the first choice and the grid value nearest a range\'s middle', () => {
    expect(defaultGenome(p)).toEqual({
      'features.ema_fast.params.length': 10,
      'features.ema_slow.params.length': 50,
      'features.bb.params.std': 2,
      'structures.sw.params.left': 3,
      'structures.ob.params.use_body': true,
      'risk.stop_loss_pct': 1,
      'setups.up.all[0].occurred_within.bars': 5,
      'actions.entry_long.all[1].holds_for.bars': 3,
      'actions.exit_long.all[0].count_true.min_true': 3,
    });
    const even = ok(play('features:\n  e: { indicator: ema, params: { length: { min: 10, max: 40, step: 10 } } }\nactions:\n  entry_long: [[close, ">", e]]\n'));
    expect(defaultGenome(even)['features.e.params.length']).toBe(20);
  });

  it('samples within every domain, deterministically for a seed', () => {
    const genes = genomeOf(p);
    const rng = createRng(42);
    for (let i = 0; i < 200; i++) {
      const g = sampleGenome(p, rng);
      for (const gene of genes) expect(inDomain(gene, g[gene.path]), `${gene.path}=${g[gene.path]}`).toBe(true);
    }
    const a = Array.from({ length: 5 }, ((r) => () => sampleGenome(p, r))(createRng(7)));
    const b = Array.from({ length: 5 }, ((r) => () => sampleGenome(p, r))(createRng(7)));
    expect(a).toEqual(b);
    expect(new Set(a.map((g) => JSON.stringify(g))).size).toBeGreaterThan(1);
  });

  it('mutates exactly one gene to another value in its domain', () => {
    const rng = createRng(3);
    const genes = genomeOf(p);
    let g = defaultGenome(p);
    const touched = new Set<string>();
    for (let i = 0; i < 300; i++) {
      const m = mutateGenome(p, g, rng);
      const changed = genes.filter((gene) => m[gene.path] !== g[gene.path]);
      expect(changed).toHaveLength(1);
      expect(inDomain(changed[0], m[changed[0].path])).toBe(true);
      touched.add(changed[0].path);
      g = m;
    }
    expect(touched.size).toBe(genes.length);
    expect(mutateGenome(p, defaultGenome(p), createRng(9))).toEqual(mutateGenome(p, defaultGenome(p), createRng(9)));
  });
});

describe('resolvePlay', () => {
  const p = ok(RICH);

  it('gives a concrete play with no ranges left that validates and keeps the chosen values', () => {
    const rng = createRng(11);
    for (let i = 0; i < 10; i++) {
      const genome = sampleGenome(p, rng);
      const r = resolvePlay(p, genome);
      expect(genomeOf(r)).toEqual([]);
      const reloaded = loadPlay(serializePlay(r));
      expect(reloaded.errors).toEqual([]);
      expect(reloaded.play).toEqual(r);
      expect(r.features[0].params.length).toBe(genome['features.ema_fast.params.length']);
      expect(r.risk!.stop_loss_pct).toBe(genome['risk.stop_loss_pct']);
    }
  });

  it('fills genes the genome leaves out with their defaults and does not modify the input', () => {
    const before = JSON.stringify(p);
    const r = resolvePlay(p, { 'features.ema_slow.params.length': 100 });
    expect(r.features.map((f) => f.params.length)).toEqual([10, 100, 20, 14]);
    expect(JSON.stringify(p)).toBe(before);
  });

  it('rejects values outside a gene\'s domain and paths that are no gene', () => {
    expect(() => resolvePlay(p, { 'features.ema_fast.params.length': 7 })).toThrow(expect.objectContaining({ code: 'DSL_VALUE_NOT_IN_DOMAIN' }));
    expect(() => resolvePlay(p, { 'features.ema_slow.params.length': 75 })).toThrow(expect.objectContaining({ code: 'DSL_VALUE_NOT_IN_DOMAIN' }));
    expect(() => resolvePlay(p, { 'features.bb.params.std': 2.25 })).toThrow(expect.objectContaining({ code: 'DSL_VALUE_NOT_IN_DOMAIN' }));
    expect(() => resolvePlay(p, { 'features.ema_9.params.length': 9 })).toThrow(expect.objectContaining({ code: 'DSL_UNKNOWN_GENE' }));
  });

  it('keeps references valid for every value of a ranged slot count', () => {
    const dz = (ref: string) => play(`structures:\n  exec:\n    - { type: swing, key: sw, params: { left: 5, right: 5 } }\n    - { type: derived_zone, key: z, uses: sw, params: { levels: [0.5], max_active: [2, 3] } }\nactions:\n  entry_long: [["${ref}", "==", active]]\n`);
    const q = ok(dz('z.zone[1].state'));
    for (const g of enumerateGenomes(q)) expect(loadPlay(serializePlay(resolvePlay(q, g))).errors).toEqual([]);
    expect(where(dz('z.zone[2].state'))[0]).toBe('DSL_UNKNOWN_FIELD');
  });
});

describe('parseParamAssignments', () => {
  const p: Play = ok(RICH);

  it('accepts full paths and unambiguous suffixes (with or without .params)', () => {
    expect(parseParamAssignments('features.ema_fast.params.length=15, ema_slow.length=100,std=2.5,use_body=false,holds_for.bars=4', p)).toEqual({
      'features.ema_fast.params.length': 15,
      'features.ema_slow.params.length': 100,
      'features.bb.params.std': 2.5,
      'structures.ob.params.use_body': false,
      'actions.entry_long.all[1].holds_for.bars': 4,
    });
    expect(parseParamAssignments('', p)).toEqual({});
  });

  it('rejects ambiguous, unknown and out-of-domain assignments', () => {
    expect(() => parseParamAssignments('length=10', p)).toThrow(/ambiguous/);
    expect(() => parseParamAssignments('bars=5', p)).toThrow(expect.objectContaining({ code: 'DSL_UNKNOWN_GENE' }));
    expect(() => parseParamAssignments('nope=1', p)).toThrow(expect.objectContaining({ code: 'DSL_UNKNOWN_GENE' }));
    expect(() => parseParamAssignments('ema_fast.length', p)).toThrow(expect.objectContaining({ code: 'DSL_UNKNOWN_GENE' }));
    expect(() => parseParamAssignments('ema_fast.length=12', p)).toThrow(expect.objectContaining({ code: 'DSL_VALUE_NOT_IN_DOMAIN' }));
  });
});
