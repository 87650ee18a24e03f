// The cold store: one DuckDB file, one table of bars per dataset, funding beside them; atomic merges.
import { mkdirSync } from 'node:fs';
import path from 'node:path';
import { DuckDBInstance, type DuckDBConnection, type DuckDBValue } from '@duckdb/node-api';
import { PlayforgeError } from '../common/errors.ts';
import { allocateCandles, type Candles } from './candles.ts';
import { formatDatasetId, toDatasetRef, type DatasetRef } from './dataset.ts';
import { appendDoubleColumns, readDoubleColumns, sqlString, streamDoublesInto } from './duckdb-util.ts';
import type { FundingSeries } from './funding.ts';
import { intervalMs, missingBarsBetween, nextBarStart, type Interval } from './interval.ts';
import type { ImportPolicy } from './policy.ts';
import { isoUtc } from './timestamp.ts';
import { summarizeGaps, type GapSummary } from './validate.ts';

export const STORE_FILE = 'playforge.duckdb';

export interface DatasetInfo {
  id: string;
  exchange: string;
  symbol: string;
  interval: Interval;
  rows: number;
  first?: number;
  last?: number;
  gaps: GapSummary;
}

export interface FundingInfo {
  /** `exchange:SYMBOL:funding` */
  id: string;
  exchange: string;
  symbol: string;
  rows: number;
  first?: number;
  last?: number;
}

export interface MergeResult {
  /** Rows new to the store. */
  inserted: number;
  /** Rows whose timestamp was stored with different values (the new values win). */
  updated: number;
  /** Rows already stored exactly as given: re-importing the same rows changes nothing. */
  unchanged: number;
  /** Flat bars added between stored bars and the new ones (fill policy). */
  seamFilled: number;
  /** Holes left between stored bars and the new ones (drop policy). */
  seamGaps: Array<{ after: number; before: number; missingBars: number }>;
}

export interface RangeOptions {
  /** Inclusive lower bound on the bar open time (epoch ms). */
  from?: number;
  /** Exclusive upper bound on the bar open time (epoch ms). */
  to?: number;
}

/** Table-name spelling of an interval: DuckDB matches identifiers case-insensitively, so `1m` and `M` must differ. */
const INTERVAL_CODE: Record<Interval, string> = {
  '1m': '1m', '3m': '3m', '5m': '5m', '15m': '15m', '30m': '30m', '1h': '1h', '2h': '2h', '4h': '4h', '6h': '6h', '12h': '12h', D: '1d', W: '1w', M: '1mo',
};

const SCHEMA = [
  `CREATE TABLE IF NOT EXISTS pf_datasets (id VARCHAR PRIMARY KEY, exchange VARCHAR NOT NULL, symbol VARCHAR NOT NULL,
     interval VARCHAR NOT NULL, table_name VARCHAR NOT NULL UNIQUE, created_at BIGINT NOT NULL, updated_at BIGINT NOT NULL)`,
  `CREATE TABLE IF NOT EXISTS pf_funding (exchange VARCHAR NOT NULL, symbol VARCHAR NOT NULL, ts BIGINT NOT NULL,
     rate DOUBLE NOT NULL, PRIMARY KEY (exchange, symbol, ts))`,
];

const BAR_COLUMNS = 'ts BIGINT PRIMARY KEY, open DOUBLE NOT NULL, high DOUBLE NOT NULL, low DOUBLE NOT NULL, close DOUBLE NOT NULL, volume DOUBLE NOT NULL';
const VALUE_DIFFERS = ['open', 'high', 'low', 'close', 'volume'].map((c) => `b.${c} <> s.${c}`).join(' OR ');

function rangeWhere(r: RangeOptions, col = 'ts'): { sql: string; params: DuckDBValue[] } {
  const parts: string[] = [];
  const params: DuckDBValue[] = [];
  if (r.from !== undefined) {
    parts.push(`${col} >= ?`);
    params.push(r.from);
  }
  if (r.to !== undefined) {
    parts.push(`${col} < ?`);
    params.push(r.to);
  }
  return { sql: parts.length ? `WHERE ${parts.join(' AND ')}` : '', params };
}

