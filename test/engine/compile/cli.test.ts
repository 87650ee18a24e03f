// `playforge features`: the data window CSV (header, one row per exec bar, values equal to compiling the
// same bars directly), --params, --json summary, and errors. Runs the real CLI (bin/playforge.js) in child
// processes on a fresh data dir, which `ensureDefaultData` fills with the bundled examples/data first; the
// error cases run in-process.
import { execFile } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it, vi } from 'vitest';
import { main } from '../../../src/cli/main.ts';
import { candlesFromArrays } from '../../../src/data/index.ts';
import { compilePlay, withExecInterval } from '../../../src/engine/index.ts';
import { EXAMPLE_PLAYS_DIR, examplePlay } from './helpers.ts';

const dir = mkdtempSync(path.join(os.tmpdir(), 'pf-features-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));
const BIN = path.join(EXAMPLE_PLAYS_DIR, '..', '..', 'bin', 'playforge.js');

function run(...args: string[]): Promise<{ code: number; out: string; err: string }> {
  return new Promise((resolve) => {
    execFile(process.execPath, [BIN, '--data-dir', path.join(dir, 'data'), ...args], { maxBuffer: 1 << 26 }, (e, out, err) => {
      resolve({ code: e ? ((e as { code?: number }).code ?? 1) : 0, out, err });
    });
  });
}

/** The CLI in this process. */
async function runInProcess(...args: string[]): Promise<{ code: number; out: string; err: string }> {
  let out = '', err = '';
  const o = vi.spyOn(process.stdout, 'write').mockImplementation((s: string | Uint8Array) => ((out += String(s)), true));
  const e = vi.spyOn(process.stderr, 'write').mockImplementation((s: string | Uint8Array) => ((err += String(s)), true));
  try {
    const code = await main(['node', 'playforge', '--data-dir', path.join(dir, 'data'), ...args]);
    return { code, out, err };
  } finally {
    o.mockRestore();
    e.mockRestore();
    process.exitCode = undefined;
  }
}

/** January 2025 of the bundled 1h file, the bars the CLI reads from the store. */
function january1h() {
  const rows = readFileSync(path.join(EXAMPLE_PLAYS_DIR, '..', 'data', 'BYBIT_BTCUSDT_1h.csv'), 'utf8').trim().split('\n').slice(1)
    .map((l) => l.split(',').map(Number))
    .filter((r) => r[0] >= Date.UTC(2025, 0, 1) && r[0] < Date.UTC(2025, 1, 1));
  const col = (j: number) => rows.map((r) => r[j]);
  return candlesFromArrays({ ts: col(0), open: col(1), high: col(2), low: col(3), close: col(4), volume: col(5) });
}

const SEED = path.join(EXAMPLE_PLAYS_DIR, 'regime_markov_candidate_001.yml');
const JANUARY = ['--from', '2025-01-01', '--to', '2025-02-01'];

function readCsv(file: string): { header: string[]; rows: string[][] } {
  const lines = readFileSync(file, 'utf8').trimEnd().split('\n');
  return { header: lines[0].split(','), rows: lines.slice(1).map((l) => l.split(',')) };
}

describe('playforge features', () => {
  it('writes one row per exec bar with every feature, structure field, condition and signal', async () => {
    const out = path.join(dir, 'seed.csv');
    const r = await run('features', SEED, '--data', 'bybit:BTCUSDT:1h', ...JANUARY, '--out', out, '--json');
    expect(r.code).toBe(0);
    const doc = JSON.parse(r.out);
    expect(doc).toMatchObject({ play: 'regime_markov_candidate_001', execInterval: '1h', rows: 31 * 24, first: '2025-01-01T00:00:00.000Z' });
    expect(doc.genome).toEqual({ 'features.ema_fast.params.length': 8, 'features.ema_slow.params.length': 50, 'structures.regime.params.ema_length': 20 });
    expect(r.err).toMatch(/steps on 15m bars; running it on the dataset's 1h bars/);

    const csv = readCsv(out);
    expect(csv.rows).toHaveLength(31 * 24);
    expect(csv.header.slice(0, 9)).toEqual(['ts', 'time', 'open', 'high', 'low', 'close', 'volume', 'ema_fast', 'ema_slow']);
    expect(csv.header).toContain('regime.state');
    expect(csv.header).toContain('regime.transition');
    expect(csv.header.slice(-6)).toEqual(['when.entry_long', 'signal.entry_long', 'signal.entry_short', 'signal.exit_long', 'signal.exit_short', 'signal.exit_all']);
    expect(doc.header).toEqual(csv.header);
    expect(csv.rows.every((row) => row.length === csv.header.length)).toBe(true);

    // The cells are the compiled play's values on the same bars, ENUMs as labels.
    const candles = january1h();
    const compiled = compilePlay(withExecInterval(examplePlay('regime_markov_candidate_001.yml'), '1h'), { exec: candles, execInterval: '1h' });
    const col = (name: string) => csv.rows.map((row) => row[csv.header.indexOf(name)]);
    expect(col('ema_fast')).toEqual(Array.from(compiled.column('ema_fast'), (v) => (Number.isNaN(v) ? '' : String(v))));
    const labels = compiled.enumValues('regime.state')!;
    expect(col('regime.state')).toEqual(Array.from(compiled.column('regime.state'), (v) => (Number.isNaN(v) ? '' : labels[v])));
    expect(new Set(col('regime.state').filter(Boolean))).toEqual(new Set(['trending_up', 'trending_down', 'ranging']));
    expect(col('when.entry_long')).toEqual(Array.from(compiled.conditionColumns()['when.entry_long'], String));
    expect(doc.signals.entry_long).toBe(compiled.signals.entry_long.reduce((s, x) => s + x, 0));
  }, 120_000);

  it('--params picks a genome; without --json it prints a table summary', async () => {
    const out = path.join(dir, 'seed20.csv');
    const r = await run('features', SEED, '--data', 'bybit:BTCUSDT:1h', ...JANUARY, '--params', 'ema_fast.length=20,ema_length=50', '--out', out);
    expect(r.code).toBe(0);
    expect(r.out).toMatch(/regime_markov_candidate_001 on bybit:BTCUSDT:1h: 744 bars .* -> /);
    expect(r.out).toMatch(/when\.entry_long\s+\d+/);
    const a = readCsv(path.join(dir, 'seed.csv'));
    const b = readCsv(out);
    expect(b.header).toEqual(a.header);
    const i = a.header.indexOf('ema_fast');
    expect(b.rows[100][i]).not.toBe(a.rows[100][i]);
  }, 120_000);

  it('a play reading funding_rate gets the column', async () => {
    const out = path.join(dir, 'funding.csv');
    const r = await run('features', path.join(EXAMPLE_PLAYS_DIR, 'funding_contrarian.yml'), '--data', 'bybit:BTCUSDT:1h', ...JANUARY, '--out', out, '--json');
    expect(r.code).toBe(0);
    const csv = readCsv(out);
    const f = csv.header.indexOf('funding_rate');
    expect(f).toBeGreaterThan(0);
    expect(csv.rows.slice(24).every((row) => row[f] !== '' && Number.isFinite(Number(row[f])))).toBe(true);
  }, 120_000);

  it('fails with a clear error for an unknown gene, an invalid play, or no bars in the range (in-process)', async () => {
    // The only store this test process opens (DuckDB is slow to reopen a file in one process).
    const none = await runInProcess('features', SEED, '--data', 'bybit:BTCUSDT:1h', '--from', '2030-01-01', '--out', path.join(dir, 'x.csv'));
    expect(none.code).toBe(1);
    expect(none.err).toMatch(/ENGINE_NO_DATA/);
    const bad = await runInProcess('features', SEED, '--data', 'bybit:BTCUSDT:1h', '--params', 'nope=3', '--out', path.join(dir, 'x.csv'));
    expect(bad.code).toBe(1);
    expect(bad.err).toMatch(/DSL_UNKNOWN_GENE/);
    const invalid = await runInProcess('features', path.join(EXAMPLE_PLAYS_DIR, 'README.md'), '--data', 'bybit:BTCUSDT:1h', '--out', path.join(dir, 'x.csv'), '--json');
    expect(invalid.code).toBe(1);
    expect(JSON.parse(invalid.out)).toMatchObject({ valid: false });
  });
});
