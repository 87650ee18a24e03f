// resolveGenome (the evaluators' resolution, without resolvePlay's re-validation) must give what resolvePlay
// gives for every genome of a play that loaded — which holds because the loader checks ranged values on their
// extremes. Held here on random genomes of every example play, the evolution fixture, and the TRADE fixtures
// that have ranges, plus a play built to sit on the edges of a cross-value rule (min_true against bars).
import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { createRng } from '../../src/common/rng.ts';
import { genomeOf, loadPlay, resolveGenome, resolvePlay, sampleGenome, type Genome, type Play } from '../../src/dsl/index.ts';

const root = new URL('../../', import.meta.url).pathname;

function playsIn(dir: string): [string, Play][] {
  const full = path.join(root, dir);
  return readdirSync(full)
    .filter((f) => f.endsWith('.yml') || f.endsWith('.yaml'))
    .map((f): [string, Play | undefined] => [`${dir}/${f}`, loadPlay(readFileSync(path.join(full, f), 'utf8'), f).play])
    .filter((e): e is [string, Play] => e[1] !== undefined && genomeOf(e[1]).length > 0);
}

const EDGE = `
name: edges
timeframes: { low_tf: "1h", med_tf: "4h", high_tf: "D", exec: low_tf }
features:
  rsi: { indicator: rsi, params: { length: { min: 2, max: 30, step: 1 } } }
actions:
  entry_long:
    - count_true: { bars: [5, 6, 8], min_true: { min: 1, max: 5, step: 1 }, expr: [rsi, "<", 30] }
  exit_long: [[rsi, ">", 70]]
risk: { stop_loss_pct: [1, 2, 3], take_profit_pct: { min: 1, max: 9, step: 0.5 } }
`;

describe('resolveGenome', () => {
  const plays = [...playsIn('examples/plays'), ...playsIn('test/fixtures/evolve'), ...playsIn('test/fixtures/trade-plays')];
  const edge = loadPlay(EDGE, 'edges.yml');

  it('has ranged plays to check, and the edge play loads', () => {
    expect(plays.length).toBeGreaterThan(5);
    expect(edge.errors).toEqual([]);
  });

  it('gives what resolvePlay gives (which re-validates) for random genomes of every ranged play', () => {
    const rng = createRng(17);
    for (const [name, play] of [...plays, ['edges.yml', edge.play!] as [string, Play]]) {
      for (let k = 0; k < 25; k++) {
        const genome = sampleGenome(play, rng);
        expect(resolveGenome(play, genome), `${name} ${JSON.stringify(genome)}`).toEqual(resolvePlay(play, genome));
      }
    }
  });

  it('refuses unknown genes and values outside their domain as resolvePlay does', () => {
    const play = edge.play!;
    const bad: Genome[] = [{ 'features.nope.params.length': 3 }, { 'features.rsi.params.length': 31 }, { 'risk.stop_loss_pct': 4 }];
    for (const genome of bad) {
      let want: unknown, got: unknown;
      try {
        resolvePlay(play, genome);
      } catch (e) {
        want = (e as { code?: string }).code;
      }
      try {
        resolveGenome(play, genome);
      } catch (e) {
        got = (e as { code?: string }).code;
      }
      expect(got).toBeDefined();
      expect(got).toBe(want);
    }
  });

  it('copies only what it changes: the play and earlier resolutions keep their values', () => {
    const play = edge.play!;
    const before = structuredClone(play);
    const a = resolveGenome(play, { 'features.rsi.params.length': 3, 'risk.stop_loss_pct': 1 });
    const b = resolveGenome(play, { 'features.rsi.params.length': 20, 'risk.stop_loss_pct': 3 });
    expect(play).toEqual(before);
    expect(a.features[0].params.length).toBe(3);
    expect(b.features[0].params.length).toBe(20);
    expect([a.risk?.stop_loss_pct, b.risk?.stop_loss_pct]).toEqual([1, 3]);
    // Parts without a gene are the play's own (nothing downstream writes to a play); parts with one are copies.
    expect(a.timeframes).toBe(play.timeframes);
    expect(a.actions).not.toBe(play.actions);
    expect(a.features).not.toBe(play.features);
  });
});
