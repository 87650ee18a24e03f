import { gzipSync } from 'node:zlib';
import { writeFileSync } from 'node:fs';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { PlayforgeError } from '../../src/common/errors.ts';
import { parseCsvText, readSourceFile } from '../../src/data/index.ts';
import { cleanup, realLines, tempDir } from './support/helpers.ts';

const dir = tempDir();
afterAll(() => cleanup(dir));

describe('CSV reader', () => {
  const lines = realLines('BYBIT_BTCUSDT_1h.csv', 5);

  it('reads the shipped format with 1-based line numbers that count the header', () => {
    const t = parseCsvText(lines.join('\n') + '\n', 'x.csv');
    expect(t.kind).toBe('bars');
    expect(t.header).toBe(true);
    expect(t.timestampUnit).toBe('ms');
    expect(Array.from(t.rows)).toEqual([2, 3, 4, 5, 6]);
    expect(t.ts[0]).toBe(1701216000000);
    expect(t.values.open[0]).toBe(37820.0);
    expect(t.values.volume[4]).toBe(Number(lines[5].split(',')[5]));
    expect(t.problems).toEqual([]);
  });

  it('maps common column names, ignores extra columns, reads seconds and CRLF', () => {
    const rows = lines.slice(1).map((l) => {
      const [ts, o, h, lo, c, v] = l.split(',');
      return [Number(ts) / 1000, o, h, lo, c, v, '123.4'].join(',');
    });
    const text = ['open_time,o,h,l,c,vol,turnover', ...rows].join('\r\n') + '\r\n';
    const t = parseCsvText(text, 'x.csv');
    expect(t.timestampUnit).toBe('s');
    expect(t.ignoredColumns).toEqual(['turnover']);
    expect(t.ts[1]).toBe(1701219600000);
    expect(t.values.close[1]).toBe(Number(lines[2].split(',')[4]));
  });

  it('reads ISO-8601 timestamps, semicolons and quoted cells', () => {
    const text = ['"Date";"Open";"High";"Low";"Close";"Volume"', '"2023-11-29 00:00:00";"37820.0";"37919.5";"37673.3";"37915.2";"5303.92"'].join('\n');
    const t = parseCsvText(text, 'x.csv');
    expect(t.timestampUnit).toBe('iso');
    expect(t.ts[0]).toBe(1701216000000);
    expect(t.values.high[0]).toBe(37919.5);
  });

  it('takes a headerless numeric file as exchange kline order', () => {
    const t = parseCsvText(lines.slice(1).join('\n'), 'x.csv');
    expect(t.header).toBe(false);
    expect(Array.from(t.rows)).toEqual([1, 2, 3, 4, 5]);
    expect(t.values.low[0]).toBe(37673.3);
  });

  it('recognises funding files by their columns', () => {
    const t = parseCsvText(realLines('BYBIT_BTCUSDT_funding.csv', 3).join('\n'), 'f.csv');
    expect(t.kind).toBe('funding');
    expect(t.values.rate[0]).toBe(0.0001);
  });

  it('reads gzip-compressed CSV', async () => {
    const file = path.join(dir, 'BYBIT_BTCUSDT_1h.csv.gz');
    writeFileSync(file, gzipSync(lines.join('\n') + '\n'));
    const t = await readSourceFile(file);
    expect(t.ts.length).toBe(5);
  });

  it('refuses a header it cannot map, naming line 1 and what is missing', () => {
    try {
      parseCsvText('ts,open,high,low,close\n1701216000000,1,2,0.5,1.5\n', 'nov.csv');
      expect.unreachable();
    } catch (e) {
      expect((e as PlayforgeError).code).toBe('DATA_BAD_HEADER');
      expect((e as PlayforgeError).message).toMatch(/nov\.csv: header line 1 .* lacks volume/);
      expect((e as PlayforgeError).location.line).toBe(1);
    }
  });
});
