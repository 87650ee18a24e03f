// Argument checks shared by both hot-store implementations, so a bad call fails the same way on each
// (Redis would otherwise answer with its own, differently worded errors).
import { PlayforgeError } from '../../common/errors.ts';
import { STORE_INVALID } from '../errors.ts';

export function checkTtl(ttlMs: number | undefined): void {
  if (ttlMs !== undefined && (!Number.isInteger(ttlMs) || ttlMs <= 0)) {
    throw new PlayforgeError(STORE_INVALID, `ttlMs must be a positive integer number of milliseconds, got ${ttlMs}`);
  }
}

export function checkIncrement(by: number): void {
  if (!Number.isSafeInteger(by)) throw new PlayforgeError(STORE_INVALID, `incr takes an integer step, got ${by}`);
}

export function checkNonEmpty(what: string, count: number): void {
  if (count === 0) throw new PlayforgeError(STORE_INVALID, `${what} needs at least one item`);
}

export function checkIndexes(start: number, stop: number): void {
  if (!Number.isInteger(start) || !Number.isInteger(stop)) {
    throw new PlayforgeError(STORE_INVALID, `list indexes must be integers, got ${start}..${stop}`);
  }
}

/** Redis's LRANGE/LTRIM indexing turned into a [from, to) slice of a list of `length` elements. */
export function sliceBounds(length: number, start: number, stop: number): [number, number] {
  const from = Math.max(start < 0 ? length + start : start, 0);
  const to = Math.min(stop < 0 ? length + stop : stop, length - 1) + 1;
  return from < to ? [from, to] : [0, 0];
}