const num = (v: unknown): number => (typeof v === 'bigint' ? Number(v) : (v as number));

/**
 * One DuckDB instance per file per process, shared by the stores open on it (DuckDB locks a file per
 * process) and closed when the last of them closes. DuckDB's own instance cache cannot be used here: a
 * store closing its instance would close it under the others, and the cache could hand it out again.
 */
const instances = new Map<string, { instance: Promise<DuckDBInstance>; refs: number }>();

function acquireInstance(file: string): Promise<DuckDBInstance> {
  let entry = instances.get(file);
  if (!entry) {
    entry = { instance: DuckDBInstance.create(file), refs: 0 };
    instances.set(file, entry);
    entry.instance.catch(() => instances.delete(file));
  }
  entry.refs++;
  return entry.instance;
}

function releaseInstance(file: string): void {
  const entry = instances.get(file);
  if (!entry || --entry.refs > 0) return;
  instances.delete(file);
  void entry.instance.then((i) => i.closeSync(), () => undefined);
}

export class CandleStore {
  private queue: Promise<unknown> = Promise.resolve();
  private closed = false;

  private constructor(
    readonly file: string,
    private readonly instance: DuckDBInstance,
    private readonly conn: DuckDBConnection,
  ) {}

  /** Opens (creating if needed) `<dataDir>/playforge.duckdb`, or `opts.file` when given. */
  static async open(dataDir: string, opts: { file?: string } = {}): Promise<CandleStore> {
    const file = path.resolve(opts.file ?? path.join(dataDir, STORE_FILE));
    mkdirSync(path.dirname(file), { recursive: true });
    let instance: DuckDBInstance;
    try {
      instance = await acquireInstance(file);
    } catch (e) {
      const msg = (e as Error).message;
      if (/lock/i.test(msg)) {
        throw new PlayforgeError('DATA_STORE_LOCKED', `${file} is in use by another process (${msg.split('\n')[0]}); stop it or use another --data-dir`, { file }, { cause: e });
      }
      throw new PlayforgeError('DATA_STORE_OPEN', `cannot open the candle store ${file}: ${msg}`, { file }, { cause: e });
    }
    try {
      const conn = await instance.connect();
      for (const sql of SCHEMA) await conn.run(sql);
      return new CandleStore(file, instance, conn);
    } catch (e) {
      releaseInstance(file);
      throw e;
    }
  }

  close(): void {
    if (this.closed) return;
    this.closed = true;
    this.conn.closeSync();
    releaseInstance(this.file);
  }

  /** Runs store operations one at a time: they share one connection, so a transaction must not interleave. */
  private exclusive<T>(fn: () => Promise<T>): Promise<T> {
    if (this.closed) return Promise.reject(new PlayforgeError('DATA_STORE_CLOSED', `the candle store ${this.file} is closed`));
    const run = this.queue.then(fn, fn);
    this.queue = run.catch(() => undefined);
    return run;
  }

  private async tableOf(ref: DatasetRef): Promise<string | undefined> {
    const r = await this.conn.runAndReadAll('SELECT table_name FROM pf_datasets WHERE id = ?', [formatDatasetId(ref)]);
    const rows = r.getRowsJS();
    return rows.length ? String(rows[0][0]) : undefined;
  }

  private async requireTable(ref: DatasetRef): Promise<string> {
    const t = await this.tableOf(ref);
    if (t) return t;
    const known = (await this.conn.runAndReadAll('SELECT id FROM pf_datasets ORDER BY id')).getRowsJS().map((r) => String(r[0]));
    throw new PlayforgeError(
      'DATA_UNKNOWN_DATASET',
      `no dataset ${formatDatasetId(ref)} in ${this.file}; stored: ${known.length ? known.join(', ') : 'none'} (import with playforge data import or fetch)`,
      { path: formatDatasetId(ref) },
    );
  }

