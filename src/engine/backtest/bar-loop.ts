// The backtest bar loop: funding, open fills, intrabar levels, mark, decide — docs/engine.md §1.
//
// Most bars take a quiet path: with nothing pending or resting, a flat bar before the next entry signal, or
// (with no stop that moves and no finer candles) a held bar where no level is touched, no exit signal fires
// and no funding settles, only marks equity. The stretch up to the next such signal or settlement is found by
// a scan of that one column first, so the marking loops read only what they must: nothing but the cash while
// flat (O(1) per stretch), the close in a position (levels are checked per block of bars, RangeBlocks). In a
// measured run whose positions end by whole signal exits, held stretches, their exits and their reversals go
// through the fused loop (signal-held.ts) instead. The first eventful bar goes through `bar` (steps 1-4) and
// every bar's decision through `decide` (step 5). The loop is split into these small methods so each is
// compiled on its own: a first backtest in a fresh process (a CLI run, a new worker) does not wait for one
// huge function to be optimised (docs/engine.md §9).
import type { Candles } from '../../data/index.ts';
import { EquityTrack, markedEquity } from './equity-track.ts';
import { cannotEnter, FILL_AT_OPEN, FILL_NONE, openPosition, RestingEntry, tryLimitFill, type LevelColumns } from './entries.ts';
import { advanceStops, checkRange } from './intrabar.ts';
import { Account } from './position.ts';
import { rangeBlocks, type RangeBlocks } from './range-blocks.ts';
import { settleQuietly } from './quiet-funding.ts';
import { nextSet, nextSettlement } from './scan.ts';
import { SignalHeld } from './signal-held.ts';
import type { ExecutionSpec } from './spec.ts';
import { decide, ENTER_LONG, ENTER_SHORT, EXIT, exitShare, type StepPolicy } from './step.ts';
import { barMs, indexSubBars, type SubBarIndex } from './sub-bars.ts';
import type { ExitPercents, ExitReason, Signals, StrategyInput } from './types.ts';

const NO_COLUMN = new Float64Array(0);

// Slots of BarLoop.num: the last bar's equity, the share of a pending exit, the equity at the decision bar,
// and the equity the bar step just marked.
const NUM_LAST_EQUITY = 0, NUM_PENDING_SHARE = 1, NUM_DECISION_EQUITY = 2, NUM_EQUITY = 3, NUM_SLOTS = 4;

export interface LoopOptions {
  funding?: Float64Array;
  subCandles?: Candles;
  /** Store the equity curve and the in-position flags (else they are only measured). */
  record: boolean;
  /** false: held stretches never take the fused signal loop (a test holding it to the bar step). */
  signalLoop?: boolean;
}

export class BarLoop {
  readonly acc: Account;
  readonly track: EquityTrack;
  readonly equity?: Float64Array;
  readonly inPosition?: Uint8Array;
  /**
   * The loop's fractional state by slot (NUM_*): number fields, arguments and return values of the step's
   * methods would each be a heap box per bar that reaches them.
   */
  private readonly num = new Float64Array(NUM_SLOTS);
  haltedAtBar?: number;

  private readonly n: number;
  private readonly exec: Candles;
  private readonly signals: Signals;
  private readonly exitPercent: ExitPercents;
  private readonly funding?: Float64Array;
  private readonly stopAtr: Float64Array;
  private readonly trailsAtr: boolean;
  private readonly sub?: Candles;
  private readonly subIdx?: SubBarIndex;
  private readonly policy: StepPolicy;
  private readonly warmup: number;
  private readonly maxDd: number;
  private readonly floor: number;
  private readonly quietAllowed: boolean;
  /** The entry columns the step acts on (a masked side reads as never set), and the signal exits it watches. */
  private readonly entryA?: Uint8Array;
  private readonly entryB?: Uint8Array;
  private readonly exitAll?: Uint8Array;
  private readonly cols: LevelColumns;
  private readonly rest = new RestingEntry();
  /** The fused loop for held stretches that end by signals, where it applies (signal-held.ts). */
  private readonly fused?: SignalHeld;
  private readonly blocks: RangeBlocks;

