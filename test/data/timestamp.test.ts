import { describe, expect, it } from 'vitest';
import { detectTimestampUnit, epochToMs, parseDateArg, parseIsoMs, timestampToMs } from '../../src/data/timestamp.ts';

describe('timestamp units', () => {
  const ms = Date.UTC(2023, 10, 29); // 2023-11-29T00:00Z, the first bar of the shipped BTC files

  it('tells s, ms, us and ns apart by magnitude', () => {
    expect(detectTimestampUnit([String(ms / 1000), String(ms / 1000 + 3600)])).toBe('s');
    expect(detectTimestampUnit([String(ms)])).toBe('ms');
    expect(detectTimestampUnit([String(ms * 1000)])).toBe('us');
    expect(detectTimestampUnit([String(ms * 1e6)])).toBe('ns');
    expect(epochToMs(ms / 1000, 's')).toBe(ms);
    expect(epochToMs(ms * 1000, 'us')).toBe(ms);
    expect(epochToMs(ms * 1e6, 'ns')).toBe(ms);
  });

  it('uses the median, so one corrupt early value does not flip the unit', () => {
    const cells = ['17012160', ...Array.from({ length: 10 }, (_, i) => String(ms + i * 3_600_000))];
    expect(detectTimestampUnit(cells)).toBe('ms');
    expect(Number.isNaN(timestampToMs('17012160', 'ms'))).toBe(true);
  });

  it('detects and parses ISO-8601 text as UTC unless an offset is given', () => {
    expect(detectTimestampUnit(['2023-11-29 00:00:00', '2023-11-29 01:00:00'])).toBe('iso');
    expect(parseIsoMs('2023-11-29')).toBe(ms);
    expect(parseIsoMs('2023-11-29T00:00:00Z')).toBe(ms);
    expect(parseIsoMs('2023-11-29T00:00:00.000Z')).toBe(ms);
    expect(parseIsoMs('2023-11-29 00:00:00')).toBe(ms);
    expect(parseIsoMs('2023-11-29T02:00:00+02:00')).toBe(ms);
    expect(parseIsoMs('2023-11-28T19:00:00-0500')).toBe(ms);
    expect(parseIsoMs('2023-11-29T00:00:00.5Z')).toBe(ms + 500);
    expect(Number.isNaN(parseIsoMs('2023-02-30'))).toBe(true);
    expect(Number.isNaN(parseIsoMs('2024-13-01'))).toBe(true);
    expect(Number.isNaN(parseIsoMs('yesterday'))).toBe(true);
  });

  it('parses command-line dates', () => {
    expect(parseDateArg('2021-01-01')).toBe(Date.UTC(2021, 0, 1));
    expect(parseDateArg('1609459200000')).toBe(Date.UTC(2021, 0, 1));
    expect(parseDateArg('1609459200')).toBe(Date.UTC(2021, 0, 1));
    expect(() => parseDateArg('soon')).toThrow(/bad date/);
  });
});