  private async createTable(ref: DatasetRef): Promise<string> {
    const base = `bars_${ref.exchange}_${ref.symbol}_${INTERVAL_CODE[ref.interval]}`.toLowerCase().replace(/[^a-z0-9_]/g, '_');
    let name = base;
    for (let k = 2; ; k++) {
      const taken = (await this.conn.runAndReadAll('SELECT 1 FROM pf_datasets WHERE table_name = ?', [name])).getRowsJS().length > 0;
      if (!taken) break;
      name = `${base}_${k}`;
    }
    const now = Date.now();
    await this.conn.run(`CREATE TABLE ${name} (${BAR_COLUMNS})`);
    await this.conn.run('INSERT INTO pf_datasets VALUES (?, ?, ?, ?, ?, ?, ?)', [formatDatasetId(ref), ref.exchange, ref.symbol, ref.interval, name, now, now]);
    return name;
  }

  async hasDataset(dataset: string | DatasetRef): Promise<boolean> {
    const ref = toDatasetRef(dataset);
    return this.exclusive(async () => (await this.tableOf(ref)) !== undefined);
  }

  private async infoOf(id: string, interval: Interval, table: string): Promise<Omit<DatasetInfo, 'exchange' | 'symbol'>> {
    const [ts] = await readDoubleColumns(this.conn, `SELECT CAST(ts AS DOUBLE) FROM ${table} ORDER BY ts`);
    return { id, interval, rows: ts.length, first: ts.length ? ts[0] : undefined, last: ts.length ? ts[ts.length - 1] : undefined, gaps: summarizeGaps(ts, interval) };
  }

  /** Every bar dataset with its range, row count and holes (computed from the stored bars, not cached). */
  async listDatasets(): Promise<DatasetInfo[]> {
    return this.exclusive(async () => {
      const rows = (await this.conn.runAndReadAll('SELECT id, exchange, symbol, interval, table_name FROM pf_datasets ORDER BY exchange, symbol, interval')).getRowsJS();
      const out: DatasetInfo[] = [];
      for (const [id, exchange, symbol, interval, table] of rows) {
        const info = await this.infoOf(String(id), interval as Interval, String(table));
        out.push({ ...info, exchange: String(exchange), symbol: String(symbol) });
      }
      // Within a symbol, shortest interval first (string order would put 15m before 5m).
      return out.sort((a, b) => a.exchange.localeCompare(b.exchange) || a.symbol.localeCompare(b.symbol) || intervalMs(a.interval) - intervalMs(b.interval));
    });
  }

  async datasetInfo(dataset: string | DatasetRef): Promise<DatasetInfo | undefined> {
    const ref = toDatasetRef(dataset);
    return this.exclusive(async () => {
      const table = await this.tableOf(ref);
      if (!table) return undefined;
      return { ...(await this.infoOf(formatDatasetId(ref), ref.interval, table)), exchange: ref.exchange, symbol: ref.symbol };
    });
  }

  /** Row count and range per bar dataset, without the gap scan of listDatasets (cheap enough to call at startup). */
  async datasetStats(): Promise<Array<{ id: string; rows: number; first?: number; last?: number }>> {
    return this.exclusive(async () => {
      const tables = (await this.conn.runAndReadAll('SELECT id, table_name FROM pf_datasets ORDER BY id')).getRowsJS();
      const out: Array<{ id: string; rows: number; first?: number; last?: number }> = [];
      for (const [id, table] of tables) {
        const [n, first, last] = (await this.conn.runAndReadAll(`SELECT count(*), min(ts), max(ts) FROM ${String(table)}`)).getRowsJS()[0];
        out.push({ id: String(id), rows: num(n), first: first === null ? undefined : num(first), last: last === null ? undefined : num(last) });
      }
      return out;
    });
  }

