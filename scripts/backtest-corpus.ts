// Dev check: every play under the given path(s) that carries a synthetic pattern (`synthetic:` or
// `validation:` with `pattern`) backtests on its seeded synthetic candles without error.
//   npm run corpus:backtest -- /path/to/trade-plays
import { defaultGenome, loadPlayFile, resolvePlay } from '../src/dsl/index.ts';
import { backtestPlay, syntheticMarketData } from '../src/engine/index.ts';
import { playFiles } from './play-files.ts';

const roots = process.argv.slice(2);
if (roots.length === 0) {
  process.stderr.write('usage: npm run corpus:backtest -- PATH...\n');
  process.exit(2);
}
let withPattern = 0, ok = 0, trades = 0;
const failures: string[] = [];
const t0 = performance.now();
for (const file of await playFiles(roots)) {
  const { play, errors } = await loadPlayFile(file);
  if (!play) {
    failures.push(`${file}: does not validate: ${errors[0]?.format()}`);
    continue;
  }
  if (!(play.synthetic?.pattern ?? play.validation?.pattern)) continue;
  withPattern++;
  try {
    const concrete = resolvePlay(play, defaultGenome(play));
    const bt = backtestPlay(concrete, syntheticMarketData(concrete));
    trades += bt.metrics.trades;
    ok++;
  } catch (e) {
    failures.push(`${file}: ${(e as Error).message}`);
  }
}
for (const f of failures) process.stdout.write(`FAIL ${f}\n`);
process.stdout.write(`${ok}/${withPattern} plays with a synthetic pattern backtested without error (${trades} trades, ${((performance.now() - t0) / 1000).toFixed(1)} s)\n`);
process.exit(failures.length ? 1 : 0);
