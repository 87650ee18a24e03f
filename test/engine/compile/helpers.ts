// Test helpers for the play compiler: real candles (the 3,000-bar 1h fixture, a 15m slice of the bundled
// data, funding), plays from YAML text or examples/plays at their default genome, and hand-made candles.
import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { alignFunding, candlesFromArrays, sliceCandles, type Candles } from '../../../src/data/index.ts';
import { defaultGenome, loadPlay, resolvePlay, type Interval, type Play } from '../../../src/dsl/index.ts';
import { compilePlay, FeatureCache, type CompiledPlay, type PlayData } from '../../../src/engine/index.ts';

const here = path.dirname(fileURLToPath(import.meta.url));
const root = path.join(here, '..', '..', '..');
export const EXAMPLE_PLAYS_DIR = path.join(root, 'examples', 'plays');
const EXAMPLE_DATA_DIR = path.join(root, 'examples', 'data');

function readCandleCsv(file: string, skip = 0, take = Infinity): Candles {
  const rows = readFileSync(file, 'utf8').trim().split('\n').slice(1 + skip, 1 + skip + take);
  const cols = [0, 1, 2, 3, 4, 5].map((j) => Float64Array.from(rows, (r) => Number(r.split(',')[j])));
  return candlesFromArrays({ ts: cols[0], open: cols[1], high: cols[2], low: cols[3], close: cols[4], volume: cols[5] });
}

let h1: Candles | undefined;
/** The 3,000 real BTCUSDT 1h bars of test/fixtures/candles (2025-01-18 16:00 .. 2025-05-23 15:00 UTC). */
export function btc1h(): Candles {
  h1 ??= readCandleCsv(path.join(root, 'test', 'fixtures', 'candles', 'BYBIT_BTCUSDT_1h_3000.csv'));
  return h1;
}

let m15: Candles | undefined;
/** 8,000 real BTCUSDT 15m bars of examples/data from 2025-01-18 (the same period as the 1h fixture). */
export function btc15m(): Candles {
  m15 ??= readCandleCsv(path.join(EXAMPLE_DATA_DIR, 'BYBIT_BTCUSDT_15m.csv'), 40_000, 8_000);
  return m15;
}

let fundingRows: { ts: number; rate: number }[] | undefined;
/** Bundled BTCUSDT funding settlements aligned to `candles` (NaN where no settlement falls in a bar). */
export function btcFunding(candles: Candles): Float64Array {
  fundingRows ??= readFileSync(path.join(EXAMPLE_DATA_DIR, 'BYBIT_BTCUSDT_funding.csv'), 'utf8')
    .trim()
    .split('\n')
    .slice(1)
    .map((l) => {
      const [ts, rate] = l.split(',');
      return { ts: Number(ts), rate: Number(rate) };
    });
  return alignFunding(candles, fundingRows);
}

/** Real BTC data for an exec interval (1h fixture or the 15m slice), with funding. */
export function btcData(interval: Interval, bars?: number): PlayData {
  const all = interval === '15m' ? btc15m() : interval === '1h' ? btc1h() : undefined;
  if (!all) throw new Error(`no BTC test data for ${interval}`);
  const exec = bars === undefined ? all : sliceCandles(all, 0, bars);
  return { exec, execInterval: interval, funding: btcFunding(exec) };
}

/** A play from YAML text, resolved at its default genome. Throws with the DSL errors when it does not load. */
export function playFrom(yaml: string): Play {
  const { play, errors } = loadPlay(yaml, 'test.yml');
  if (!play) throw new Error(errors.map((e) => e.format()).join('\n'));
  return resolvePlay(play, defaultGenome(play));
}

export function examplePlayFiles(): string[] {
  return readdirSync(EXAMPLE_PLAYS_DIR).filter((f) => f.endsWith('.yml')).sort();
}

export function examplePlay(file: string): Play {
  return playFrom(readFileSync(path.join(EXAMPLE_PLAYS_DIR, file), 'utf8'));
}

/** Hand-made 1h candles: any column left out is the close. ts starts 2025-01-01 00:00 UTC. */
export function handCandles(cols: { close: number[]; open?: number[]; high?: number[]; low?: number[]; volume?: number[] }): Candles {
  const n = cols.close.length;
  const t0 = Date.UTC(2025, 0, 1);
  return candlesFromArrays({
    ts: Array.from({ length: n }, (_, i) => t0 + i * 3_600_000),
    open: cols.open ?? cols.close,
    high: cols.high ?? cols.close,
    low: cols.low ?? cols.close,
    close: cols.close,
    volume: cols.volume ?? cols.close.map(() => 1),
  });
}

/** Header of a 1h play (exec med_tf) with the given body (features, structures, setups, actions). */
export function play1h(body: string, highTf: Interval = '4h'): Play {
  return playFrom(`name: t\ntimeframes: { low_tf: "15m", med_tf: "1h", high_tf: "${highTf}", exec: med_tf }\n${body}`);
}

export function compile1h(body: string, exec: Candles, opts: { funding?: Float64Array; cache?: FeatureCache } = {}): CompiledPlay {
  return compilePlay(play1h(body), { exec, execInterval: '1h', funding: opts.funding }, { cache: opts.cache });
}

export const bits = (a: ArrayLike<number>): number[] => Array.from(a);

/** Column equality that treats NaN as equal to NaN (bit-for-bit for numbers). */
export function sameValues(a: ArrayLike<number>, b: ArrayLike<number>, n = Math.min(a.length, b.length)): number {
  for (let i = 0; i < n; i++) {
    if (!(Object.is(a[i], b[i]) || (a[i] === b[i]))) return i;
  }
  return -1;
}
