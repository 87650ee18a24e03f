import { describe, expect, it } from 'vitest';
import { PlayforgeError } from '../../src/common/errors.ts';
import {
  bybitInterval,
  floorToInterval,
  formatDatasetId,
  intervalMs,
  isAligned,
  missingBarsBetween,
  nextBarStart,
  parseDatasetId,
  parseInterval,
} from '../../src/data/index.ts';
import { guessFromFileName } from '../../src/data/dataset.ts';
import { nestsIn } from '../../src/data/interval.ts';

const utc = (s: string): number => Date.parse(s);

describe('intervals', () => {
  it('accepts the DSL spelling and the 1d/1w aliases', () => {
    expect(parseInterval('1h')).toBe('1h');
    expect(parseInterval('D')).toBe('D');
    expect(parseInterval('1d')).toBe('D');
    expect(parseInterval('1w')).toBe('W');
    expect(parseInterval('M')).toBe('M');
    expect(() => parseInterval('7m')).toThrow(PlayforgeError);
    expect(() => parseInterval('1H')).toThrow(/unknown interval/);
  });

  it('gives bar lengths in ms', () => {
    expect(intervalMs('1m')).toBe(60_000);
    expect(intervalMs('15m')).toBe(900_000);
    expect(intervalMs('4h')).toBe(14_400_000);
    expect(intervalMs('1d')).toBe(86_400_000);
    expect(intervalMs('W')).toBe(7 * 86_400_000);
  });

  it('aligns to UTC boundaries, weeks on Monday, months on the 1st', () => {
    expect(floorToInterval(utc('2024-03-13T17:42:10Z'), '4h')).toBe(utc('2024-03-13T16:00:00Z'));
    expect(floorToInterval(utc('2024-03-13T17:42:10Z'), 'D')).toBe(utc('2024-03-13T00:00:00Z'));
    // 2024-03-13 is a Wednesday; its week opened on Monday 2024-03-11.
    expect(floorToInterval(utc('2024-03-13T17:42:10Z'), 'W')).toBe(utc('2024-03-11T00:00:00Z'));
    expect(floorToInterval(utc('2024-03-11T00:00:00Z'), 'W')).toBe(utc('2024-03-11T00:00:00Z'));
    expect(floorToInterval(utc('2024-03-10T23:59:59Z'), 'W')).toBe(utc('2024-03-04T00:00:00Z'));
    expect(floorToInterval(utc('2024-02-29T12:00:00Z'), 'M')).toBe(utc('2024-02-01T00:00:00Z'));
    expect(nextBarStart(utc('2024-02-01T00:00:00Z'), 'M')).toBe(utc('2024-03-01T00:00:00Z'));
    expect(nextBarStart(utc('2024-12-01T00:00:00Z'), 'M')).toBe(utc('2025-01-01T00:00:00Z'));
    expect(isAligned(utc('2024-01-01T01:30:00Z'), '1h')).toBe(false);
    expect(isAligned(utc('2024-01-01T01:30:00Z'), '30m')).toBe(true);
  });

  it('counts missing bars between two open times', () => {
    expect(missingBarsBetween(utc('2024-01-01T00:00Z'), utc('2024-01-01T01:00Z'), '1h')).toBe(0);
    expect(missingBarsBetween(utc('2024-01-01T00:00Z'), utc('2024-01-01T05:00Z'), '1h')).toBe(4);
    expect(missingBarsBetween(utc('2024-01-01T00:00Z'), utc('2024-04-01T00:00Z'), 'M')).toBe(2);
  });

  it('knows which intervals nest', () => {
    expect(nestsIn('1m', '5m')).toBe(true);
    expect(nestsIn('1h', '4h')).toBe(true);
    expect(nestsIn('1h', 'D')).toBe(true);
    expect(nestsIn('D', 'W')).toBe(true);
    expect(nestsIn('4h', 'M')).toBe(true);
    expect(nestsIn('4h', '6h')).toBe(false);
    expect(nestsIn('W', 'M')).toBe(false);
    expect(nestsIn('1h', '15m')).toBe(false);
    expect(nestsIn('1h', '1h')).toBe(false);
  });

  it('maps to Bybit interval values', () => {
    expect(bybitInterval('1m')).toBe('1');
    expect(bybitInterval('1h')).toBe('60');
    expect(bybitInterval('12h')).toBe('720');
    expect(bybitInterval('D')).toBe('D');
  });
});

describe('dataset ids', () => {
  it('parses and formats exchange:SYMBOL:interval, normalising case and aliases', () => {
    expect(parseDatasetId('bybit:BTCUSDT:1h')).toEqual({ exchange: 'bybit', symbol: 'BTCUSDT', interval: '1h' });
    expect(parseDatasetId('Bybit:btcusdt:1d')).toEqual({ exchange: 'bybit', symbol: 'BTCUSDT', interval: 'D' });
    expect(formatDatasetId(parseDatasetId('bybit:ETHUSDT:1w'))).toBe('bybit:ETHUSDT:W');
  });

  it('rejects malformed ids with DATA_BAD_DATASET', () => {
    for (const bad of ['bybit:BTCUSDT', 'bybit::1h', 'a:b:c:d', 'by bit:BTC:1h']) {
      expect(() => parseDatasetId(bad), bad).toThrow(PlayforgeError);
    }
    try {
      parseDatasetId('bybit:BTCUSDT');
    } catch (e) {
      expect((e as PlayforgeError).code).toBe('DATA_BAD_DATASET');
    }
  });

  it('reads dataset names from EXCHANGE_SYMBOL_INTERVAL file names', () => {
    expect(guessFromFileName('/x/BYBIT_BTCUSDT_1h.csv')).toEqual({ exchange: 'bybit', symbol: 'BTCUSDT', interval: '1h' });
    expect(guessFromFileName('BYBIT_SOLUSDT_1d.csv')).toEqual({ exchange: 'bybit', symbol: 'SOLUSDT', interval: 'D' });
    expect(guessFromFileName('BYBIT_ETHUSDT_funding.csv')).toEqual({ exchange: 'bybit', symbol: 'ETHUSDT', funding: true });
    expect(guessFromFileName('BYBIT_BTCUSDT_1h_mark.csv')).toEqual({});
    expect(guessFromFileName('candles.csv')).toEqual({});
  });
});
