// `playforge evolve` as a user runs it: a child process on a data dir in a temp folder, killed (SIGKILL) after a
// generation is stored, then `--resume ID`: it ends with exactly the result of an uninterrupted run.
import { spawn, spawnSync } from 'node:child_process';
import { rmSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { main } from '../../src/cli/main.ts';
import { loadPlayFile } from '../../src/dsl/index.ts';
import { loadEvolutionData, runEvolution, type RunResult } from '../../src/evolve/index.ts';
import { btcStoreDir, WIDE_PLAY } from './helpers.ts';

const BIN = new URL('../../bin/playforge.js', import.meta.url).pathname;
const FROM = '2025-01-01';
let dataDir: string;
let args: string[];
let reference: RunResult;

interface EvolveJson {
  id: string;
  train: { from: string; to: string; bars: number };
  holdout: { from: string; to: string; bars: number } | null;
  winners: Array<{ genome: Record<string, unknown>; params: Record<string, unknown>; fitness: number; metrics: Record<string, unknown>; individualId: number }>;
  evolutions: Array<{ id: string; stopReason: string; generations: number; evaluations: number; history: Array<Record<string, number>> }>;
}

function runJson(args: string[]): EvolveJson {
  const r = spawnSync(process.execPath, [BIN, ...args, '--json'], { encoding: 'utf8', timeout: 180_000 });
  if (r.status !== 0) throw new Error(`exit ${r.status}: ${r.stderr}`);
  return JSON.parse(r.stdout) as EvolveJson;
}

/** Starts the run and SIGKILLs it right after generation 2 is stored; resolves with the evolution id. */
function runAndKill(args: string[]): Promise<{ id: string; stderr: string; signal: NodeJS.Signals | null }> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [BIN, ...args], { stdio: ['ignore', 'ignore', 'pipe'] });
    let stderr = '';
    let id = '';
    child.stderr.setEncoding('utf8');
    child.stderr.on('data', (chunk: string) => {
      stderr += chunk;
      id ||= /\(evolution ([0-9a-f-]{36})\)/.exec(stderr)?.[1] ?? '';
      if (/generation 2 stored/.test(stderr)) child.kill('SIGKILL');
    });
    child.on('error', reject);
    child.on('exit', (_code, signal) => resolve({ id, stderr, signal }));
  });
}

/** The CLI in this process (main() returns the exit code), stderr captured. */
async function runInProcess(argv: string[]): Promise<{ code: number; stderr: string }> {
  let stderr = '';
  const spy = vi.spyOn(process.stderr, 'write').mockImplementation((chunk: string | Uint8Array) => {
    stderr += typeof chunk === 'string' ? chunk : Buffer.from(chunk).toString('utf8');
    return true;
  });
  try {
    return { code: await main(['node', 'playforge', ...argv]), stderr };
  } finally {
    spy.mockRestore();
    process.exitCode = undefined;
  }
}

/** What must match between runs: every generation's figures and the winners (row ids aside), as JSON. */
const comparable = (e: { stopReason: string; generations: number; evaluations: number; history: unknown[]; winners: Array<{ individualId: number | null }> }) =>
  JSON.parse(JSON.stringify({ stopReason: e.stopReason, generations: e.generations, evaluations: e.evaluations, history: e.history, winners: e.winners.map(({ individualId: _id, ...w }) => w) })) as unknown;

beforeAll(async () => {
  // A data dir with the BTCUSDT 1h bars already imported (the CLI imports the bundled data only when its dataset is missing).
  dataDir = await btcStoreDir();
  args = ['--data-dir', dataDir, 'evolve', WIDE_PLAY, '--data', 'bybit:BTCUSDT:1h', '--from', FROM, '--seed', '4', '--population', '16', '--generations', '6', '--patience', '6'];
  // The uninterrupted run, in this process and thread: the reference every other evaluator must match.
  const play = (await loadPlayFile(WIDE_PLAY)).play!;
  const d = await loadEvolutionData(dataDir, [play], 'bybit:BTCUSDT:1h', { from: Date.parse(FROM) });
  reference = await runEvolution({ plays: d.plays, data: { datasetId: 'bybit:BTCUSDT:1h', ...d }, seed: 4, ga: { population: 16, maxGenerations: 6, patience: 6 }, workers: 0 });
}, 120_000);

afterAll(() => rmSync(dataDir, { recursive: true, force: true }));

describe('playforge evolve (CLI)', () => {
  it('a run killed mid-generation and resumed with --resume ID ends like the uninterrupted run', async () => {
    // Killed while on a 2-thread pool (the CLI's workers load TypeScript too), resumed in-thread.
    const killed = await runAndKill([...args, '--workers', '2']);
    expect(killed.signal).toBe('SIGKILL');
    expect(killed.id).toMatch(/^[0-9a-f-]{36}$/);
    expect(killed.stderr).not.toMatch(/generation 5 stored/);

    const resumed = runJson(['--data-dir', dataDir, 'evolve', '--resume', killed.id, '--workers', '0']);
    expect(resumed.id).toBe(killed.id);
    expect(resumed.evolutions[0].generations).toBe(6);
    const ref = reference.evolutions[0];
    const refHistory = ref.history.map((g) => ({ generation: g.generation, best: g.best, median: g.median, mean: g.mean, bestSoFar: g.bestSoFar, evaluated: g.evaluated, size: g.members.length }));
    expect(comparable(resumed.evolutions[0] as never)).toEqual(comparable({ ...ref, history: refHistory }));
    expect(resumed.train.bars).toBe(reference.train.bars);
    expect(resumed.holdout!.bars).toBe(reference.holdout!.bars);
    expect(resumed.holdout!.bars).toBe(Math.round((resumed.train.bars + resumed.holdout!.bars) * 0.25));
  }, 300_000);

  it('reports a missing evolution id and a bad option with their codes', async () => {
    const missing = await runInProcess(['--data-dir', dataDir, 'evolve', '--resume', '00000000-0000-0000-0000-000000000000']);
    expect(missing.code).toBe(1);
    expect(missing.stderr).toContain('EVOLVE_NOT_FOUND');
    const bad = await runInProcess(['--data-dir', dataDir, 'evolve', WIDE_PLAY, '--population', '1']);
    expect(bad.code).toBe(1);
    expect(bad.stderr).toContain('CLI_BAD_OPTION');
  }, 120_000);
});
