// Collects positioned validation errors while a play is normalized, so one run reports all of them.
import { PlayforgeError, type SourceLocation } from '../common/errors.ts';
import type { Path, PositionIndex } from './yaml-positions.ts';

export class Reporter {
  readonly errors: PlayforgeError[] = [];

  constructor(readonly positions: PositionIndex) {}

  /** An error located at the value found at `path`. */
  at(code: string, message: string, path: Path): void {
    this.errors.push(new PlayforgeError(code, message, this.positions.at(path)));
  }

  /** An error located at the mapping key that names `path` (unknown keys, duplicates). */
  atKey(code: string, message: string, path: Path): void {
    this.errors.push(new PlayforgeError(code, message, this.positions.keyAt(path)));
  }

  loc(path: Path): SourceLocation {
    return this.positions.at(path);
  }
}

export function isMapping(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}
