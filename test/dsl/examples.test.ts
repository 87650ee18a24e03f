// The example plays in examples/plays: all valid, all evolvable, the seed one exactly as DESIGN.md gives it.
import { describe, it, expect } from 'vitest';
import { readFileSync, readdirSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { genomeOf, loadPlay, spaceSize } from '../../src/dsl/index.ts';

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
const PLAYS_DIR = path.join(ROOT, 'examples/plays');
const FILES = readdirSync(PLAYS_DIR).filter((f) => f.endsWith('.yml')).sort();

// The seed example of DESIGN.md ("The Play DSL"), character for character.
const SEED_YAML = `name: regime_markov_candidate_001
description: "Generated from Simons Markov knowledge"
features:
  ema_fast: { indicator: ema, params: { length: [8, 12, 20] } }
  ema_slow: { indicator: ema, params: { length: [50, 100, 200] } }
structures:
  exec:
    - type: trend
      key: regime
      params:
        ema_length: [20, 50]
actions:
  entry_long:
    all:
      - [regime.state, "=", trending_up]
      - [regime.transition, "=", recent]
      - [ema_fast, ">", ema_slow]
`;

function read(file: string): string {
  return readFileSync(path.join(PLAYS_DIR, file), 'utf8');
}

function loadExample(file: string) {
  const { play, errors } = loadPlay(read(file), `examples/plays/${file}`);
  if (errors.length > 0) throw new Error(errors.map((e) => e.format()).join('\n'));
  if (!play) throw new Error(`${file}: no play and no errors`);
  return play;
}

describe('examples/plays', () => {
  it('has at least 12 plays including every required strategy family', () => {
    expect(FILES.length).toBeGreaterThanOrEqual(12);
    for (const required of [
      'regime_markov_candidate_001.yml', 'ema_cross_trend.yml', 'rsi_mean_reversion.yml',
      'bollinger_mean_reversion.yml', 'donchian_breakout.yml', 'macd_momentum.yml', 'hmm_regime_switch.yml',
      'ict_bos_fvg.yml', 'wyckoff_spring.yml', 'funding_contrarian.yml',
    ]) {
      expect(FILES).toContain(required);
    }
  });

  for (const file of FILES) {
    describe(file, () => {
      it('validates', () => {
        const play = loadExample(file);
        expect(play.name).toBe(file.replace(/\.yml$/, ''));
      });

      it('starts with a header comment: idea, source concept, what is evolved', () => {
        const header = read(file).split('\n').filter((l) => l.startsWith('#')).join('\n');
        expect(header).toMatch(/^# Play: /);
        expect(header).toMatch(/# Idea: \S/);
        expect(header).toMatch(/# Source concept: \S/);
        expect(header).toMatch(/# Evolved.*: \S/);
      });

      it('has at least two genes and a finite space', () => {
        const play = loadExample(file);
        const genes = genomeOf(play);
        expect(genes.length).toBeGreaterThanOrEqual(2);
        for (const g of genes) expect(g.size).toBeGreaterThanOrEqual(2);
        expect(Number.isFinite(spaceSize(play))).toBe(true);
        expect(spaceSize(play)).toBe(genes.reduce((n, g) => n * g.size, 1));
      });
    });
  }

  it('the seed play is the DESIGN.md example verbatim under its comment header', () => {
    const body = read('regime_markov_candidate_001.yml')
      .split('\n')
      .filter((l) => !l.startsWith('#'))
      .join('\n');
    expect(body).toBe(SEED_YAML);
  });

  it("the seed play's genome has exactly 3 ranged parameters and 18 combinations", () => {
    const play = loadExample('regime_markov_candidate_001.yml');
    const genes = genomeOf(play);
    expect(genes.map((g) => g.path).sort()).toEqual([
      'features.ema_fast.params.length',
      'features.ema_slow.params.length',
      'structures.regime.params.ema_length',
    ]);
    expect(genes.map((g) => g.size).sort()).toEqual([2, 3, 3]);
    expect(spaceSize(play)).toBe(18);
    const byPath = Object.fromEntries(genes.map((g) => [g.path, g.choices]));
    expect(byPath['features.ema_fast.params.length']).toEqual([8, 12, 20]);
    expect(byPath['features.ema_slow.params.length']).toEqual([50, 100, 200]);
    expect(byPath['structures.regime.params.ema_length']).toEqual([20, 50]);
  });

  it('the same YAML without the comment header loads to the same play', () => {
    const withHeader = loadExample('regime_markov_candidate_001.yml');
    const bare = loadPlay(SEED_YAML, 'seed.yml');
    expect(bare.errors).toEqual([]);
    expect(bare.play).toEqual(withHeader);
  });
});
