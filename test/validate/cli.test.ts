// `playforge validate` and `playforge library` run in-process through main(), on a data dir holding real
// BTCUSDT 1h bars (the bundled data) and an evolution recorded by src/evolve itself.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { main } from '../../src/cli/main.ts';
import { CandleStore, EXAMPLES_DATA_DIR, importFile } from '../../src/data/index.ts';
import { loadPlayFile } from '../../src/dsl/index.ts';
import { EvolutionStore, loadEvolutionData, runEvolution } from '../../src/evolve/index.ts';
import { openWarmStore } from '../../src/store/index.ts';

// These CLI runs use a store of their own: the embedded one in the test's data dir, even where DATABASE_URL
// points at a shared server (CI) whose public schema every suite's CLI runs would otherwise write to.
const serverUrl = process.env.DATABASE_URL;
beforeAll(() => {
  delete process.env.DATABASE_URL;
});
afterAll(() => {
  if (serverUrl !== undefined) process.env.DATABASE_URL = serverUrl;
});

const PLAY = new URL('../../examples/plays/macd_momentum.yml', import.meta.url).pathname;
const FROM = Date.parse('2025-01-01T00:00:00Z');
const quiet = { info: () => undefined, warn: () => undefined };
let dir = '';
let evolutionId = '';

async function run(...args: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  let stdout = '';
  let stderr = '';
  const o = vi.spyOn(process.stdout, 'write').mockImplementation((s) => ((stdout += String(s)), true));
  const e = vi.spyOn(process.stderr, 'write').mockImplementation((s) => ((stderr += String(s)), true));
  process.exitCode = undefined;
  try {
    const code = await main(['node', 'playforge', '--data-dir', dir, ...args]);
    return { code, stdout, stderr };
  } finally {
    o.mockRestore();
    e.mockRestore();
    process.exitCode = undefined;
  }
}

beforeAll(async () => {
  dir = mkdtempSync(path.join(tmpdir(), 'pf-validate-cli-'));
  const candles = await CandleStore.open(dir);
  try {
    await importFile(candles, path.join(EXAMPLES_DATA_DIR, 'BYBIT_BTCUSDT_1h.csv'));
    await importFile(candles, path.join(EXAMPLES_DATA_DIR, 'BYBIT_BTCUSDT_funding.csv'), { kind: 'funding' });
  } finally {
    candles.close();
  }
  const play = (await loadPlayFile(PLAY)).play!;
  const warm = await openWarmStore({ dataDir: dir, logger: quiet });
  try {
    const data = await loadEvolutionData(dir, [play], 'bybit:BTCUSDT:1h', { from: FROM });
    const result = await runEvolution({
      plays: data.plays, data: { datasetId: 'bybit:BTCUSDT:1h', ...data }, seed: 5, ga: { population: 8, maxGenerations: 2 }, workers: 0,
      store: new EvolutionStore(warm.sql), loadOptions: { from: FROM },
    });
    evolutionId = result.evolutions[0].id!;
  } finally {
    await warm.close();
  }
}, 180_000);

afterAll(() => rmSync(dir, { recursive: true, force: true }));

const small = ['--wf-windows', '3', '--wf-budget', '3', '--simulations', '200', '--max-trials', '16', '--no-progress'];

describe('playforge validate (CLI)', () => {
  it('prints one JSON report with every piece of evidence and stores it', async () => {
    const r = await run('validate', evolutionId, ...small, '--json');
    expect(r.code).toBe(0);
    const report = JSON.parse(r.stdout);
    expect(report.reportId).toMatch(/^[0-9a-f-]{36}$/);
    expect(report.evolutionId).toBe(evolutionId);
    expect(report.dataset).toBe('bybit:BTCUSDT:1h');
    expect(report.training.trades).toBeGreaterThanOrEqual(0);
    expect(report.holdoutMetrics).not.toBeNull();
    expect(report.walkForward.segments).toHaveLength(3);
    expect(report.dsr.trials).toBeGreaterThan(1);
    expect(report.pbo.combinations).toBe(12870);
    expect(report.monteCarlo.blocks.horizons).toHaveLength(2);
    expect(report.gate.reasons).toHaveLength(12);
    const warm = await openWarmStore({ dataDir: dir, logger: quiet });
    try {
      const { rows } = await warm.sql.query<{ passed: boolean }>(`select passed from validation_reports where id = $1`, [report.reportId]);
      expect(rows).toEqual([{ passed: report.gate.passed }]);
    } finally {
      await warm.close();
    }
  }, 180_000);

  it('prints training vs holdout vs walk-forward, DSR, PBO and the verdict with reasons', async () => {
    const r = await run('validate', evolutionId, ...small, '--no-store', '--gate', 'minDsr=0.9');
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/training\s+holdout\s+walk-forward/);
    expect(r.stdout).toMatch(/Sharpe \(annualised\)/);
    expect(r.stdout).toMatch(/deflated Sharpe ratio\s+\d\.\d{3}/);
    expect(r.stdout).toMatch(/PBO\s+\d\.\d{3}/);
    expect(r.stdout).toMatch(/^\s+7d\s+return/m);
    expect(r.stdout).toMatch(/^verdict: (PASS|FAIL)/m);
    expect(r.stdout).toMatch(/deflated Sharpe ratio [\d.]+ (>=|<) 0.9/);
    expect(r.stdout).not.toMatch(/report stored/);
  }, 180_000);

  it('reports a bad id and bad options as errors', async () => {
    expect((await run('validate', 'not-an-id')).stderr).toMatch(/not an evolution id/);
    expect((await run('validate', evolutionId, '--wf-mode', 'sideways')).stderr).toMatch(/--wf-mode must be rolling or anchored/);
    expect((await run('validate', evolutionId, '--gate', 'maxWhatever=1')).stderr).toMatch(/unknown gate threshold/);
  }, 60_000);
});

describe('playforge library (CLI)', () => {
  it('lists an empty library and refuses a promotion without a passed demo', async () => {
    const ls = await run('library', 'ls', '--regime', 'trending', '--json');
    expect(JSON.parse(ls.stdout)).toEqual({ tags: ['regime:trending'], plays: [] });
    const add = await run('library', 'add', '00000000-0000-4000-8000-000000000001', '--demo-run', '00000000-0000-4000-8000-000000000002');
    expect(add.code).toBe(1);
    expect(add.stderr).toMatch(/no validation report/);
  }, 60_000);
});
