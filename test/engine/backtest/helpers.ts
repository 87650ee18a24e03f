// Test helpers for the engine/reference comparisons: strategy inputs from plain arrays, CSV candles,
// simple ATR and swing columns, default specs, and a field-by-field comparison of two results.
import { readFileSync } from 'node:fs';
import { candlesFromArrays, type Candles } from '../../../src/data/index.ts';
import type { ExecutionSpec } from '../../../src/engine/backtest/spec.ts';
import type { ExitPercents, Signals, StrategyInput, Trade } from '../../../src/engine/backtest/types.ts';

export const HOUR = 3_600_000;

export type SignalName = keyof Signals;

/** Candles from rows [open, high, low, close], one hour apart from t0. */
export function bars(rows: ReadonlyArray<readonly [number, number, number, number]>, stepMs = HOUR, t0 = 1_700_000_000_000 - (1_700_000_000_000 % HOUR)): Candles {
  return candlesFromArrays({
    ts: rows.map((_, i) => t0 + i * stepMs),
    open: rows.map((r) => r[0]),
    high: rows.map((r) => r[1]),
    low: rows.map((r) => r[2]),
    close: rows.map((r) => r[3]),
    volume: rows.map(() => 1),
  });
}

export interface StrategyParts {
  /** Bars at which each signal fires. */
  signals?: Partial<Record<SignalName, number[]>>;
  /** Partial exit percent per (signal, bar); 100 elsewhere. */
  percents?: Partial<Record<keyof ExitPercents, Record<number, number>>>;
  warmupBars?: number;
  columns?: Record<string, ArrayLike<number>>;
}

export function strategy(exec: Candles, parts: StrategyParts = {}): StrategyInput {
  const n = exec.length;
  const flag = (name: SignalName): Uint8Array => {
    const a = new Uint8Array(n);
    for (const i of parts.signals?.[name] ?? []) a[i] = 1;
    return a;
  };
  const pct = (name: keyof ExitPercents): Float64Array => {
    const a = new Float64Array(n).fill(100);
    for (const [i, v] of Object.entries(parts.percents?.[name] ?? {})) a[Number(i)] = v;
    return a;
  };
  const columns = parts.columns ?? {};
  return {
    n,
    exec,
    signals: { entry_long: flag('entry_long'), entry_short: flag('entry_short'), exit_long: flag('exit_long'), exit_short: flag('exit_short'), exit_all: flag('exit_all') },
    exitPercent: { exit_long: pct('exit_long'), exit_short: pct('exit_short'), exit_all: pct('exit_all') },
    warmupBars: parts.warmupBars ?? 0,
    column(ref: string): Float64Array {
      const c = columns[ref];
      if (!c) throw new Error(`test strategy has no column ${ref}`);
      return Float64Array.from(c);
    },
  };
}

type DeepPartial<T> = { [K in keyof T]?: T[K] extends object ? Partial<T[K]> : T[K] };

/** A plain spec: 10 000 USDT, 1x, no fees, no slippage, no stops, 100% of equity, market entries. */
export function makeSpec(over: DeepPartial<ExecutionSpec> = {}): ExecutionSpec {
  const base: ExecutionSpec = {
    startingEquity: 10_000,
    leverage: 1,
    takerRate: 0,
    makerRate: 0,
    slippage: 0,
    maintenanceMarginRate: 0.005,
    minNotional: 0,
    maxDrawdownPct: 100,
    allowLong: true,
    allowShort: true,
    signalExits: true,
    stop: { kind: 'none', value: 0, trailPct: 0, atrMultiplier: 0, activationPct: 0, bufferPct: 0 },
    target: { kind: 'none', value: 0, limitOrder: false },
    sizing: { model: 'percent_equity', value: 100 },
    entry: { limit: false, offsetPct: 0, tif: 'GTC', expireAfterBars: 0 },
  };
  return {
    ...base,
    ...over,
    stop: { ...base.stop, ...over.stop },
    target: { ...base.target, ...over.target },
    sizing: { ...base.sizing, ...over.sizing },
    entry: { ...base.entry, ...over.entry },
    breakEven: over.breakEven ? { activationPct: over.breakEven.activationPct ?? 0, offsetPct: over.breakEven.offsetPct ?? 0 } : undefined,
  } as ExecutionSpec;
}

/** Candles from a CSV with header ts,open,high,low,close,volume; optional row window. */
export function readCandlesCsv(path: string, from = 0, count = Infinity): Candles {
  const lines = readFileSync(path, 'utf8').trim().split('\n').slice(1);
  const rows = lines.slice(from, from + Math.min(count, lines.length)).map((l) => l.split(',').map(Number));
  return candlesFromArrays({
    ts: rows.map((r) => r[0]),
    open: rows.map((r) => r[1]),
    high: rows.map((r) => r[2]),
    low: rows.map((r) => r[3]),
    close: rows.map((r) => r[4]),
    volume: rows.map((r) => r[5]),
  });
}

