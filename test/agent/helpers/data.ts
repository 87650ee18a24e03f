// A short slice of the bundled BTCUSDT 1h candles (examples/data) with its funding, as backtest market data.
import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { alignFunding, candlesFromArrays, parseDatasetId } from '../../../src/data/index.ts';
import type { MarketData } from '../../../src/engine/index.ts';

export const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..', '..');
const DATA = path.join(ROOT, 'examples', 'data');

/** The last `bars` 1h bars of the bundled BTCUSDT history, funding aligned to them. */
export function btc1hSlice(bars: number): MarketData {
  const rows = readFileSync(path.join(DATA, 'BYBIT_BTCUSDT_1h.csv'), 'utf8').trim().split('\n').slice(1).slice(-bars);
  const cols = [0, 1, 2, 3, 4, 5].map((j) => Float64Array.from(rows, (r) => Number(r.split(',')[j])));
  const exec = candlesFromArrays({ ts: cols[0], open: cols[1], high: cols[2], low: cols[3], close: cols[4], volume: cols[5] });
  const funding = readFileSync(path.join(DATA, 'BYBIT_BTCUSDT_funding.csv'), 'utf8').trim().split('\n').slice(1).map((l) => {
    const [ts, rate] = l.split(',');
    return { ts: Number(ts), rate: Number(rate) };
  });
  return { exec, execInterval: '1h', funding: alignFunding(exec, funding, { interval: '1h' }), dataset: parseDatasetId('bybit:BTCUSDT:1h') };
}

/** The shipped knowledge sources the translator must handle (README.md and the manifest excluded). */
export function shippedSources(): string[] {
  const dir = path.join(ROOT, 'knowledge', 'sources');
  return readdirSync(dir).sort().filter((f) => /\.(md|txt|pdf|ya?ml)$/i.test(f) && f !== 'README.md' && f !== 'sources.yml').map((f) => path.join('knowledge', 'sources', f));
}
