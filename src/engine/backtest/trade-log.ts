// The closed trades of a run, one typed column per field, with the sums the metrics need kept as they come.
//
// Why columns: a Trade object per trade (16 fields, most of them boxed numbers) made the always-in EMA-cross
// backtest on 1M bars (6,232 trades) allocate ~2 MB per run, and the young-generation collections that set
// off landed in the bar loop: the same warm backtest took 4.4 to 11 ms from one process to the next (3.9-4.2
// ms with a 64 MB young generation). A recorded run keeps its trades as columns and builds the objects when
// someone reads the list; a measured run keeps only the sums the metrics read, in one reused row.
import { PlayforgeError } from '../../common/errors.ts';
import type { ExitReason, Trade } from './types.ts';

const REASONS: readonly ExitReason[] = ['signal', 'stop_loss', 'take_profit', 'trailing_stop', 'break_even', 'liquidation', 'max_drawdown', 'end_of_data'];
const REASON_CODE = new Map(REASONS.map((r, k) => [r, k]));

// Float64 columns, in Trade's field order.
export const ENTRY_BAR = 0, ENTRY_TS = 1, ENTRY_PRICE = 2, EXIT_BAR = 3, EXIT_TS = 4, EXIT_PRICE = 5, QUANTITY = 6;
export const NOTIONAL = 7, MARGIN = 8, FEES = 9, FUNDING = 10, PNL = 11, RETURN_PCT = 12;
const COLUMNS = 13;

/** What metricsFromStats reads of the trades, summed in trade order. */
export interface TradeSums {
  count: number;
  wins: number;
  grossWin: number;
  grossLoss: number;
  pnlSum: number;
  retSum: number;
  holdBars: number;
  holdMs: number;
  fees: number;
  funding: number;
}

// Slots of TradeLog's running sums (a Float64Array: object fields holding fractions are boxed by V8 and a
// store allocates).
// Exported for the fused signal loop (signal-held.ts), which adds its trades to a sums-only log directly.
export const S_COUNT = 0, S_WINS = 1, S_GROSS_WIN = 2, S_GROSS_LOSS = 3, S_PNL = 4, S_RET = 5, S_HOLD_BARS = 6;
export const S_HOLD_MS = 7, S_FEES = 8, S_FUNDING = 9;

export class TradeLog {
  /** The columns, in Trade's field order (ENTRY_BAR ... RETURN_PCT); rows [0, length) are trades. */
  cols: Float64Array[] = [];
  private side = new Int8Array(0);
  private reason = new Uint8Array(0);
  /** The running sums by slot (S_*). */
  readonly s = new Float64Array(10);
  private cap = 0;
  private n = 0;
  private built?: Trade[];

  /**
   * `keepRows` false: only the sums are kept (a run scored by its metrics); every trade is written to one
   * reused row, so a run allocates nothing per trade.
   */
  constructor(private readonly keepRows = true) {
    if (!keepRows) {
      this.cols = Array.from({ length: COLUMNS }, () => new Float64Array(1));
      this.cap = 1;
    }
  }

  get length(): number {
    return this.n;
  }

  /** Counts `k` trades whose sums the caller added to `s` itself (a sums-only log). */
  countSummed(k: number): void {
    this.n += k;
  }

  /**
   * The row the next trade goes to: the caller writes its fields into `cols[T_*][row]` (no numbers passed
   * through a call, which would box them) and then calls `commit(row, side, reason)`.
   */
  row(): number {
    if (!this.keepRows) return 0;
    if (this.n === this.cap) this.grow();
    return this.n;
  }

  /** Adds a trade given as an object (a stored list; the bar loop writes its rows itself, see `row`). */
  push(t: Trade): void {
    const k = this.row();
    const c = this.cols;
    c[ENTRY_BAR][k] = t.entryBar;
    c[ENTRY_TS][k] = t.entryTs;
    c[ENTRY_PRICE][k] = t.entryPrice;
    c[EXIT_BAR][k] = t.exitBar;
    c[EXIT_TS][k] = t.exitTs;
    c[EXIT_PRICE][k] = t.exitPrice;
    c[QUANTITY][k] = t.quantity;
    c[NOTIONAL][k] = t.notional;
    c[MARGIN][k] = t.margin;
    c[FEES][k] = t.fees;
    c[FUNDING][k] = t.funding;
    c[PNL][k] = t.pnl;
    c[RETURN_PCT][k] = t.returnPct;
    this.commit(k, t.side === 'long' ? 1 : -1, t.exitReason);
  }

