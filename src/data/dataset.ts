// Dataset ids `exchange:SYMBOL:interval` (e.g. `bybit:BTCUSDT:1h`), the one name for a series of bars everywhere.
import path from 'node:path';
import { PlayforgeError } from '../common/errors.ts';
import { parseInterval, type Interval } from './interval.ts';

export interface DatasetRef {
  exchange: string;
  symbol: string;
  interval: Interval;
}

const EXCHANGE_RE = /^[a-z][a-z0-9_-]*$/;
const SYMBOL_RE = /^[A-Z0-9][A-Z0-9._-]*$/;

/** Normalises case (exchange lower, symbol upper) and interval aliases (`1d` -> `D`). */
export function makeDatasetRef(exchange: string, symbol: string, interval: string): DatasetRef {
  const ex = exchange.trim().toLowerCase();
  const sym = symbol.trim().toUpperCase();
  if (!EXCHANGE_RE.test(ex)) throw new PlayforgeError('DATA_BAD_DATASET', `bad exchange name "${exchange}" (letters, digits, _ or -)`);
  if (!SYMBOL_RE.test(sym)) throw new PlayforgeError('DATA_BAD_DATASET', `bad symbol "${symbol}" (letters, digits, . _ or -)`);
  return { exchange: ex, symbol: sym, interval: parseInterval(interval) };
}

export function parseDatasetId(id: string): DatasetRef {
  const parts = id.split(':');
  if (parts.length !== 3 || parts.some((p) => p.trim() === '')) {
    throw new PlayforgeError('DATA_BAD_DATASET', `bad dataset id "${id}": expected exchange:SYMBOL:interval, e.g. bybit:BTCUSDT:1h`);
  }
  return makeDatasetRef(parts[0], parts[1], parts[2]);
}

export function formatDatasetId(ref: DatasetRef): string {
  return `${ref.exchange}:${ref.symbol}:${ref.interval}`;
}

/** A dataset id string or ref, normalised to a ref. */
export function toDatasetRef(d: string | DatasetRef): DatasetRef {
  return typeof d === 'string' ? parseDatasetId(d) : makeDatasetRef(d.exchange, d.symbol, d.interval);
}

export interface FileNameGuess {
  exchange?: string;
  symbol?: string;
  interval?: Interval;
  funding?: boolean;
}

/**
 * Reads `EXCHANGE_SYMBOL_INTERVAL.csv` / `EXCHANGE_SYMBOL_funding.csv` style names (the bundled files'
 * convention) so `data import` needs no flags for them. Returns only what the name states clearly.
 */
export function guessFromFileName(file: string): FileNameGuess {
  const base = path.basename(file).replace(/\.(csv|parquet|tsv)(\.gz)?$/i, '');
  const parts = base.split(/[_\s]+/);
  if (parts.length < 3) return {};
  const [exchange, symbol, last] = [parts[0], parts[1], parts[parts.length - 1]];
  if (!EXCHANGE_RE.test(exchange.toLowerCase()) || !SYMBOL_RE.test(symbol.toUpperCase())) return {};
  if (parts.length !== 3) return {};
  if (last.toLowerCase() === 'funding') return { exchange: exchange.toLowerCase(), symbol: symbol.toUpperCase(), funding: true };
  try {
    return { exchange: exchange.toLowerCase(), symbol: symbol.toUpperCase(), interval: parseInterval(last) };
  } catch {
    return {};
  }
}