  private halted = false;
  // Decided at bar i-1's close, executed from bar i's open.
  private pending = 0;
  private pendingReason: ExitReason = 'signal';
  private decisionBar = -1;
  /** The next bar >= the current one where funding settles (n when none), found lazily. */
  private nextFunding = -1;
  /** Set when the quiet path marked the bar it stopped at (a signal bar where nothing else happens). */
  private marked = false;

  constructor(strategy: StrategyInput, private readonly spec: ExecutionSpec, opts: LoopOptions) {
    const { exec, signals } = strategy;
    this.n = strategy.n;
    this.exec = exec;
    this.signals = signals;
    this.exitPercent = strategy.exitPercent;
    this.funding = opts.funding;
    const col = (ref: string | undefined): Float64Array => (ref ? strategy.column(ref) : NO_COLUMN);
    this.stopAtr = col(spec.stop.atrRef);
    const targetAtr = spec.target.atrRef === spec.stop.atrRef ? this.stopAtr : col(spec.target.atrRef);
    const swing = spec.stop.kind === 'structure' && spec.stop.swingKey ? spec.stop.swingKey : undefined;
    this.cols = {
      ts: exec.ts, stopAtr: this.stopAtr, targetAtr,
      swingLow: swing ? col(`${swing}.low_level`) : NO_COLUMN, swingHigh: swing ? col(`${swing}.high_level`) : NO_COLUMN,
    };
    this.trailsAtr = spec.stop.kind === 'trailing_atr';
    this.sub = opts.subCandles;
    this.subIdx = this.sub ? indexSubBars(exec, barMs(exec.ts), this.sub) : undefined;
    this.policy = { allowLong: spec.allowLong, allowShort: spec.allowShort, signalExits: spec.signalExits, wholeExits: strategy.wholeExits === true };
    this.warmup = strategy.warmupBars;
    this.maxDd = spec.maxDrawdownPct > 0 ? spec.maxDrawdownPct / 100 : 0;
    this.floor = this.maxDd > 0 ? 1 - this.maxDd : -Infinity;
    this.quietAllowed = this.subIdx === undefined && !this.trailsAtr && spec.stop.kind !== 'trailing_pct' && spec.breakEven === undefined;
    this.entryA = spec.allowLong ? signals.entry_long : spec.allowShort ? signals.entry_short : undefined;
    this.entryB = spec.allowLong && spec.allowShort ? signals.entry_short : undefined;
    this.exitAll = spec.signalExits ? signals.exit_all : undefined;
    this.acc = new Account(spec.startingEquity, opts.record);
    this.track = new EquityTrack(spec.startingEquity);
    this.num[NUM_LAST_EQUITY] = spec.startingEquity;
    this.num[NUM_PENDING_SHARE] = 1;
    if (opts.record) {
      this.equity = new Float64Array(this.n);
      this.inPosition = new Uint8Array(this.n);
    }
    this.blocks = rangeBlocks(exec);
    if (opts.signalLoop !== false && SignalHeld.applies(spec, this.policy.wholeExits === true, this.quietAllowed, opts.record)) {
      const input = { n: this.n, exec, signals, spec, cols: this.cols, warmup: this.warmup, floor: this.floor, funding: this.funding, blocks: this.blocks };
      this.fused = new SignalHeld(input, this.acc, this.track);
    }
  }

  run(): void {
    const n = this.n;
    for (let i = 0; i < n; i++) {
      if (this.pending === 0 && this.rest.side === 0) {
        // Flat bars never read finer candles or move stops: quiet whatever the stop kind.
        if (this.acc.side === 0) i = this.quietFlat(i);
        else if (this.fused !== undefined && !this.halted) i = this.fusedHeld(i);
        else if (this.quietAllowed && !this.halted) i = this.quietHeld(i);
      }
      if (this.marked) this.num[NUM_EQUITY] = this.track.prev;
      else this.bar(i);
      this.marked = false;
      if (i + 1 < n) this.decide(i);
    }
    const acc = this.acc;
    if (acc.side !== 0 && n > 0) {
      acc.close(1, this.exec.close[n - 1] * (1 - acc.side * this.spec.slippage), this.spec.takerRate, n - 1, this.exec.ts[n - 1], 'end_of_data');
      this.num[NUM_LAST_EQUITY] = acc.cash;
      if (this.equity !== undefined) this.equity[n - 1] = acc.cash;
    }
    if (n > 0) this.track.mark(n - 1, this.num[NUM_LAST_EQUITY]);
  }

