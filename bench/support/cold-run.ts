// Run in a fresh process by the engine bench: the time of the very first backtest (JIT cold, cache
// empty) of the EMA-cross play over 1M 1m bars — or, with the argument `reference`, of the very first run of
// the reference loop on the same bars (what "cold" costs plain JavaScript here). Prints {"ms": …} last.
import { backtestPlay } from '../../src/engine/index.ts';
import { referenceEmaCross } from '../suites/engine.bench.ts';
import { at, benchPlay } from './plays.ts';
import { randomWalkCandles } from './random-walk.ts';

const candles = randomWalkCandles(1_000_000);
const play = at(await benchPlay('bench/plays/ema_cross_always_in.yml'));
const reference = process.argv[2] === 'reference';
const equity = new Float64Array(candles.length);
const t0 = performance.now();
if (reference) referenceEmaCross(candles.close, equity);
else backtestPlay(play, { dataset: { exchange: 'bench', symbol: 'BTCUSDT', interval: '1m' }, exec: candles, execInterval: '1m' });
process.stdout.write(`${JSON.stringify({ ms: performance.now() - t0 })}\n`);
