// `playforge start`, DSL stage: every example play validated and described; an invalid play is reported and fails the run.
import { describe, it, expect, vi, afterEach } from 'vitest';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { DEFAULT_PLAYS_DIR, describePlays, formatPlaysTable } from '../../src/cli/commands/start.ts';
import { main } from '../../src/cli/main.ts';

async function runCli(args: string[]): Promise<{ code: number; stdout: string }> {
  let stdout = '';
  const spy = vi.spyOn(process.stdout, 'write').mockImplementation((chunk: string | Uint8Array) => {
    stdout += typeof chunk === 'string' ? chunk : Buffer.from(chunk).toString('utf8');
    return true;
  });
  try {
    const code = await main(['node', 'playforge', ...args]);
    return { code, stdout };
  } finally {
    spy.mockRestore();
  }
}

afterEach(() => {
  process.exitCode = undefined;
});

describe('start: example plays', () => {
  it('describes every example play as valid, with genes and a finite space', async () => {
    const section = await describePlays(DEFAULT_PLAYS_DIR);
    expect(section.summary.plays).toBeGreaterThanOrEqual(12);
    expect(section.summary.invalid).toBe(0);
    const seed = section.plays.find((p) => p.name === 'regime_markov_candidate_001');
    expect(seed).toMatchObject({ valid: true, features: 2, structures: 1, genes: 3, space_size: 18, idea: 'Generated from Simons Markov knowledge' });
    for (const p of section.plays) {
      expect(p.genes).toBeGreaterThanOrEqual(2);
      expect(Number.isFinite(p.space_size)).toBe(true);
    }
    expect(section.summary.genes).toBe(section.plays.reduce((n, p) => n + p.genes, 0));
  });

  it('prints a table with one row per play and a summary line', async () => {
    const section = await describePlays(DEFAULT_PLAYS_DIR);
    const text = formatPlaysTable(section);
    const lines = text.trimEnd().split('\n');
    expect(lines[1]).toMatch(/^play\s+idea\s+features\s+structures\s+genes\s+space\s+valid$/);
    const rows = lines.filter((l) => /[✓✗]$/.test(l));
    expect(rows).toHaveLength(section.plays.length);
    expect(rows.find((r) => r.startsWith('regime_markov_candidate_001'))).toMatch(/\s2\s+1\s+3\s+18\s+✓$/);
    expect(lines.at(-1)).toBe(
      `${section.summary.plays} plays: ${section.summary.plays} valid, 0 invalid; ${section.summary.genes} genes in all; ` +
        `largest space ${section.summary.max_space_size.toLocaleString('en-US')} combinations`,
    );
  });

  it('--json prints one JSON document and exits 0 on the bundled plays', async () => {
    const { code, stdout } = await runCli(['start', '--json', '--no-evolve']);
    expect(code).toBe(0);
    const doc = JSON.parse(stdout);
    expect(doc.plays.summary.invalid).toBe(0);
    expect(doc.plays.plays.map((p: { name: string }) => p.name)).toContain('funding_contrarian');
  });

  it('reports an invalid play with file:line:col and exits 1', async () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'pf-start-'));
    try {
      writeFileSync(path.join(dir, 'good.yml'), readFileSync(path.join(DEFAULT_PLAYS_DIR, 'regime_markov_candidate_001.yml'), 'utf8'));
      writeFileSync(path.join(dir, 'bad.yml'), 'name: bad\nfeatures:\n  e: { indicator: nope }\nactions:\n  entry_long:\n    - [close, ">", e]\n');
      const { code, stdout } = await runCli(['start', '--plays', dir, '--no-evolve']);
      expect(code).toBe(1);
      expect(stdout).toMatch(/^bad\s.*✗$/m);
      expect(stdout).toMatch(/bad\.yml:3:19: unknown indicator 'nope' \[DSL_UNKNOWN_INDICATOR\]/);
      expect(stdout).toContain('2 plays: 1 valid, 1 invalid');
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
