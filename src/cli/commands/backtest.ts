// `playforge backtest PLAY --data exchange:SYMBOL:interval`: one backtest with a metrics table, and the
// trades and equity curve written as JSON for the dashboard. A thin shell over src/engine.
import { mkdir, writeFile } from 'node:fs/promises';
import path from 'node:path';
import type { Command } from 'commander';
import { ensureDefaultData, withStore } from '../../data/index.ts';
import { defaultGenome, parseParamAssignments, resolvePlay } from '../../dsl/index.ts';
import { backtestPlay, loadBacktestData, syntheticMarketData, type BacktestData, type Metrics, type PlayBacktest } from '../../engine/index.ts';
import { dataDirOf, err, loadPlayOrReport, out, parseRange } from '../io.ts';

interface BacktestOptions {
  data?: string;
  params?: string;
  from?: string;
  to?: string;
  out?: string;
  subBars: boolean;
  synthetic?: boolean;
  syntheticBars?: string;
  syntheticSeed?: string;
  syntheticPattern?: string;
  json?: boolean;
}

const METRIC_ROWS: Array<[keyof Metrics, string, (v: number) => string]> = [
  ['totalReturnPct', 'total return', (v) => `${v.toFixed(2)} %`],
  ['cagrPct', 'CAGR', (v) => `${v.toFixed(2)} %`],
  ['sharpe', 'Sharpe (annualised)', (v) => v.toFixed(3)],
  ['sortino', 'Sortino (annualised)', (v) => v.toFixed(3)],
  ['calmar', 'Calmar', (v) => v.toFixed(3)],
  ['maxDrawdownPct', 'max drawdown', (v) => `${v.toFixed(2)} %`],
  ['maxDrawdownBars', 'max drawdown duration', (v) => `${v} bars`],
  ['trades', 'trades', (v) => String(v)],
  ['winRatePct', 'win rate', (v) => `${v.toFixed(1)} %`],
  ['profitFactor', 'profit factor', (v) => (Number.isFinite(v) ? v.toFixed(3) : 'inf')],
  ['expectancy', 'expectancy', (v) => `${v.toFixed(2)} USDT`],
  ['avgTradeReturnPct', 'average trade', (v) => `${v.toFixed(3)} %`],
  ['avgHoldingBars', 'average holding', (v) => `${v.toFixed(1)} bars`],
  ['exposurePct', 'exposure', (v) => `${v.toFixed(1)} %`],
  ['totalFees', 'fees', (v) => `${v.toFixed(2)} USDT`],
  ['totalFunding', 'funding', (v) => `${v.toFixed(2)} USDT`],
  ['finalEquity', 'final equity', (v) => `${v.toFixed(2)} USDT`],
];

async function writeArtifacts(dir: string, bt: PlayBacktest): Promise<{ trades: string; equity: string }> {
  await mkdir(dir, { recursive: true });
  const trades = path.join(dir, 'trades.json');
  const equity = path.join(dir, 'equity.json');
  await writeFile(trades, JSON.stringify(bt.result.trades));
  const ts = bt.compiled.exec.ts;
  const curve = Array.from(bt.result.equity, (e, i) => [ts[i], e]);
  await writeFile(equity, JSON.stringify({ startingEquity: bt.result.startingEquity, points: curve }));
  return { trades, equity };
}

export function registerBacktestCommands(program: Command): void {
  program
    .command('backtest')
    .description('backtest a play on stored data: metrics table, trades and equity as JSON')
    .argument('<play>', 'play YAML file')
    .option('--data <dataset>', 'dataset exchange:SYMBOL:interval (default bybit:<play symbol>:<play exec interval>)')
    .option('--params <k=v,...>', 'values for ranged parameters (the rest take the default genome)')
    .option('--from <date>', 'first bar open time (ISO-8601 or epoch ms), inclusive')
    .option('--to <date>', 'bar open time bound (ISO-8601 or epoch ms), exclusive')
    .option('--out <dir>', 'where trades.json and equity.json go (default <data-dir>/backtests/<play>-<time>)')
    .option('--no-sub-bars', 'do not resolve stops and limit fills on finer stored candles')
    .option('--synthetic', "run on seeded synthetic candles of the play's synthetic/validation pattern (no market data)")
    .option('--synthetic-bars <n>', 'bars of the slowest timeframe (default: warm-up + 300)')
    .option('--synthetic-seed <n>', 'seed of the synthetic candles')
    .option('--synthetic-pattern <name>', 'pattern to use instead of the play\'s')
    .option('--json', 'print one JSON document')
    .action(async (file: string, opts: BacktestOptions, cmd: Command) => {
      const play = await loadPlayOrReport(file, Boolean(opts.json));
      if (!play) return;
      const genome = { ...defaultGenome(play), ...(opts.params ? parseParamAssignments(opts.params, play) : {}) };
      const concrete = resolvePlay(play, genome);
      const dataDir = dataDirOf(cmd);
      let dataset: string;
      let loaded: BacktestData;
      if (opts.synthetic) {
        const data = syntheticMarketData(concrete, {
          bars: opts.syntheticBars !== undefined ? Number(opts.syntheticBars) : undefined,
          seed: opts.syntheticSeed !== undefined ? Number(opts.syntheticSeed) : undefined,
          pattern: opts.syntheticPattern,
        });
        dataset = `synthetic:${data.synthetic.pattern}:seed${data.synthetic.seed}:${data.execInterval}`;
        loaded = { play: concrete, data, notes: [] };
      } else {
        dataset = opts.data ?? `bybit:${play.symbol}:${play.timeframes[play.timeframes.exec]}`;
        loaded = await withStore(dataDir, async (store) => {
          await ensureDefaultData(store);
          return loadBacktestData(store, concrete, dataset, { ...parseRange(opts), subBars: opts.subBars });
        });
      }
      for (const note of loaded.notes) err(`note: ${note}`);
      const bt = backtestPlay(loaded.play, loaded.data);
      const dir = opts.out ?? path.join(dataDir, 'backtests', `${play.name}-${new Date().toISOString().replace(/[:.]/g, '-')}`);
      const files = await writeArtifacts(dir, bt);
      const { exec } = bt.compiled;
      const summary = {
        play: play.name, file, dataset, genome, bars: exec.length,
        first: new Date(exec.ts[0]).toISOString(), last: new Date(exec.ts[exec.length - 1]).toISOString(),
        subInterval: loaded.data.subInterval ?? null, metrics: bt.metrics, timings: bt.timings, files, notes: loaded.notes,
      };
      if (opts.json) {
        out(JSON.stringify(summary));
        return;
      }
      out(`${play.name} on ${dataset}: ${summary.bars} bars ${summary.first} .. ${summary.last}${loaded.data.subInterval ? ` (intrabar on ${loaded.data.subInterval})` : ''}`);
      for (const [key, label, fmt] of METRIC_ROWS) out(`  ${label.padEnd(24)} ${fmt(bt.metrics[key] as number)}`);
      out(`  trades -> ${files.trades}`);
      out(`  equity -> ${files.equity}`);
    });
}
