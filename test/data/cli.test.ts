import { existsSync } from 'node:fs';
import path from 'node:path';
import { Command } from 'commander';
import { afterAll, afterEach, describe, expect, it, vi } from 'vitest';
import { registerDataCommands } from '../../src/cli/commands/data.ts';
import { main } from '../../src/cli/main.ts';
import { barsFromCsv, fundingFromCsv, startFakeBybit } from './support/fake-bybit.ts';
import { cleanup, example, realLines, tempDir, writeLines } from './support/helpers.ts';

const dirs: string[] = [];
afterAll(() => dirs.forEach(cleanup));
afterEach(() => {
  process.exitCode = 0;
  vi.restoreAllMocks();
});

/** Runs `playforge --data-dir DIR data ...args` in-process; returns exit code and captured output. */
async function run(dataDir: string, ...args: string[]): Promise<{ code: number; out: string; err: string }> {
  let out = '';
  let err = '';
  vi.spyOn(process.stdout, 'write').mockImplementation((s: string | Uint8Array) => ((out += String(s)), true));
  vi.spyOn(process.stderr, 'write').mockImplementation((s: string | Uint8Array) => ((err += String(s)), true));
  const program = new Command('playforge').option('--data-dir <dir>').exitOverride();
  registerDataCommands(program);
  let code: number;
  try {
    await program.parseAsync(['node', 'playforge', '--data-dir', dataDir, 'data', ...args]);
    code = typeof process.exitCode === 'number' ? process.exitCode : 0;
  } finally {
    vi.restoreAllMocks();
    process.exitCode = 0;
  }
  return { code, out, err };
}

describe('playforge data commands', () => {
  const dir = tempDir();
  dirs.push(dir);

  it('import --json prints one JSON document with per-file results', async () => {
    const r = await run(dir, 'import', example('BYBIT_BTCUSDT_4h.csv'), example('BYBIT_BTCUSDT_funding.csv'), '--json');
    expect(r.code).toBe(0);
    const doc = JSON.parse(r.out);
    expect(doc.ok).toBe(true);
    expect(doc.results.map((x: { target: string }) => x.target)).toEqual(['bybit:BTCUSDT:4h', 'bybit:BTCUSDT:funding']);
    expect(doc.results[0].merge.inserted).toBe(4611);
    expect(existsSync(path.join(dir, 'playforge.duckdb'))).toBe(true);
  });

  it('import with flags, and a corrupted file exits 1 with its code and line', async () => {
    const lines = realLines('BYBIT_BTCUSDT_1h.csv', 20);
    const bad = writeLines(dir, 'bad.csv', lines.map((l, i) => (i === 6 ? l.replace(/,[^,]+$/, ',-4') : l)));
    const r = await run(dir, 'import', bad, '--exchange', 'bybit', '--symbol', 'ETHUSDT', '--interval', '1h', '--json');
    expect(r.code).toBe(1);
    const doc = JSON.parse(r.out);
    expect(doc.ok).toBe(false);
    expect(doc.errors[0].code).toBe('DATA_NEGATIVE_VOLUME');
    expect(doc.errors[0].report.issues).toEqual([expect.objectContaining({ code: 'DATA_NEGATIVE_VOLUME', rows: [7] })]);
    const human = await run(dir, 'import', bad, '--exchange', 'bybit', '--symbol', 'ETHUSDT', '--interval', '1h');
    expect(human.code).toBe(1);
    expect(human.err).toMatch(/bad\.csv:7: .*DATA_NEGATIVE_VOLUME: 1 at line 7/s);
    const dropped = await run(dir, 'import', bad, '--exchange', 'bybit', '--symbol', 'ETHUSDT', '--interval', '1h', '--policy', 'drop');
    expect(dropped.code).toBe(0);
    expect(dropped.out).toMatch(/19 inserted.*1 dropped/);
    expect(dropped.out).toMatch(/drop: DATA_NEGATIVE_VOLUME/);
  });

  it('ls --json lists datasets with range, rows and gaps, and funding', async () => {
    const r = await run(dir, 'ls', '--json');
    const doc = JSON.parse(r.out);
    expect(doc.datasets.map((d: { id: string }) => d.id)).toEqual(['bybit:BTCUSDT:4h', 'bybit:ETHUSDT:1h']);
    expect(doc.datasets[0]).toMatchObject({ rows: 4611, gaps: { count: 0, missingBars: 0 }, firstIso: '2023-11-29T00:00:00.000Z' });
    expect(doc.datasets[1]).toMatchObject({ rows: 19, gaps: { count: 1, missingBars: 1 } });
    expect(doc.funding[0]).toMatchObject({ id: 'bybit:BTCUSDT:funding', rows: 2406 });
    const human = await run(dir, 'ls');
    expect(human.out).toMatch(/bybit:BTCUSDT:4h\s+2023-11-29T00:00Z\s+2026-01-05T08:00Z\s+4611\s+0\s+0/);
  });

  it('export writes CSV and Parquet', async () => {
    const csv = path.join(dir, 'x.csv');
    const r = await run(dir, 'export', 'bybit:BTCUSDT:4h', '--out', csv, '--from', '2024-01-01', '--to', '2024-01-02', '--json');
    expect(JSON.parse(r.out)).toMatchObject({ rows: 6, format: 'csv' });
    const pq = path.join(dir, 'f.parquet');
    const f = await run(dir, 'export', 'bybit:BTCUSDT:funding', '--out', pq, '--json');
    expect(JSON.parse(f.out)).toMatchObject({ rows: 2406, format: 'parquet' });
    const back = await run(dir, 'import', pq, '--exchange', 'bybit', '--symbol', 'BTCUSDT', '--funding', '--json');
    expect(JSON.parse(back.out).results[0].merge).toMatchObject({ inserted: 0, unchanged: 2406 });
  });

  it('fetch downloads from the --base-url server with --json output', async () => {
    const bars = barsFromCsv(example('BYBIT_BTCUSDT_1h.csv'), 100);
    const server = await startFakeBybit({ bars: { '60': bars }, funding: fundingFromCsv(example('BYBIT_BTCUSDT_funding.csv')), faults: [{ kind: 'http5xx' }] });
    try {
      const fdir = tempDir();
      dirs.push(fdir);
      const from = new Date(bars[0].ts).toISOString();
      const to = String(bars[48].ts);
      // The first attempt gets a 502; the retry waits the first backoff step (500 ms) for real here.
      const r = await run(fdir, 'fetch', '--symbol', 'BTCUSDT', '--interval', '1h', '--from', from, '--to', to, '--base-url', server.url, '--json');
      expect(r.code).toBe(0);
      const doc = JSON.parse(r.out);
      expect(doc).toMatchObject({ dataset: 'bybit:BTCUSDT:1h', bars: { inserted: 48 }, stored: { rows: 48, gapCount: 0 } });
      expect(doc.funding.inserted).toBe(5); // settlements 11-29 08:00 .. 11-30 16:00
      expect(r.err).toMatch(/retry 1 of \/v5\/market\/kline in 500 ms: HTTP 502/);
    } finally {
      await server.close();
    }
  });

  it('is registered on the real CLI', async () => {
    let out = '';
    vi.spyOn(process.stdout, 'write').mockImplementation((s: string | Uint8Array) => ((out += String(s)), true));
    const code = await main(['node', 'playforge', '--data-dir', dir, 'data', 'ls', '--json']);
    vi.restoreAllMocks();
    expect(code).toBe(0);
    expect(JSON.parse(out).datasets.length).toBe(2);
  });
});