  async listFunding(): Promise<FundingInfo[]> {
    return this.exclusive(async () => {
      const rows = (
        await this.conn.runAndReadAll('SELECT exchange, symbol, count(*), min(ts), max(ts) FROM pf_funding GROUP BY exchange, symbol ORDER BY exchange, symbol')
      ).getRowsJS();
      return rows.map(([exchange, symbol, n, first, last]) => ({
        id: `${String(exchange)}:${String(symbol)}:funding`,
        exchange: String(exchange),
        symbol: String(symbol),
        rows: num(n),
        first: num(first),
        last: num(last),
      }));
    });
  }

  /** Open time of the last stored bar, or undefined when the dataset is empty or missing. */
  async lastBarTs(dataset: string | DatasetRef): Promise<number | undefined> {
    const ref = toDatasetRef(dataset);
    return this.exclusive(async () => {
      const table = await this.tableOf(ref);
      if (!table) return undefined;
      const v = (await this.conn.runAndReadAll(`SELECT max(ts) FROM ${table}`)).getRowsJS()[0][0];
      return v === null ? undefined : num(v);
    });
  }

  async lastFundingTs(exchange: string, symbol: string): Promise<number | undefined> {
    return this.exclusive(async () => {
      const v = (await this.conn.runAndReadAll('SELECT max(ts) FROM pf_funding WHERE exchange = ? AND symbol = ?', [exchange.toLowerCase(), symbol.toUpperCase()])).getRowsJS()[0][0];
      return v === null ? undefined : num(v);
    });
  }

  /**
   * Merges ascending, duplicate-free, validated bars into the dataset in ONE transaction: new rows are
   * inserted, rows with a stored timestamp replace the stored values only where they differ. A hole
   * between the stored bars and the new ones is refused under `reject` (DATA_GAP, nothing written),
   * filled with flat bars under `fill`, and reported under `drop`.
   */
  async writeBars(dataset: string | DatasetRef, bars: Candles, opts: { policy?: ImportPolicy; source?: string; rowOf?: (i: number) => number | undefined } = {}): Promise<MergeResult> {
    const ref = toDatasetRef(dataset);
    const policy = opts.policy ?? 'reject';
    return this.exclusive(async () => {
      const result: MergeResult = { inserted: 0, updated: 0, unchanged: 0, seamFilled: 0, seamGaps: [] };
      if (bars.length === 0) return result;
      for (let i = 1; i < bars.length; i++) {
        if (!(bars.ts[i] > bars.ts[i - 1])) throw new PlayforgeError('DATA_OUT_OF_ORDER', `writeBars needs ascending unique timestamps (index ${i})`);
      }
      const existing = await this.tableOf(ref);
      let data = bars;
      if (existing) {
        const seam = await this.seams(existing, ref.interval, bars);
        if (seam.gaps.length > 0) {
          if (policy === 'reject') {
            const g = seam.gaps[0];
            const row = g.newIndex !== undefined ? opts.rowOf?.(g.newIndex) : undefined;
            const src = opts.source ?? 'the new bars';
            throw new PlayforgeError(
              'DATA_GAP',
              `${src}${row !== undefined ? ` line ${row}` : ''}: ${g.missingBars} ${ref.interval} bar(s) would be missing between ${isoUtc(g.after)} and ${isoUtc(g.before)} ` +
                `(stored ${formatDatasetId(ref)} and the new rows do not meet); nothing was stored. Import the missing range first, or use --policy fill or drop`,
              { file: opts.source, line: row, path: formatDatasetId(ref) },
            );
          }
          if (policy === 'fill') {
            data = withSeamFill(bars, ref.interval, seam);
            result.seamFilled = data.length - bars.length;
          } else {
            result.seamGaps = seam.gaps.map(({ after, before, missingBars }) => ({ after, before, missingBars }));
          }
        }
      }
      await this.stage(data);
      await this.conn.run('BEGIN TRANSACTION');
      try {
        const table = existing ?? (await this.createTable(ref));
        const counts = (
          await this.conn.runAndReadAll(
            `SELECT count(*) FILTER (WHERE b.ts IS NULL), count(*) FILTER (WHERE b.ts IS NOT NULL AND (${VALUE_DIFFERS}))
             FROM pf_stage s LEFT JOIN ${table} b ON b.ts = s.ts`,
          )
        ).getRowsJS()[0];
        result.inserted = num(counts[0]);
        result.updated = num(counts[1]);
        result.unchanged = data.length - result.inserted - result.updated;
        if (result.updated > 0) {
          await this.conn.run(
            `UPDATE ${table} AS b SET open = s.open, high = s.high, low = s.low, close = s.close, volume = s.volume
             FROM pf_stage s WHERE b.ts = s.ts AND (${VALUE_DIFFERS})`,
          );
        }
        if (result.inserted > 0) {
          const maxBefore = (await this.conn.runAndReadAll(`SELECT max(ts) FROM ${table}`)).getRowsJS()[0][0];
          await this.conn.run(`INSERT INTO ${table} SELECT s.* FROM pf_stage s ANTI JOIN ${table} b ON b.ts = s.ts ORDER BY s.ts`);
          // Loads read bars in storage order (no sort); keep the table physically sorted when rows land before the end.
          if (maxBefore !== null && data.ts[0] < num(maxBefore)) await this.rewriteSorted(table);
          await this.conn.run('UPDATE pf_datasets SET updated_at = ? WHERE id = ?', [Date.now(), formatDatasetId(ref)]);
        }
        await this.conn.run('COMMIT');
      } catch (e) {
        await this.conn.run('ROLLBACK');
        throw e;
      } finally {
        await this.conn.run('DROP TABLE IF EXISTS temp.pf_stage');
      }
      return result;
    });
  }

