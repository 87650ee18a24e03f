// market_structure: ICT break of structure (BOS, continuation) and change of character (CHoCH, reversal).
//
// Semantics (TRADE docs/dsl/structures.md; meaning read from its market_structure.py):
// - each newly confirmed swing high (low) becomes the level to watch for a bullish (bearish) break, unless
//   that swing is not newer than the last one already broken (a broken level never re-triggers);
// - the check price is the close (confirmation_close: true) or, by default, the bar's high/low;
// - bias bullish: close/low below the low level is a bearish CHoCH (checked first; bias flips), else
//   close/high above the high level is a bullish BOS; bias bearish mirrors it; bias ranging: the first
//   break (high side checked first) is a BOS that sets the bias. A broken level is cleared until a new swing.
// Extras TRADE's real plays use: `direction` (INT) = the direction of the last event (1 bullish, -1
// bearish, 0 before any), which in this state machine always equals `bias`; `event_type` (INT) = the event
// on THIS bar: 0 none, 1 BOS, 2 CHoCH (a per-bar signal like bos_this_bar / choch_this_bar, so
// `event_type != 0` means "a structure event fired now").
// Choice: the doc's table says `confirmation_close` defaults to true, but TRADE's code defaults to false, its
// plays were run on that (the one play that wants closes sets it explicitly), and the DSL registry documents
// false: we follow the code, so the same play means the same thing here as in TRADE.
// Indices are NaN until the first event (TRADE: -1).
import { boolParam, depField, requireDep } from './params.ts';
import { B, defineStructure, E, F, I, swingSpan } from './series.ts';
import type { StructureContext, StructureOutput, StructureStepper } from './types.ts';

export const BREAK_DIRECTIONS = ['bullish', 'bearish', 'none'] as const;
const DIR_BULL = 0, DIR_BEAR = 1, DIR_NONE = 2;
export const EVENT_NONE = 0, EVENT_BOS = 1, EVENT_CHOCH = 2;

const OUTPUTS = {
  bias: I,
  bos_this_bar: B,
  choch_this_bar: B,
  bos_direction: E(BREAK_DIRECTIONS),
  choch_direction: E(BREAK_DIRECTIONS),
  last_bos_idx: I,
  last_bos_level: F,
  last_choch_idx: I,
  last_choch_level: F,
  break_level_high: F,
  break_level_low: F,
  version: I,
  direction: I,
  event_type: I,
};

class MarketStructureStepper implements StructureStepper {
  private readonly closeOnly: boolean;
  private readonly highVersion: Float64Array;
  private readonly lowVersion: Float64Array;
  private readonly highLevel: Float64Array;
  private readonly lowLevel: Float64Array;
  private readonly highIdx: Float64Array;
  private readonly lowIdx: Float64Array;

  private lastHighVersion = 0;
  private lastLowVersion = 0;
  private lastHighIdx = -1;
  private lastLowIdx = -1;
  private brokenHighIdx = -1;
  private brokenLowIdx = -1;
  private breakHigh = NaN;
  private breakLow = NaN;
  private bias = 0;
  private bosDir = DIR_NONE;
  private chochDir = DIR_NONE;
  private lastBosIdx = NaN;
  private lastBosLevel = NaN;
  private lastChochIdx = NaN;
  private lastChochLevel = NaN;
  private version = 0;
  private direction = 0;

  constructor(
    private readonly ctx: StructureContext,
    private readonly out: StructureOutput,
  ) {
    const swing = requireDep('market_structure', ctx, 'swing');
    const f = (name: string) => depField('market_structure', swing, 'swing', name);
    this.highVersion = f('high_version');
    this.lowVersion = f('low_version');
    this.highLevel = f('high_level');
    this.lowLevel = f('low_level');
    this.highIdx = f('high_idx');
    this.lowIdx = f('low_idx');
    this.closeOnly = boolParam('market_structure', ctx.params, 'confirmation_close', false);
  }

