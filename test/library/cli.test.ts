// `playforge library add|ls|show|export|retire` run in-process through main() on a data dir whose warm store
// holds a validated evolution (synthetic market with a real edge) and a passed demo run.
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { main } from '../../src/cli/main.ts';
import { openWarmStore } from '../../src/store/index.ts';
import { loadEvolutionRecord, saveValidationReport, validateEvolution } from '../../src/validate/index.ts';
import { persistEvolution } from '../validate/db-helpers.ts';
import { crossPlay, exhaustiveEvolution, HOUR, syntheticMarket, T0 } from '../validate/helpers.ts';

// These CLI runs use a store of their own: the embedded one in the test's data dir, even where DATABASE_URL
// points at a shared server (CI) whose public schema every suite's CLI runs would otherwise write to.
const serverUrl = process.env.DATABASE_URL;
beforeAll(() => {
  delete process.env.DATABASE_URL;
});
afterAll(() => {
  if (serverUrl !== undefined) process.env.DATABASE_URL = serverUrl;
});

const DAY = 24 * HOUR;
const quiet = { info: () => undefined, warn: () => undefined };
let dir = '';
let reportId = '';
let demoRunId = '';

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
  dir = mkdtempSync(path.join(tmpdir(), 'pf-library-cli-'));
  const play = crossPlay();
  const market = syntheticMarket(3, 24 * 200, { cycleBars: 96, cycleAmp: 0.04, vol: 0.003 });
  const warm = await openWarmStore({ dataDir: dir, logger: quiet });
  try {
    const stored = await persistEvolution(warm.sql, exhaustiveEvolution(play, market, { from: T0, to: T0 + 150 * DAY }, { from: T0 + 150 * DAY, to: T0 + 200 * DAY }));
    const record = await loadEvolutionRecord(warm.sql, stored.id);
    const report = await validateEvolution({ record, play, market }, { partitions: 8, walkForward: { windows: 3, budget: 4 }, monteCarlo: { simulations: 200 }, thresholds: { maxPbo: 0.3 } });
    reportId = (await saveValidationReport(warm.sql, record, report)).id;
    const { rows } = await warm.sql.query<{ id: string }>(
      `insert into demo_runs (play_id, venue, dataset, status, ended_at) values ($1, 'paper', 'bybit:BTCUSDT:1h', 'passed', now()) returning id`, [stored.playId],
    );
    demoRunId = rows[0].id;
  } finally {
    await warm.close();
  }
}, 120_000);

afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('playforge library (CLI)', () => {
  it('adds, lists, shows, exports and retires a vetted play', async () => {
    const add = await run('library', 'add', reportId, '--demo-run', demoRunId, '--name', 'btc_cycle', '--json');
    expect(add.code).toBe(0);
    const added = JSON.parse(add.stdout);
    expect(added).toMatchObject({ name: 'btc_cycle', version: 1, retired: false });
    expect(added.createdAt).toMatch(/^\d{4}-\d\d-\d\dT/);
    const regime = added.regime as string;

    const ls = await run('library', 'ls', '--asset', 'BTCUSDT');
    expect(ls.stdout).toMatch(new RegExp(`^btc_cycle v1\\s+${regime}\\s+BTCUSDT`, 'm'));
    expect((await run('library', 'ls', '--risk', 'nonsense', '--json')).stdout).toBe('{"tags":["risk:nonsense"],"plays":[]}\n');

    const show = await run('library', 'show', 'btc_cycle');
    expect(show.stdout).toMatch(/^# playforge vetted play: btc_cycle v1/);
    expect(show.stdout).toMatch(/^name: validate_ema_cross$/m);

    const out = path.join(dir, 'tree');
    const exp = await run('library', 'export', '--out', out, '--json');
    const file = path.join(out, regime, 'btc_cycle_v1.yml');
    expect(JSON.parse(exp.stdout).written).toEqual([file]);
    expect(readFileSync(file, 'utf8')).toMatch(/^# expected 30d: return/m);

    const retire = await run('library', 'retire', 'btc_cycle', '--reason', 'test over');
    expect(retire.stdout).toBe('retired btc_cycle v1\n');
    await run('library', 'export', '--out', out);
    expect(existsSync(file)).toBe(false);
  }, 120_000);
});