  private async seams(table: string, interval: Interval, bars: Candles) {
    const first = bars.ts[0];
    const last = bars.ts[bars.length - 1];
    const prev = (await this.conn.runAndReadAll(`SELECT ts, close FROM ${table} WHERE ts < ? ORDER BY ts DESC LIMIT 1`, [first])).getRowsJS()[0];
    const next = (await this.conn.runAndReadAll(`SELECT ts FROM ${table} WHERE ts > ? ORDER BY ts LIMIT 1`, [last])).getRowsJS()[0];
    const gaps: Array<{ after: number; before: number; missingBars: number; newIndex?: number; fromClose: number | 'last' }> = [];
    if (prev) {
      const miss = missingBarsBetween(num(prev[0]), first, interval);
      if (miss > 0) gaps.push({ after: num(prev[0]), before: first, missingBars: miss, newIndex: 0, fromClose: num(prev[1]) });
    }
    if (next) {
      const miss = missingBarsBetween(last, num(next[0]), interval);
      if (miss > 0) gaps.push({ after: last, before: num(next[0]), missingBars: miss, fromClose: 'last' });
    }
    return { gaps };
  }

  /** Copies bars into a connection-local temp table, outside the transaction (the store file is untouched). */
  private async stage(bars: Candles): Promise<void> {
    await this.conn.run('CREATE OR REPLACE TEMP TABLE pf_stage_raw (ts DOUBLE, open DOUBLE, high DOUBLE, low DOUBLE, close DOUBLE, volume DOUBLE)');
    await appendDoubleColumns(this.conn, 'pf_stage_raw', 'main', 'temp', [bars.ts, bars.open, bars.high, bars.low, bars.close, bars.volume]);
    await this.conn.run('CREATE OR REPLACE TEMP TABLE pf_stage AS SELECT CAST(ts AS BIGINT) AS ts, open, high, low, close, volume FROM pf_stage_raw');
    await this.conn.run('DROP TABLE temp.pf_stage_raw');
  }

  private async rewriteSorted(table: string): Promise<void> {
    await this.conn.run(`CREATE TABLE ${table}__sorted (${BAR_COLUMNS})`);
    await this.conn.run(`INSERT INTO ${table}__sorted SELECT * FROM ${table} ORDER BY ts`);
    await this.conn.run(`DROP TABLE ${table}`);
    await this.conn.run(`ALTER TABLE ${table}__sorted RENAME TO ${table}`);
  }

