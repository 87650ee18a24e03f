// Run in a fresh process by the engine bench: the time of the very first backtest (JIT cold, cache
// empty) of the EMA-cross play over 1M 1m bars. Prints {"ms": …} on the last line.
import { backtestPlay } from '../../src/engine/index.ts';
import { at, benchPlay } from './plays.ts';
import { randomWalkCandles } from './random-walk.ts';

const candles = randomWalkCandles(1_000_000);
const play = at(await benchPlay('bench/plays/ema_cross_always_in.yml'));
const t0 = performance.now();
backtestPlay(play, { dataset: { exchange: 'bench', symbol: 'BTCUSDT', interval: '1m' }, exec: candles, execInterval: '1m' });
process.stdout.write(`${JSON.stringify({ ms: performance.now() - t0 })}\n`);