/** Candles whose open time lies in [from, to). */
export function candlesBetween(c: Candles, from: number, to: number): Candles {
  const idx: number[] = [];
  for (let i = 0; i < c.length; i++) if (c.ts[i] >= from && c.ts[i] < to) idx.push(i);
  const pick = (a: Float64Array): number[] => idx.map((i) => a[i]);
  return candlesFromArrays({ ts: pick(c.ts), open: pick(c.open), high: pick(c.high), low: pick(c.low), close: pick(c.close), volume: pick(c.volume) });
}

/** A plain ATR (simple mean of the true range over `length` bars), NaN before it is defined. */
export function simpleAtr(c: Candles, length: number): Float64Array {
  const out = new Float64Array(c.length).fill(NaN);
  const tr: number[] = [];
  for (let i = 0; i < c.length; i++) {
    const prevClose = i > 0 ? c.close[i - 1] : c.close[i];
    tr.push(Math.max(c.high[i] - c.low[i], Math.abs(c.high[i] - prevClose), Math.abs(c.low[i] - prevClose)));
    if (i >= length - 1) out[i] = tr.slice(i - length + 1, i + 1).reduce((a, b) => a + b, 0) / length;
  }
  return out;
}

/** Last confirmed fractal pivot levels (a pivot with `k` lower highs / higher lows each side, known k bars later). */
export function simpleSwings(c: Candles, k: number): { high: Float64Array; low: Float64Array } {
  const high = new Float64Array(c.length).fill(NaN);
  const low = new Float64Array(c.length).fill(NaN);
  let lastHigh = NaN;
  let lastLow = NaN;
  for (let i = 0; i < c.length; i++) {
    const p = i - k;
    if (p - k >= 0) {
      let isHigh = true;
      let isLow = true;
      for (let j = p - k; j <= p + k; j++) {
        if (j === p) continue;
        if (c.high[j] >= c.high[p]) isHigh = false;
        if (c.low[j] <= c.low[p]) isLow = false;
      }
      if (isHigh) lastHigh = c.high[p];
      if (isLow) lastLow = c.low[p];
    }
    high[i] = lastHigh;
    low[i] = lastLow;
  }
  return { high, low };
}

export interface Comparable {
  trades: readonly Trade[];
  equity: ArrayLike<number>;
  finalEquity: number;
  totalFees: number;
  totalFunding: number;
  inPosition: ArrayLike<number>;
  haltedAtBar?: number;
}

const TRADE_FIELDS: (keyof Trade)[] = ['side', 'entryBar', 'entryTs', 'entryPrice', 'exitBar', 'exitTs', 'exitPrice', 'quantity', 'notional', 'margin', 'fees', 'funding', 'pnl', 'returnPct', 'exitReason', 'barsHeld'];

function close(a: number, b: number, rel: number): boolean {
  if (Number.isNaN(a) && Number.isNaN(b)) return true;
  return Math.abs(a - b) <= rel * Math.max(1, Math.abs(a), Math.abs(b));
}

/** The first difference between two results (trades field by field, equity per bar), or null. */
export function firstDifference(engine: Comparable, ref: Comparable, rel = 1e-9): string | null {
  const nt = Math.max(engine.trades.length, ref.trades.length);
  for (let t = 0; t < nt; t++) {
    const a = engine.trades[t];
    const b = ref.trades[t];
    if (!a || !b) return `trade #${t}: engine ${a ? JSON.stringify(a) : 'missing'} vs reference ${b ? JSON.stringify(b) : 'missing'} (engine ${engine.trades.length} trades, reference ${ref.trades.length})`;
    for (const f of TRADE_FIELDS) {
      const x = a[f];
      const y = b[f];
      const same = typeof x === 'number' && typeof y === 'number' ? close(x, y, rel) : x === y;
      if (!same) return `trade #${t} field ${f}: engine ${String(x)} vs reference ${String(y)}\n engine    ${JSON.stringify(a)}\n reference ${JSON.stringify(b)}`;
    }
  }
  for (let i = 0; i < Math.max(engine.equity.length, ref.equity.length); i++) {
    if (!close(engine.equity[i], ref.equity[i], rel)) return `equity at bar ${i}: engine ${engine.equity[i]} vs reference ${ref.equity[i]}`;
    if (engine.inPosition[i] !== ref.inPosition[i]) return `inPosition at bar ${i}: engine ${engine.inPosition[i]} vs reference ${ref.inPosition[i]}`;
  }
  if (!close(engine.finalEquity, ref.finalEquity, rel)) return `final equity: engine ${engine.finalEquity} vs reference ${ref.finalEquity}`;
  if (!close(engine.totalFees, ref.totalFees, rel)) return `total fees: engine ${engine.totalFees} vs reference ${ref.totalFees}`;
  if (!close(engine.totalFunding, ref.totalFunding, rel)) return `total funding: engine ${engine.totalFunding} vs reference ${ref.totalFunding}`;
  if (engine.haltedAtBar !== ref.haltedAtBar) return `haltedAtBar: engine ${engine.haltedAtBar} vs reference ${ref.haltedAtBar}`;
  return null;
}
