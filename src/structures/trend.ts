// trend: wave-based trend classification from a swing sequence, or (our seed extension) standalone from an EMA.
//
// With `uses: swing` (TRADE's detector; meaning read from its trend.py):
// - each newly confirmed pivot (same bar: ordered by pivot index) either completes a wave with the pending
//   opposite-type pivot (L->H bullish, H->L bearish) or, if of the pending type, replaces it when more extreme;
// - a wave's end is compared with the previous pivot of its type: HH/LH for highs, HL/LL for lows;
// - direction from the last two waves: HH+HL up, LH+LL down, then the partial rules (HH without LL up,
//   LH without HL down, HL without LH up, LL without HH down), else ranging; a single wave gives its own
//   direction with strength 0; strength = 2 when the previous wave pair (kept in a 4-wave history) agrees.
// - `state` follows `direction` (1 trending_up, -1 trending_down, 0 ranging).
// Standalone (no `uses:`), param `ema_length` (default 50): with EMA = EMA(close, ema_length) and its slope
// over k = max(1, floor(ema_length / 4)) bars, the state is trending_up when close > EMA and
// EMA[t] > EMA[t-k], trending_down when close < EMA and EMA[t] < EMA[t-k], else ranging (NaN until warm).
// A 1-bar slope would add nothing: EMA[t] > EMA[t-1] exactly when close > EMA[t-1].
// Both modes: `transition` is `recent` on the bar the state changes and the next transition_bars - 1 bars
// (default 5), else `none`; the first state after warm-up is not a change. `bars_in_trend` counts bars since
// the last direction change (0 on that bar), `version` increments on each direction change.
// Standalone mode has no waves: strength 0, wave_count 0, last_wave_direction none, last_* flags 0.
import { intParam } from './params.ts';
import { B, defineStructure, E, Ema, I, swingSpan } from './series.ts';
import type { StructureContext, StructureOutput, StructureStepper } from './types.ts';

export const WAVE_DIRECTIONS = ['bullish', 'bearish', 'none'] as const;
export const TREND_STATES = ['trending_up', 'trending_down', 'ranging'] as const;
export const TRANSITIONS = ['recent', 'none'] as const;
const WAVE_BULL = 0, WAVE_BEAR = 1, WAVE_NONE = 2;
const STATE_UP = 0, STATE_DOWN = 1, STATE_RANGING = 2;
export const TRANSITION_RECENT = 0, TRANSITION_NONE = 1;
const WAVE_HISTORY = 4;

const OUTPUTS = {
  direction: I,
  strength: I,
  bars_in_trend: I,
  wave_count: I,
  last_wave_direction: E(WAVE_DIRECTIONS),
  last_hh: B,
  last_hl: B,
  last_lh: B,
  last_ll: B,
  version: I,
  state: E(TREND_STATES),
  transition: E(TRANSITIONS),
};

/** Tracks an ENUM state and whether it changed within the last `bars` bars (shared with hmm_regime). */
export class TransitionTracker {
  private prev = NaN;
  private changedAt = -Infinity;
  constructor(private readonly bars: number) {}

  /** Feed the state at bar i (NaN = unknown); returns TRANSITION_RECENT or TRANSITION_NONE. */
  update(i: number, state: number): number {
    if (!Number.isNaN(state) && !Number.isNaN(this.prev) && state !== this.prev) this.changedAt = i;
    if (!Number.isNaN(state)) this.prev = state;
    return i - this.changedAt < this.bars ? TRANSITION_RECENT : TRANSITION_NONE;
  }
}

interface Wave {
  bullish: boolean; // L->H
  hh: boolean;
  lh: boolean;
  hl: boolean;
  ll: boolean;
}

class WaveTrendStepper implements StructureStepper {
  private readonly highVersion: Float64Array;
  private readonly lowVersion: Float64Array;
  private readonly highLevel: Float64Array;
  private readonly lowLevel: Float64Array;
  private readonly highIdx: Float64Array;
  private readonly lowIdx: Float64Array;
  private readonly transition: TransitionTracker;