  /** Merges funding settlements (ascending, unique) in one transaction; same counting as writeBars. */
  async writeFunding(exchange: string, symbol: string, f: FundingSeries): Promise<MergeResult> {
    const ex = exchange.toLowerCase();
    const sym = symbol.toUpperCase();
    return this.exclusive(async () => {
      const result: MergeResult = { inserted: 0, updated: 0, unchanged: 0, seamFilled: 0, seamGaps: [] };
      if (f.length === 0) return result;
      await this.conn.run('CREATE OR REPLACE TEMP TABLE pf_fstage_raw (ts DOUBLE, rate DOUBLE)');
      await appendDoubleColumns(this.conn, 'pf_fstage_raw', 'main', 'temp', [f.ts.subarray(0, f.length), f.rate.subarray(0, f.length)]);
      await this.conn.run('CREATE OR REPLACE TEMP TABLE pf_fstage AS SELECT CAST(ts AS BIGINT) AS ts, rate FROM pf_fstage_raw');
      await this.conn.run('DROP TABLE temp.pf_fstage_raw');
      await this.conn.run('BEGIN TRANSACTION');
      try {
        const join = `FROM pf_fstage s LEFT JOIN pf_funding b ON b.exchange = ? AND b.symbol = ? AND b.ts = s.ts`;
        const counts = (await this.conn.runAndReadAll(`SELECT count(*) FILTER (WHERE b.ts IS NULL), count(*) FILTER (WHERE b.ts IS NOT NULL AND b.rate <> s.rate) ${join}`, [ex, sym])).getRowsJS()[0];
        result.inserted = num(counts[0]);
        result.updated = num(counts[1]);
        result.unchanged = f.length - result.inserted - result.updated;
        if (result.updated > 0) {
          await this.conn.run('UPDATE pf_funding AS b SET rate = s.rate FROM pf_fstage s WHERE b.exchange = ? AND b.symbol = ? AND b.ts = s.ts AND b.rate <> s.rate', [ex, sym]);
        }
        if (result.inserted > 0) {
          await this.conn.run(
            `INSERT INTO pf_funding SELECT ?, ?, s.ts, s.rate FROM pf_fstage s
             WHERE NOT EXISTS (SELECT 1 FROM pf_funding b WHERE b.exchange = ? AND b.symbol = ? AND b.ts = s.ts) ORDER BY s.ts`,
            [ex, sym, ex, sym],
          );
        }
        await this.conn.run('COMMIT');
      } catch (e) {
        await this.conn.run('ROLLBACK');
        throw e;
      } finally {
        await this.conn.run('DROP TABLE IF EXISTS temp.pf_fstage');
      }
      return result;
    });
  }

  /**
   * Bars of a dataset (open time in [from, to)) into one SharedArrayBuffer. Reads in storage order,
   * which writeBars keeps sorted; if that ever fails the check below, it re-reads with ORDER BY.
   */
  async loadCandles(dataset: string | DatasetRef, range: RangeOptions = {}): Promise<Candles> {
    const ref = toDatasetRef(dataset);
    return this.exclusive(async () => {
      const table = await this.requireTable(ref);
      const where = rangeWhere(range);
      const n = num((await this.conn.runAndReadAll(`SELECT count(*) FROM ${table} ${where.sql}`, where.params)).getRowsJS()[0][0]);
      const out = allocateCandles(n);
      const cols = [out.ts, out.open, out.high, out.low, out.close, out.volume];
      const select = `SELECT CAST(ts AS DOUBLE), open, high, low, close, volume FROM ${table} ${where.sql}`;
      let got = await streamDoublesInto(this.conn, select, where.params, cols);
      if (got !== n || !ascending(out.ts)) got = await streamDoublesInto(this.conn, `${select} ORDER BY ts`, where.params, cols);
      if (got !== n) throw new PlayforgeError('DATA_STORE_CHANGED', `${formatDatasetId(ref)} changed while it was being read; retry`);
      return out;
    });
  }

