// The data window a trader checks a play against: one row per exec bar with the candle, every feature output,
// every structure field (ENUMs as labels), every setup and action condition, and the resulting signals.
import { open } from 'node:fs/promises';
import { SIGNAL_NAMES, EXIT_NAMES, type CompiledPlay } from './types.ts';
import { builtinsRead } from './refs.ts';

export interface DataWindowColumn {
  name: string;
  kind: 'time' | 'candle' | 'series' | 'feature' | 'condition' | 'signal';
  /** The cell of bar i ('' for a missing value). */
  cell(i: number): string;
}

const num = (v: number): string => (Number.isNaN(v) ? '' : String(v));

export function dataWindowColumns(c: CompiledPlay): DataWindowColumn[] {
  const { exec } = c;
  const cols: DataWindowColumn[] = [
    { name: 'ts', kind: 'time', cell: (i) => String(exec.ts[i]) },
    { name: 'time', kind: 'time', cell: (i) => new Date(exec.ts[i]).toISOString() },
  ];
  for (const k of ['open', 'high', 'low', 'close', 'volume'] as const) cols.push({ name: k, kind: 'candle', cell: (i) => num(exec[k][i]) });
  for (const name of builtinsRead(c.play)) {
    if (name === 'funding_rate' || name === 'open_interest') {
      const col = c.column(name);
      cols.push({ name, kind: 'series', cell: (i) => num(col[i]) });
    }
  }
  for (const name of c.columnNames()) {
    const col = c.column(name);
    const labels = c.enumValues(name);
    const cell = labels ? (i: number) => (Number.isNaN(col[i]) ? '' : (labels[col[i]] ?? String(col[i]))) : (i: number) => num(col[i]);
    cols.push({ name, kind: 'feature', cell });
  }
  for (const [name, col] of Object.entries(c.conditionColumns())) cols.push({ name, kind: 'condition', cell: (i) => String(col[i]) });
  for (const a of SIGNAL_NAMES) {
    const col = c.signals[a];
    cols.push({ name: `signal.${a}`, kind: 'signal', cell: (i) => String(col[i]) });
  }
  for (const a of EXIT_NAMES) {
    const pct = c.exitPercent[a];
    if (pct.some((v) => v !== 100)) cols.push({ name: `exit_percent.${a}`, kind: 'signal', cell: (i) => num(pct[i]) });
  }
  return cols;
}

/** CSV cell quoting for the few names that need it (none of the generated ones do today). */
const quote = (s: string): string => (/[",\n]/.test(s) ? `"${s.replaceAll('"', '""')}"` : s);

/** Writes the data window as CSV (header + one row per exec bar). Returns the header and the row count. */
export async function writeDataWindowCsv(c: CompiledPlay, file: string): Promise<{ header: string[]; rows: number }> {
  const cols = dataWindowColumns(c);
  const header = cols.map((x) => x.name);
  const fh = await open(file, 'w');
  try {
    let buf = `${header.map(quote).join(',')}\n`;
    for (let i = 0; i < c.n; i++) {
      buf += `${cols.map((x) => quote(x.cell(i))).join(',')}\n`;
      if (buf.length > 1 << 20) {
        await fh.write(buf);
        buf = '';
      }
    }
    await fh.write(buf);
  } finally {
    await fh.close();
  }
  return { header, rows: c.n };
}