  private lastHighVersion = 0;
  private lastLowVersion = 0;
  private prevHigh = NaN;
  private prevLow = NaN;
  private pendingType = -1; // 0 high, 1 low
  private pendingLevel = NaN;
  private readonly waves: Wave[] = [];
  private direction = 0;
  private strength = 0;
  private waveCount = 0;
  private lastWaveDir = WAVE_NONE;
  private lastHH = 0;
  private lastHL = 0;
  private lastLH = 0;
  private lastLL = 0;
  private version = 0;
  private changedAt = 0;

  constructor(
    ctx: StructureContext,
    private readonly out: StructureOutput,
    swing: StructureOutput,
  ) {
    this.highVersion = swing.high_version;
    this.lowVersion = swing.low_version;
    this.highLevel = swing.high_level;
    this.lowLevel = swing.low_level;
    this.highIdx = swing.high_idx;
    this.lowIdx = swing.low_idx;
    this.transition = new TransitionTracker(intParam('trend', ctx.params, 'transition_bars', 5, 1));
  }

  step(i: number): void {
    const newHigh = this.highVersion[i] !== this.lastHighVersion;
    const newLow = this.lowVersion[i] !== this.lastLowVersion;
    if (newHigh && newLow && this.lowIdx[i] < this.highIdx[i]) {
      this.pivot(1, this.lowLevel[i], i);
      this.pivot(0, this.highLevel[i], i);
    } else {
      if (newHigh) this.pivot(0, this.highLevel[i], i);
      if (newLow) this.pivot(1, this.lowLevel[i], i);
    }
    if (newHigh) {
      this.prevHigh = this.highLevel[i];
      this.lastHighVersion = this.highVersion[i];
    }
    if (newLow) {
      this.prevLow = this.lowLevel[i];
      this.lastLowVersion = this.lowVersion[i];
    }
    const o = this.out;
    o.direction[i] = this.direction;
    o.strength[i] = this.strength;
    o.bars_in_trend[i] = i - this.changedAt;
    o.wave_count[i] = this.waveCount;
    o.last_wave_direction[i] = this.lastWaveDir;
    o.last_hh[i] = this.lastHH;
    o.last_hl[i] = this.lastHL;
    o.last_lh[i] = this.lastLH;
    o.last_ll[i] = this.lastLL;
    o.version[i] = this.version;
    const state = this.direction === 1 ? STATE_UP : this.direction === -1 ? STATE_DOWN : STATE_RANGING;
    o.state[i] = state;
    o.transition[i] = this.transition.update(i, state);
  }

  private pivot(type: number, level: number, i: number): void {
    if (this.pendingType === -1) {
      this.pendingType = type;
      this.pendingLevel = level;
      return;
    }
    if (type === this.pendingType) {
      // Same type again (no strict alternation upstream): keep the more extreme one as the wave's start.
      if (type === 0 ? level >= this.pendingLevel : level <= this.pendingLevel) this.pendingLevel = level;
      return;
    }
    // Opposite type completes a wave; only its END is compared (its start was the previous wave's end).
    const bullish = type === 0;
    const wave: Wave = { bullish, hh: false, lh: false, hl: false, ll: false };
    if (bullish && !Number.isNaN(this.prevHigh)) {
      wave.hh = level > this.prevHigh;
      wave.lh = level < this.prevHigh;
      this.lastHH = wave.hh ? 1 : 0;
      this.lastLH = wave.lh ? 1 : 0;
    }
    if (!bullish && !Number.isNaN(this.prevLow)) {
      wave.ll = level < this.prevLow;
      wave.hl = level > this.prevLow;
      this.lastLL = wave.ll ? 1 : 0;
      this.lastHL = wave.hl ? 1 : 0;
    }
    this.lastWaveDir = bullish ? WAVE_BULL : WAVE_BEAR;
    this.waves.push(wave);
    if (this.waves.length > WAVE_HISTORY) this.waves.shift();
    this.pendingType = type;
    this.pendingLevel = level;
    this.classify(i);
  }