  /** Equity of the last bar after the end-of-data close. */
  get lastEquity(): number {
    return this.num[NUM_LAST_EQUITY];
  }

  /** Flat from bar i: marks the cash up to the next entry the step would act on; returns that bar. */
  private quietFlat(i: number): number {
    const last = this.n - 1;
    // No entry is decided before the warm-up bar, whatever the signals say. An account that cannot size an
    // entry at any price stays flat for good (its cash does not change while flat), and so does one that hit
    // its maximum drawdown.
    const start = i > this.warmup ? i : this.warmup;
    const cash = this.acc.cash;
    const never = this.entryA === undefined || this.halted || cannotEnter(this.spec, cash);
    const to = never || start >= last ? last : nextSet(this.entryA!, this.entryB, start, last);
    this.track.markFlat(i, to, cash);
    if (this.equity !== undefined) this.equity.fill(cash, i, to);
    return to > i ? to : i;
  }

  /** In a position from bar i: the fused loop's bars, exits and reversals; returns the bar it left to the step. */
  private fusedHeld(i: number): number {
    const f = this.fused!;
    const to = f.run(i);
    if (f.pending !== 0) {
      this.pending = f.pending;
      this.num[NUM_PENDING_SHARE] = 1;
      this.pendingReason = 'signal';
      this.decisionBar = f.decisionBar;
      this.num[NUM_DECISION_EQUITY] = f.decisionEquity;
    }
    return to;
  }

  /**
   * In a position from bar i: marks bars until a level, the drawdown floor or an exit signal; a funding bar
   * where nothing else happens is settled on the way (quiet-funding.ts). Returns the bar it stopped at.
   */
  private quietHeld(from: number): number {
    const { acc, track, exec, floor, funding } = this;
    const last = this.n - 1;
    const exitSide = acc.side > 0 ? this.signals.exit_long : this.signals.exit_short;
    for (let i = from; ;) {
      let to = this.exitAll === undefined ? last : nextSet(this.exitAll, exitSide, i, last);
      if (funding !== undefined) {
        if (this.nextFunding < i) this.nextFunding = nextSettlement(funding, i, this.n);
        if (this.nextFunding < to) to = this.nextFunding;
      }
      // The exit signal's own bar (the stretch ends there unless it is the last bar or settles funding): its
      // levels and mark are quiet work too, and its open and time — columns no quiet loop streams — are never
      // read. Only its decision is left when it gets marked.
      const through = to < last && to !== this.nextFunding ? to + 1 : to;
      const end = track.markHeld(i, through, exec, acc, floor, this.blocks);
      this.record(i, end);
      if (end > to) {
        this.marked = true;
        return to;
      }
      // A funding bar with no exit signal on it, settled here when nothing else happens there.
      const exitThere = this.exitAll !== undefined && (this.exitAll[to] | exitSide[to]) !== 0;
      if (end === to && to === this.nextFunding && to < last && !exitThere && settleQuietly(acc, track, exec, funding![to], to, floor, this.blocks)) {
        this.record(to, to + 1);
        i = to + 1;
        continue;
      }
      return end;
    }
  }

  /** A recording run's curve and in-position flags for held bars [from, to), as marked. */
  private record(from: number, to: number): void {
    if (this.equity !== undefined) markedEquity(this.equity, from, to, this.exec, this.acc);
    if (this.inPosition !== undefined) this.inPosition.fill(1, from, to);
  }