  /** Adds the row written after `row()` to the log and to the sums. */
  commit(k: number, side: number, reason: ExitReason): void {
    if (this.keepRows) {
      this.side[k] = side;
      this.reason[k] = REASON_CODE.get(reason)!;
    }
    this.n++;
    const c = this.cols, s = this.s;
    const pnl = c[PNL][k];
    s[S_COUNT]++;
    if (pnl > 0) {
      s[S_WINS]++;
      s[S_GROSS_WIN] += pnl;
    } else s[S_GROSS_LOSS] -= pnl;
    s[S_PNL] += pnl;
    s[S_RET] += c[RETURN_PCT][k];
    s[S_HOLD_BARS] += c[EXIT_BAR][k] - c[ENTRY_BAR][k];
    s[S_HOLD_MS] += c[EXIT_TS][k] - c[ENTRY_TS][k];
    s[S_FEES] += c[FEES][k];
    s[S_FUNDING] += c[FUNDING][k];
    this.built = undefined;
  }

  /** The sums of the trades so far, added in trade order (the order fixes the floating-point sums). */
  sums(): TradeSums {
    const s = this.s;
    return {
      count: s[S_COUNT], wins: s[S_WINS], grossWin: s[S_GROSS_WIN], grossLoss: s[S_GROSS_LOSS], pnlSum: s[S_PNL], retSum: s[S_RET],
      holdBars: s[S_HOLD_BARS], holdMs: s[S_HOLD_MS], fees: s[S_FEES], funding: s[S_FUNDING],
    };
  }

  /** The trades as objects (built once per length; the caller must not change them). */
  toTrades(): Trade[] {
    if (!this.keepRows) {
      throw new PlayforgeError('ENGINE_TRADES_NOT_RECORDED', 'this run kept only the sums of its trades (it was measured, not recorded): run it recorded (runBacktest) for the trade list');
    }
    if (this.built) return this.built;
    const c = this.cols;
    const out: Trade[] = new Array(this.n);
    for (let k = 0; k < this.n; k++) {
      out[k] = {
        side: this.side[k] > 0 ? 'long' : 'short',
        entryBar: c[ENTRY_BAR][k],
        entryTs: c[ENTRY_TS][k],
        entryPrice: c[ENTRY_PRICE][k],
        exitBar: c[EXIT_BAR][k],
        exitTs: c[EXIT_TS][k],
        exitPrice: c[EXIT_PRICE][k],
        quantity: c[QUANTITY][k],
        notional: c[NOTIONAL][k],
        margin: c[MARGIN][k],
        fees: c[FEES][k],
        funding: c[FUNDING][k],
        pnl: c[PNL][k],
        returnPct: c[RETURN_PCT][k],
        exitReason: REASONS[this.reason[k]],
        barsHeld: c[EXIT_BAR][k] - c[ENTRY_BAR][k],
      };
    }
    this.built = out;
    return out;
  }

  private grow(): void {
    const cap = Math.max(64, this.cap * 2);
    const widen = <T extends Float64Array | Int8Array | Uint8Array>(old: T, next: T): T => {
      next.set(old);
      return next;
    };
    this.cols = Array.from({ length: COLUMNS }, (_, j) => widen(this.cols[j] ?? new Float64Array(0), new Float64Array(cap)));
    this.side = widen(this.side, new Int8Array(cap));
    this.reason = widen(this.reason, new Uint8Array(cap));
    this.cap = cap;
  }
}

export function emptyTradeSums(): TradeSums {
  return new TradeLog(false).sums();
}

/** The sums of a trade list (a stored result, a walk-forward's stitched trades): the same additions as a run's. */
export function tradeSumsOf(trades: readonly Trade[]): TradeSums {
  const log = new TradeLog(false);
  for (const t of trades) log.push(t);
  return log.sums();
}
