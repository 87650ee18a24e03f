// The whole backtest path: TRADE's plays on their synthetic patterns, stored real data with funding and
// finer bars, and the `playforge backtest` command.
import { mkdtemp, readdir, readFile, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CandleStore, EXAMPLES_DATA_DIR, importFile } from '../../src/data/index.ts';
import { defaultGenome, loadPlayFile, resolvePlay } from '../../src/dsl/index.ts';
import { backtestPlay, loadBacktestData, syntheticMarketData } from '../../src/engine/index.ts';
import { main } from '../../src/cli/main.ts';

const TRADE_FIXTURES = path.join(import.meta.dirname, '../fixtures/trade-plays');
const SEED = path.join(import.meta.dirname, '../../examples/plays/regime_markov_candidate_001.yml');

async function concretePlay(file: string) {
  const { play, errors } = await loadPlayFile(file);
  expect(errors).toEqual([]);
  return resolvePlay(play!, defaultGenome(play!));
}

describe('TRADE plays on their synthetic patterns', () => {
  it('every fixture play with a pattern backtests without error, and they trade', async () => {
    const files = (await readdir(TRADE_FIXTURES)).filter((f) => f.endsWith('.yml'));
    let withPattern = 0, trades = 0;
    for (const f of files) {
      const play = await concretePlay(path.join(TRADE_FIXTURES, f));
      if (!(play.synthetic?.pattern ?? play.validation?.pattern)) continue;
      withPattern++;
      const bt = backtestPlay(play, syntheticMarketData(play));
      expect(bt.result.equity.length).toBe(bt.compiled.n);
      expect(Number.isFinite(bt.metrics.finalEquity), f).toBe(true);
      trades += bt.metrics.trades;
    }
    expect(withPattern).toBeGreaterThanOrEqual(10);
    expect(trades).toBeGreaterThan(0);
  });

  it('the same seed gives the same backtest, another seed another one', async () => {
    const play = await concretePlay(path.join(TRADE_FIXTURES, 'V_T12_003_mtf_align_bull.yml'));
    const a = backtestPlay(play, syntheticMarketData(play, { seed: 7 }));
    const b = backtestPlay(play, syntheticMarketData(play, { seed: 7 }));
    const c = backtestPlay(play, syntheticMarketData(play, { seed: 8 }));
    expect(b.result.trades).toEqual(a.result.trades);
    expect(Array.from(b.result.equity)).toEqual(Array.from(a.result.equity));
    expect(Array.from(c.result.equity)).not.toEqual(Array.from(a.result.equity));
  });
});

describe('backtests on stored real data', () => {
  let dataDir: string;
  beforeAll(async () => {
    dataDir = await mkdtemp(path.join(os.tmpdir(), 'pf-bt-'));
    const store = await CandleStore.open(dataDir);
    try {
      for (const f of ['BYBIT_BTCUSDT_1h.csv', 'BYBIT_BTCUSDT_15m.csv', 'BYBIT_BTCUSDT_funding.csv']) await importFile(store, path.join(EXAMPLES_DATA_DIR, f));
    } finally {
      store.close();
    }
  });
  afterAll(() => rm(dataDir, { recursive: true, force: true }));

  it('loads funding per bar and the finest covering bars, and moves the play onto the data interval', async () => {
    const play = await concretePlay(SEED);
    const loaded = await loadBacktestData(dataDir, play, 'bybit:BTCUSDT:1h', { from: Date.UTC(2024, 0, 1), to: Date.UTC(2024, 6, 1) });
    expect(loaded.data.subInterval).toBe('15m');
    expect(loaded.data.subCandles!.length).toBe(loaded.data.exec.length * 4);
    const settled = Array.from(loaded.data.funding!).filter((r) => !Number.isNaN(r));
    expect(settled.length).toBe(Math.round(loaded.data.exec.length / 8)); // one settlement every 8 h
    expect(loaded.play.timeframes[loaded.play.timeframes.exec]).toBe('1h');
    expect(loaded.notes.join(' ')).toMatch(/15m/);
    const bt = backtestPlay(loaded.play, loaded.data);
    expect(bt.metrics.trades).toBeGreaterThan(0);
    // Funding is charged on held positions: the total is the sum over trades.
    const tradeFunding = bt.result.trades.reduce((s, t) => s + t.funding, 0);
    expect(bt.result.totalFunding).toBeCloseTo(tradeFunding, 9);
    expect(bt.result.totalFunding).not.toBe(0);
  });

  it('playforge backtest --json prints metrics and writes trades and equity', async () => {
    const out = path.join(dataDir, 'run');
    const lines: string[] = [];
    const write = process.stdout.write.bind(process.stdout);
    process.stdout.write = ((s: string) => (lines.push(String(s)), true)) as typeof process.stdout.write;
    const errWrite = process.stderr.write.bind(process.stderr);
    process.stderr.write = (() => true) as typeof process.stderr.write;
    let code: number;
    try {
      code = await main(['node', 'playforge', '--data-dir', dataDir, 'backtest', SEED, '--data', 'bybit:BTCUSDT:1h', '--from', '2024-01-01', '--to', '2024-07-01', '--out', out, '--json']);
    } finally {
      process.stdout.write = write;
      process.stderr.write = errWrite;
    }
    expect(code).toBe(0);
    const doc = JSON.parse(lines.join(''));
    expect(doc.play).toBe('regime_markov_candidate_001');
    expect(doc.subInterval).toBe('15m');
    expect(doc.metrics.trades).toBeGreaterThan(0);
    const trades = JSON.parse(await readFile(path.join(out, 'trades.json'), 'utf8'));
    const equity = JSON.parse(await readFile(path.join(out, 'equity.json'), 'utf8'));
    expect(trades.length).toBe(doc.metrics.trades);
    expect(equity.points.length).toBe(doc.bars);
    expect(equity.points.at(-1)[1]).toBeCloseTo(doc.metrics.finalEquity, 6);
  });
});

describe('lazy results share their getters', () => {
  // A getter closure per backtest gave each result its own hidden class, and the scavenger kept every one of
  // them — with the run's account, trade log and compiled columns — alive until a full GC (lazy-props.ts).
  it('two backtests and two compilations read their lazy fields through the same functions', async () => {
    const play = await concretePlay(path.join(TRADE_FIXTURES, 'V_T12_003_mtf_align_bull.yml'));
    const [a, b] = [backtestPlay(play, syntheticMarketData(play, { seed: 1 })), backtestPlay(play, syntheticMarketData(play, { seed: 2 }))];
    const getters = (o: object) => Object.entries(Object.getOwnPropertyDescriptors(o)).filter(([, d]) => d.get).map(([k, d]) => [k, d.get]);
    expect(getters(a.result).map(([k]) => k)).toEqual(['trades', 'equity', 'inPosition']);
    expect(getters(b.result)).toEqual(getters(a.result));
    expect(getters(a.compiled.exitPercent).length).toBeGreaterThan(0);
    expect(getters(b.compiled.exitPercent)).toEqual(getters(a.compiled.exitPercent));
    expect(b.result.trades).not.toEqual(a.result.trades);
  });
});
