import { describe, expect, it } from 'vitest';
import { parseCsvText, validateTable } from '../../src/data/index.ts';
import { cleanBars, fillBars } from '../../src/data/policy.ts';
import { candlesFromArrays } from '../../src/data/candles.ts';
import { realLines } from './support/helpers.ts';

const H = 3_600_000;
const base = realLines('BYBIT_BTCUSDT_1h.csv', 12);

function table(lines: string[]) {
  return parseCsvText(lines.join('\n') + '\n', 'v.csv');
}

describe('validation report', () => {
  it('finds nothing wrong in real data', () => {
    const v = validateTable(table(base), '1h');
    expect(v.report.ok).toBe(true);
    expect(v.report.issues).toEqual([]);
    expect(v.report.rowsRead).toBe(12);
    expect(v.report.gaps).toEqual({ count: 0, missingBars: 0 });
  });

  it('names every class of problem with its source line', () => {
    const lines = [...base];
    const cells = (i: number) => lines[i].split(',');
    const set = (i: number, col: number, val: string) => {
      const c = cells(i);
      c[col] = val;
      lines[i] = c.join(',');
    };
    set(2, 2, '1'); // line 3: high far below open/close
    set(3, 4, '-5'); // line 4: negative close
    set(4, 5, '-1'); // line 5: negative volume
    set(5, 3, 'NaN'); // line 6: NaN low
    lines[7] = lines[6]; // line 8 duplicates line 7
    [lines[9], lines[10]] = [lines[10], lines[9]]; // lines 10/11 swapped
    lines.splice(12, 1); // drop the last row -> nothing after; drop another to make a gap:
    lines.splice(11, 1);
    const v = validateTable(table(lines), '1h');
    const by = Object.fromEntries(v.report.issues.map((i) => [i.code, i.rows]));
    expect(by.DATA_OHLC_VIOLATION).toContain(3);
    expect(by.DATA_NONPOSITIVE_PRICE).toEqual([4]);
    expect(by.DATA_NEGATIVE_VOLUME).toEqual([5]);
    expect(by.DATA_NAN).toEqual([6]);
    expect(by.DATA_DUPLICATE_TS).toEqual([8]);
    expect(by.DATA_OUT_OF_ORDER).toEqual([11]);
    expect(v.report.ok).toBe(false);
    expect(v.report.issues.find((i) => i.code === 'DATA_DUPLICATE_TS')!.details[0]).toMatch(/line 8: .* repeats line 7 \(identical values\)/);
  });

  it('reports gaps with count, missing bars and the longest hole', () => {
    const lines = [base[0], base[1], base[2], base[5], base[6], base[10]]; // holes of 2 and 3 bars
    const v = validateTable(table(lines), '1h');
    expect(v.report.gaps.count).toBe(2);
    expect(v.report.gaps.missingBars).toBe(5);
    expect(v.report.gaps.longest).toMatchObject({ missingBars: 3, row: 6 });
    expect(v.report.issues.map((i) => i.code)).toEqual(['DATA_GAP']);
    expect(v.report.issues[0].rows).toEqual([4, 6]);
  });

  it('drop keeps the good rows in time order and the first of duplicates; fill adds flat bars', () => {
    const lines = [base[0], base[1], base[3], base[2], base[3].replace(/,[^,]+$/, ',999'), base[5], base[6].replace(/^(\d+),[^,]+/, '$1,-1')];
    const t = table(lines);
    const v = validateTable(t, '1h');
    const dropped = cleanBars(t, v, '1h', 'drop');
    expect(Array.from(dropped.candles.ts)).toEqual([0, 1, 2, 4].map((k) => 1701216000000 + k * H));
    expect(dropped.candles.volume[2]).toBe(Number(base[3].split(',')[5])); // first occurrence kept
    expect(dropped.summary).toMatchObject({ dropped: 2, filled: 0, reordered: true });
    const filled = cleanBars(t, v, '1h', 'fill');
    expect(filled.candles.length).toBe(5);
    const prevClose = Number(base[3].split(',')[4]);
    expect([filled.candles.open[3], filled.candles.high[3], filled.candles.low[3], filled.candles.close[3], filled.candles.volume[3]]).toEqual([prevClose, prevClose, prevClose, prevClose, 0]);
    expect(() => cleanBars(t, v, '1h', 'reject')).toThrow(/import rejected/);
  });

  it('fillBars works across calendar months', () => {
    const c = candlesFromArrays({
      ts: [Date.UTC(2024, 0, 1), Date.UTC(2024, 3, 1)],
      open: [1, 2],
      high: [1, 2],
      low: [1, 2],
      close: [1.5, 2],
      volume: [1, 1],
    });
    const { candles, filled } = fillBars(c, 'M');
    expect(filled).toBe(2);
    expect(Array.from(candles.ts)).toEqual([Date.UTC(2024, 0, 1), Date.UTC(2024, 1, 1), Date.UTC(2024, 2, 1), Date.UTC(2024, 3, 1)]);
    expect(candles.close[2]).toBe(1.5);
  });
});
