// Dev script: copy the Bybit example candles and funding files into examples/data and write MANIFEST.json.
// Usage: node --import tsx scripts/build-example-data.ts <shared-data-dir> (the folder with candles/ and funding/).
import { copyFileSync, chmodSync, readFileSync, writeFileSync, existsSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const src = process.argv[2];
if (!src) throw new Error('usage: build-example-data.ts <shared-data-dir>');
const out = path.join(path.dirname(fileURLToPath(import.meta.url)), '..', 'examples', 'data');
const symbols = ['BTCUSDT', 'ETHUSDT', 'SOLUSDT'];
const intervals: Array<[string, string]> = [['5m', '5m'], ['15m', '15m'], ['1h', '1h'], ['4h', '4h'], ['1d', 'D']];

interface Entry { file: string; dataset: string; kind: 'bars' | 'funding'; rows: number; first: number; last: number }
const entries: Entry[] = [];

function describe(file: string): { rows: number; first: number; last: number } {
  const lines = readFileSync(file, 'utf8').split('\n').filter((l) => l.length > 0);
  const ts = (l: string): number => Number(l.slice(0, l.indexOf(',')));
  return { rows: lines.length - 1, first: ts(lines[1]), last: ts(lines[lines.length - 1]) };
}

for (const symbol of symbols) {
  for (const [fileInterval, interval] of intervals) {
    const name = `BYBIT_${symbol}_${fileInterval}.csv`;
    const from = path.join(src, 'candles', name);
    if (!existsSync(from)) continue;
    copyFileSync(from, path.join(out, name));
    chmodSync(path.join(out, name), 0o644);
    entries.push({ file: name, dataset: `bybit:${symbol}:${interval}`, kind: 'bars', ...describe(from) });
  }
  const name = `BYBIT_${symbol}_funding.csv`;
  copyFileSync(path.join(src, 'funding', name), path.join(out, name));
  chmodSync(path.join(out, name), 0o644);
  entries.push({ file: name, dataset: `bybit:${symbol}`, kind: 'funding', ...describe(path.join(src, 'funding', name)) });
}
writeFileSync(path.join(out, 'MANIFEST.json'), JSON.stringify({ files: entries }, null, 1) + '\n');
console.log(`wrote ${entries.length} files to ${out}`);