  step(i: number): void {
    if (this.highVersion[i] !== this.lastHighVersion) {
      this.lastHighVersion = this.highVersion[i];
      this.lastHighIdx = this.highIdx[i];
      if (this.lastHighIdx > this.brokenHighIdx) this.breakHigh = this.highLevel[i];
    }
    if (this.lowVersion[i] !== this.lastLowVersion) {
      this.lastLowVersion = this.lowVersion[i];
      this.lastLowIdx = this.lowIdx[i];
      if (this.lastLowIdx > this.brokenLowIdx) this.breakLow = this.lowLevel[i];
    }

    const { high, low, close } = this.ctx.input;
    const up = this.closeOnly ? close[i] : high[i];
    const down = this.closeOnly ? close[i] : low[i];
    const brokeHigh = up > this.breakHigh; // false while the level is NaN
    const brokeLow = down < this.breakLow;
    let event = EVENT_NONE;

    if (this.bias === 1) {
      if (brokeLow) event = this.breakDown(i, EVENT_CHOCH);
      else if (brokeHigh) event = this.breakUp(i, EVENT_BOS);
    } else if (this.bias === -1) {
      if (brokeHigh) event = this.breakUp(i, EVENT_CHOCH);
      else if (brokeLow) event = this.breakDown(i, EVENT_BOS);
    } else if (brokeHigh) {
      event = this.breakUp(i, EVENT_BOS);
    } else if (brokeLow) {
      event = this.breakDown(i, EVENT_BOS);
    }

    const o = this.out;
    o.bias[i] = this.bias;
    o.bos_this_bar[i] = event === EVENT_BOS ? 1 : 0;
    o.choch_this_bar[i] = event === EVENT_CHOCH ? 1 : 0;
    o.bos_direction[i] = this.bosDir;
    o.choch_direction[i] = this.chochDir;
    o.last_bos_idx[i] = this.lastBosIdx;
    o.last_bos_level[i] = this.lastBosLevel;
    o.last_choch_idx[i] = this.lastChochIdx;
    o.last_choch_level[i] = this.lastChochLevel;
    o.break_level_high[i] = this.breakHigh;
    o.break_level_low[i] = this.breakLow;
    o.version[i] = this.version;
    o.direction[i] = this.direction;
    o.event_type[i] = event;
  }

  private breakUp(i: number, event: number): number {
    if (event === EVENT_BOS) {
      this.bosDir = DIR_BULL;
      this.lastBosIdx = i;
      this.lastBosLevel = this.breakHigh;
    } else {
      this.chochDir = DIR_BULL;
      this.lastChochIdx = i;
      this.lastChochLevel = this.breakHigh;
    }
    this.bias = 1;
    this.direction = 1;
    this.version++;
    this.brokenHighIdx = this.lastHighIdx;
    this.breakHigh = NaN;
    return event;
  }

  private breakDown(i: number, event: number): number {
    if (event === EVENT_BOS) {
      this.bosDir = DIR_BEAR;
      this.lastBosIdx = i;
      this.lastBosLevel = this.breakLow;
    } else {
      this.chochDir = DIR_BEAR;
      this.lastChochIdx = i;
      this.lastChochLevel = this.breakLow;
    }
    this.bias = -1;
    this.direction = -1;
    this.version++;
    this.brokenLowIdx = this.lastLowIdx;
    this.breakLow = NaN;
    return event;
  }
}

export const marketStructure = defineStructure({
  type: 'market_structure',
  enums: { bos_direction: BREAK_DIRECTIONS, choch_direction: BREAK_DIRECTIONS },
  dependencies: { required: ['swing'], optional: [] },
  outputs: () => OUTPUTS,
  warmup: (_p, deps) => swingSpan(deps) * 3, // TRADE: (left + right) * 3
  createStepper: (ctx, out) => new MarketStructureStepper(ctx, out),
});