  async loadFunding(exchange: string, symbol: string, range: RangeOptions = {}): Promise<FundingSeries> {
    return this.exclusive(async () => {
      const where = rangeWhere(range);
      const cond = where.sql ? `${where.sql} AND` : 'WHERE';
      const [ts, rate] = await readDoubleColumns(
        this.conn,
        `SELECT CAST(ts AS DOUBLE), rate FROM pf_funding ${cond} exchange = ? AND symbol = ? ORDER BY ts`,
        [...where.params, exchange.toLowerCase(), symbol.toUpperCase()],
      );
      return { ts, rate, length: ts.length };
    });
  }

  /** Writes a dataset (or funding with `funding`) to CSV (header ts,...; ts in epoch ms) or Parquet. */
  async exportTo(
    what: { dataset: DatasetRef } | { funding: { exchange: string; symbol: string } },
    file: string,
    opts: RangeOptions & { format: 'csv' | 'parquet' },
  ): Promise<number> {
    return this.exclusive(async () => {
      const where = rangeWhere(opts);
      let query: string;
      let params: DuckDBValue[] = where.params;
      if ('dataset' in what) {
        const table = await this.requireTable(what.dataset);
        query = `SELECT ts, open, high, low, close, volume FROM ${table} ${where.sql} ORDER BY ts`;
      } else {
        const cond = where.sql ? `${where.sql} AND` : 'WHERE';
        query = `SELECT ts, rate AS funding_rate FROM pf_funding ${cond} exchange = ? AND symbol = ? ORDER BY ts`;
        params = [...params, what.funding.exchange.toLowerCase(), what.funding.symbol.toUpperCase()];
      }
      const n = num((await this.conn.runAndReadAll(`SELECT count(*) FROM (${query})`, params)).getRowsJS()[0][0]);
      mkdirSync(path.dirname(path.resolve(file)), { recursive: true });
      const format = opts.format === 'csv' ? 'FORMAT csv, HEADER true' : 'FORMAT parquet';
      // COPY takes no bind parameters: the range bounds are numbers we produced, inlined safely.
      const inlined = params.reduce<string>((q, p) => q.replace('?', typeof p === 'number' ? String(p) : sqlString(String(p))), query);
      await this.conn.run(`COPY (${inlined}) TO ${sqlString(path.resolve(file))} (${format})`);
      return n;
    });
  }
}

function ascending(ts: Float64Array): boolean {
  for (let i = 1; i < ts.length; i++) if (!(ts[i] > ts[i - 1])) return false;
  return true;
}

/** Adds flat bars before the first new bar (from the stored close) and after the last (from its own close). */
function withSeamFill(bars: Candles, interval: Interval, seam: { gaps: Array<{ after: number; before: number; fromClose: number | 'last' }> }): Candles {
  const head: number[] = [];
  const tail: number[] = [];
  let headClose = NaN;
  for (const g of seam.gaps) {
    const target = g.fromClose === 'last' ? tail : head;
    if (g.fromClose !== 'last') headClose = g.fromClose;
    for (let t = nextBarStart(g.after, interval); t < g.before; t = nextBarStart(t, interval)) target.push(t);
  }
  const n = head.length + bars.length + tail.length;
  const out = allocateCandles(n);
  const lastClose = bars.close[bars.length - 1];
  const put = (k: number, t: number, p: number): void => {
    out.ts[k] = t;
    out.open[k] = out.high[k] = out.low[k] = out.close[k] = p;
    out.volume[k] = 0;
  };
  head.forEach((t, k) => put(k, t, headClose));
  for (const c of ['ts', 'open', 'high', 'low', 'close', 'volume'] as const) out[c].set(bars[c], head.length);
  tail.forEach((t, k) => put(head.length + bars.length + k, t, lastClose));
  return out;
}