  /** Steps 1-4 of bar i; leaves the equity at its close in num[NUM_EQUITY]. */
  private bar(i: number): void {
    const { acc, spec, exec, funding, rest, cols, subIdx, sub } = this;
    const { ts, open, close } = exec;
    const slip = spec.slippage;
    // The open is read only when something trades or a position is held: a flat bar costs no price reads.
    // 1. Funding on the position held at the bar's start.
    if (funding !== undefined && acc.side !== 0) {
      const rate = funding[i];
      if (rate === rate) acc.payFunding(open[i], rate);
    }
    // 2. Open fills: the signal exit first, then the entry.
    const pending = this.pending;
    if (pending !== 0) {
      if ((pending & EXIT) !== 0 && acc.side !== 0) {
        acc.close(this.num[NUM_PENDING_SHARE], open[i] * (1 - acc.side * slip), spec.takerRate, i, ts[i], this.pendingReason);
      }
      if ((pending & (ENTER_LONG | ENTER_SHORT)) !== 0 && acc.side === 0) {
        const side = (pending & ENTER_LONG) !== 0 ? 1 : -1;
        if (spec.entry.limit) {
          rest.side = side;
          rest.price = close[this.decisionBar] * (1 - (side * spec.entry.offsetPct) / 100);
          rest.placedBar = i;
          rest.equity = this.num[NUM_DECISION_EQUITY];
          rest.decisionBar = this.decisionBar;
        } else {
          openPosition(acc, spec, cols, side, open[i] * (1 + side * slip), spec.takerRate, i, this.num[NUM_DECISION_EQUITY], this.decisionBar);
        }
      }
      this.pending = 0;
    }
    // 3. Intrabar: a resting limit entry, then the position's levels.
    // A limit fill inside the bar: only the stop is checked where the order of prices is unknown.
    let limitIntrabar = false;
    let fillSub = -1;
    if (rest.side !== 0 && acc.side === 0) {
      const fill = tryLimitFill(acc, spec, cols, rest, exec, i, subIdx, sub);
      limitIntrabar = fill !== FILL_NONE && fill !== FILL_AT_OPEN;
      if (limitIntrabar) fillSub = fill;
    }
    if (acc.side !== 0) {
      if (subIdx !== undefined && sub !== undefined && subIdx.end[i] > subIdx.start[i]) {
        let j = fillSub >= 0 ? fillSub : subIdx.start[i];
        for (const end = subIdx.end[i]; j < end; j++) {
          if (checkRange(acc, spec, sub, j, j === fillSub, i, ts)) break;
          // The fill sub-bar's extremes may predate the fill: they do not move stops.
          if (j !== fillSub) advanceStops(acc, spec, sub, j);
        }
      } else if (!checkRange(acc, spec, exec, i, limitIntrabar, i, ts) && !limitIntrabar) {
        advanceStops(acc, spec, exec, i);
      }
    }
    // 4. Mark to the close (the last bar is measured after the end-of-data close, in run).
    const eq = acc.side === 0 ? acc.cash : acc.equityAt(close[i]);
    this.num[NUM_EQUITY] = eq;
    if (this.equity !== undefined) this.equity[i] = eq;
    const peak = this.track.peak;
    if (i < this.n - 1) this.track.mark(i, eq);
    else this.num[NUM_LAST_EQUITY] = eq;
    if (acc.side !== 0) {
      this.track.addExposed();
      if (this.inPosition !== undefined) this.inPosition[i] = 1;
      if (this.trailsAtr) {
        const a = this.stopAtr[i];
        if (a === a) acc.trailDist = spec.stop.atrMultiplier * a;
      }
    }
    if (!(eq > peak) && this.maxDd > 0 && !this.halted && eq < peak * this.floor) {
      this.halted = true;
      this.haltedAtBar = i;
      rest.side = 0;
    }
  }

  /** Step 5: decide at bar i's close (equity num[NUM_EQUITY]) for the next bar's open. */
  private decide(i: number): void {
    const { acc, rest, signals } = this;
    if (this.halted) {
      this.pending = acc.side !== 0 ? EXIT : 0;
      this.num[NUM_PENDING_SHARE] = 1;
      this.pendingReason = 'max_drawdown';
    } else {
      if (rest.side !== 0 && this.spec.signalExits && (signals.exit_all[i] === 1 || (rest.side > 0 ? signals.exit_long[i] : signals.exit_short[i]) === 1)) {
        rest.side = 0; // an exit signal cancels a resting entry
      }
      let code = decide(signals, this.exitPercent, i, acc.side, rest.side !== 0, this.policy);
      if (i < this.warmup) code &= EXIT;
      this.pending = code;
      if ((code & EXIT) !== 0) {
        this.num[NUM_PENDING_SHARE] = this.policy.wholeExits ? 1 : exitShare(signals, this.exitPercent, i, acc.side);
        this.pendingReason = 'signal';
      }
    }
    this.decisionBar = i;
    this.num[NUM_DECISION_EQUITY] = this.num[NUM_EQUITY];
  }
}
