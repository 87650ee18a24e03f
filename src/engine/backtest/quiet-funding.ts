// A funding settlement on a held bar where nothing else happens, settled without the bar step.
//
// On 15m bars a settlement comes every 32 bars, and a held position used to leave its quiet stretch at each one
// for the full bar step (the seed example: 132 of 237 bar-step calls per evaluation). The payment is the bar
// step's own (Account.payFunding at the bar's open) and the bar is marked by markHeld; when markHeld would not
// mark it (a level touched, the drawdown floor, a return that is not finite), the payment is taken back to the
// bit and the bar step takes the whole bar.
import type { Candles } from '../../data/index.ts';
import type { EquityTrack } from './equity-track.ts';
import { CASH, FUNDING, TOTAL_FUNDING, type Account } from './position.ts';
import type { RangeBlocks } from './range-blocks.ts';

/** Pays `rate` at bar `bar` and marks the bar; false (and nothing changed) when the bar is not quiet. */
export function settleQuietly(acc: Account, track: EquityTrack, exec: Candles, rate: number, bar: number, floor: number, blocks: RangeBlocks): boolean {
  const v = acc.v;
  const cash = v[CASH], paid = v[FUNDING], total = v[TOTAL_FUNDING];
  acc.payFunding(exec.open[bar], rate);
  if (track.markHeld(bar, bar + 1, exec, acc, floor, blocks) > bar) return true;
  v[CASH] = cash;
  v[FUNDING] = paid;
  v[TOTAL_FUNDING] = total;
  return false;
}