  private classify(i: number): void {
    const w = this.waves;
    let dir = 0, strength = 0, count = 0;
    if (w.length === 1) {
      dir = w[0].bullish ? 1 : -1;
      count = 1;
    } else if (w.length >= 2) {
      dir = classifyPair(w[w.length - 1], w[w.length - 2]);
      if (dir !== 0) {
        count = 1;
        for (let k = w.length - 3; k >= 0; k -= 2) {
          if (classifyPair(w[k + 1], w[k]) !== dir) break;
          count++;
        }
        strength = count >= 2 ? 2 : 1;
      }
    }
    if (dir !== this.direction) {
      this.direction = dir;
      this.changedAt = i;
      this.version++;
    }
    this.strength = strength;
    this.waveCount = count;
  }
}

/** Direction from two consecutive waves: one brings the high comparison, the other the low comparison. */
function classifyPair(recent: Wave, prev: Wave): number {
  const highWave = recent.bullish ? recent : prev.bullish ? prev : undefined;
  const lowWave = !recent.bullish ? recent : !prev.bullish ? prev : undefined;
  const hh = highWave?.hh === true, lh = highWave?.lh === true;
  const hl = lowWave?.hl === true, ll = lowWave?.ll === true;
  if (hh && hl) return 1;
  if (lh && ll) return -1;
  if (hh && !ll) return 1;
  if (lh && !hl) return -1;
  if (hl && !lh) return 1;
  if (ll && !hh) return -1;
  return 0;
}

class EmaTrendStepper implements StructureStepper {
  private readonly ema: Ema;
  private readonly slopeBars: number;
  private readonly history: Float64Array; // ring of the last slopeBars EMA values
  private readonly transition: TransitionTracker;
  private direction = 0;
  private version = 0;
  private changedAt = 0;

  constructor(
    private readonly ctx: StructureContext,
    private readonly out: StructureOutput,
  ) {
    const length = intParam('trend', ctx.params, 'ema_length', 50, 1);
    this.ema = new Ema(length);
    this.slopeBars = Math.max(1, Math.floor(length / 4));
    this.history = new Float64Array(this.slopeBars).fill(NaN);
    this.transition = new TransitionTracker(intParam('trend', ctx.params, 'transition_bars', 5, 1));
  }

  step(i: number): void {
    const close = this.ctx.input.close[i];
    const ema = this.ema.next(close);
    const h = this.history;
    const then = h[i % h.length]; // EMA at bar i - slopeBars (the slot about to be overwritten)
    h[i % h.length] = ema;
    let state = NaN;
    if (!Number.isNaN(ema) && !Number.isNaN(then) && !Number.isNaN(close)) {
      if (close > ema && ema > then) state = STATE_UP;
      else if (close < ema && ema < then) state = STATE_DOWN;
      else state = STATE_RANGING;
    }
    const dir = state === STATE_UP ? 1 : state === STATE_DOWN ? -1 : 0;
    if (dir !== this.direction) {
      this.direction = dir;
      this.changedAt = i;
      this.version++;
    }
    const o = this.out;
    o.direction[i] = this.direction;
    o.strength[i] = 0;
    o.bars_in_trend[i] = i - this.changedAt;
    o.wave_count[i] = 0;
    o.last_wave_direction[i] = WAVE_NONE;
    o.last_hh[i] = 0;
    o.last_hl[i] = 0;
    o.last_lh[i] = 0;
    o.last_ll[i] = 0;
    o.version[i] = this.version;
    o.state[i] = state;
    o.transition[i] = this.transition.update(i, state);
  }
}

export const trend = defineStructure({
  type: 'trend',
  enums: { last_wave_direction: WAVE_DIRECTIONS, state: TREND_STATES, transition: TRANSITIONS },
  dependencies: { required: [], optional: ['swing'] },
  outputs: () => OUTPUTS,
  // TRADE: (left + right) * 5 with a swing; standalone: the EMA plus its slope window.
  warmup: (p, deps) => {
    if (deps?.swing) return swingSpan(deps) * 5;
    const len = typeof p.ema_length === 'number' ? p.ema_length : 50;
    return len + Math.max(1, Math.floor(len / 4));
  },
  createStepper: (ctx, out) => (ctx.deps.swing ? new WaveTrendStepper(ctx, out, ctx.deps.swing) : new EmaTrendStepper(ctx, out)),
});
