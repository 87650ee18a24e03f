// The one decision function backtest, paper and live all call at a bar's close (docs/engine.md §2).
import type { ExitPercents, Signals } from './types.ts';

/** Decision bits: what to do at the next bar's open. */
export const EXIT = 1;
export const ENTER_LONG = 2;
export const ENTER_SHORT = 4;

export interface StepPolicy {
  allowLong: boolean;
  allowShort: boolean;
  signalExits: boolean;
  /** Every exit closes the whole position (no partial exits anywhere): the exit percents need not be read. */
  wholeExits?: boolean;
}

/**
 * Reads only signals[*][i], exit percents at i and the position side (1 long, -1 short, 0 flat; `entryResting` when a limit
 * entry waits). Returns EXIT | ENTER_* bits; the exit share comes from `exitShare`.
 */
export function decide(sig: Signals, pct: ExitPercents, i: number, side: number, entryResting: boolean, policy: StepPolicy): number {
  let out = 0;
  let flatAfter = side === 0;
  if (side !== 0 && policy.signalExits) {
    const exitAll = sig.exit_all[i] === 1;
    if (exitAll || (side > 0 ? sig.exit_long[i] === 1 : sig.exit_short[i] === 1)) {
      out |= EXIT;
      // A partial exit leaves a position: no new entry on the same step.
      flatAfter = policy.wholeExits === true || exitShare(sig, pct, i, side) === 1;
    }
  }
  if (flatAfter && !entryResting) {
    const long = policy.allowLong && sig.entry_long[i] === 1;
    const short = policy.allowShort && sig.entry_short[i] === 1;
    if (long !== short) out |= long ? ENTER_LONG : ENTER_SHORT;
  }
  return out;
}

/** Share (0..1] of the position an EXIT decided at bar i closes. */
export function exitShare(sig: Signals, pct: ExitPercents, i: number, side: number): number {
  const p = sig.exit_all[i] === 1 ? pct.exit_all[i] : side > 0 ? pct.exit_long[i] : pct.exit_short[i];
  return p >= 100 || !(p > 0) ? 1 : p / 100;
}
