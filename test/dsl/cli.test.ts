// `playforge play validate|space|resolve|schema`, run in-process through main().
import { describe, it, expect, vi, afterEach, beforeAll } from 'vitest';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { main } from '../../src/cli/main.ts';
import { loadPlay } from '../../src/dsl/index.ts';
import { SEED } from './helpers/seed.ts';

let dir = '';
const file = (name: string) => path.join(dir, name);

beforeAll(() => {
  dir = mkdtempSync(path.join(tmpdir(), 'playforge-cli-'));
  writeFileSync(file('seed.yml'), SEED);
  writeFileSync(file('bad_state.yml'), SEED.replace('trending_up', 'trending_sideways'));
  writeFileSync(file('bad_two.yml'), 'name: two\nfeatures:\n  e: { indicator: hull }\nactions:\n  entry_long: [[close, ">", 0]]\nposition_policy: { allow_flip: true }\n');
});

async function run(...args: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  let stdout = '';
  let stderr = '';
  const o = vi.spyOn(process.stdout, 'write').mockImplementation((s) => ((stdout += String(s)), true));
  const e = vi.spyOn(process.stderr, 'write').mockImplementation((s) => ((stderr += String(s)), true));
  process.exitCode = undefined;
  try {
    const code = await main(['node', 'playforge', ...args]);
    return { code, stdout, stderr };
  } finally {
    o.mockRestore();
    e.mockRestore();
    process.exitCode = undefined;
  }
}

afterEach(() => {
  process.exitCode = undefined;
});

describe('play validate', () => {
  it('exits 0 when every play is valid', async () => {
    const r = await run('play', 'validate', file('seed.yml'));
    expect(r.code).toBe(0);
    expect(r.stdout).toBe('');
    expect(r.stderr).toContain('1/1 plays valid');
  });

  it('prints file:line:col: message for every error of every file and exits 1', async () => {
    const r = await run('play', 'validate', file('bad_state.yml'), file('seed.yml'), file('bad_two.yml'));
    expect(r.code).toBe(1);
    const lines = r.stdout.trim().split('\n');
    expect(lines[0]).toBe(`${file('bad_state.yml')}:15:29: 'trending_sideways' is not a value of regime.state (values: trending_up, trending_down, ranging) [DSL_UNKNOWN_STATE]`);
    expect(lines.slice(1).map((l) => l.replace(`${file('bad_two.yml')}:`, ''))).toEqual([
      expect.stringMatching(/^6:20: .*allow_flip.* \[DSL_RESERVED_FIELD\]$/),
    ]);
    expect(r.stderr).toContain('1/3 plays valid');
  });

  it('--json prints one document with every file', async () => {
    const r = await run('play', 'validate', '--json', file('seed.yml'), file('bad_state.yml'));
    expect(r.code).toBe(1);
    const doc = JSON.parse(r.stdout);
    expect(doc.valid).toBe(false);
    expect(doc.files.map((f: { valid: boolean }) => f.valid)).toEqual([true, false]);
    expect(doc.files[1].errors[0]).toMatchObject({ code: 'DSL_UNKNOWN_STATE', line: 15, column: 29, file: file('bad_state.yml') });
  });

  it('reports an unreadable file as an error, not a crash', async () => {
    const r = await run('play', 'validate', file('missing.yml'));
    expect(r.code).toBe(1);
    expect(r.stdout).toContain('missing.yml:1:1: cannot read the play');
  });
});

describe('play space', () => {
  it('shows the seed example\'s 3 ranged parameters and 18 combinations', async () => {
    const r = await run('play', 'space', file('seed.yml'));
    expect(r.code).toBe(0);
    expect(r.stdout).toContain('regime_markov_candidate_001: 3 ranged parameters, 18 combinations');
    expect(r.stdout).toMatch(/features\.ema_fast\.params\.length\s+choice \[8, 12, 20\]\s+\(3\)/);
    expect(r.stdout).toMatch(/structures\.regime\.params\.ema_length\s+choice \[20, 50\]\s+\(2\)/);
  });

  it('--json gives genes and size', async () => {
    const r = await run('play', 'space', file('seed.yml'), '--json');
    const doc = JSON.parse(r.stdout);
    expect(doc).toMatchObject({ name: 'regime_markov_candidate_001', count: 3, size: 18, continuous: false });
    expect(doc.genes.map((g: { path: string }) => g.path)).toEqual(['features.ema_fast.params.length', 'features.ema_slow.params.length', 'structures.regime.params.ema_length']);
  });

  it('prints the errors of an invalid play and exits 1', async () => {
    const r = await run('play', 'space', file('bad_state.yml'));
    expect(r.code).toBe(1);
    expect(r.stdout).toContain('[DSL_UNKNOWN_STATE]');
  });
});

describe('play resolve', () => {
  it('prints the concrete play as YAML that validates', async () => {
    const r = await run('play', 'resolve', file('seed.yml'), '--params', 'ema_fast.length=12,ema_length=50');
    expect(r.code).toBe(0);
    const { play, errors } = loadPlay(r.stdout);
    expect(errors).toEqual([]);
    expect(play!.features.map((f) => f.params.length)).toEqual([12, 50]);
    expect(play!.structures[0].params.ema_length).toBe(50);
  });

  it('--json gives the genome and the play', async () => {
    const r = await run('play', 'resolve', file('seed.yml'), '--params', 'features.ema_slow.params.length=200', '--json');
    const doc = JSON.parse(r.stdout);
    expect(doc.genome).toEqual({ 'features.ema_slow.params.length': 200 });
    expect(doc.play.features.ema_slow.params.length).toBe(200);
    expect(doc.play.features.ema_fast.params.length).toBe(8);
  });

  it('rejects values outside the domain and unknown genes with exit 1', async () => {
    const bad = await run('play', 'resolve', file('seed.yml'), '--params', 'ema_fast.length=13');
    expect(bad.code).toBe(1);
    expect(bad.stderr).toContain('DSL_VALUE_NOT_IN_DOMAIN');
    const unknown = await run('play', 'resolve', file('seed.yml'), '--params', 'rsi.length=14');
    expect(unknown.code).toBe(1);
    expect(unknown.stderr).toContain('DSL_UNKNOWN_GENE');
  });
});

describe('play schema', () => {
  it('prints the JSON Schema', async () => {
    const r = await run('play', 'schema', '--json');
    expect(r.code).toBe(0);
    const schema = JSON.parse(r.stdout);
    expect(schema.type).toBe('object');
    expect(schema.properties.features).toBeDefined();
    expect(r.stdout.trim().split('\n')).toHaveLength(1);
  });
});
