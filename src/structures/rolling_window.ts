// rolling_window: O(1) amortized sliding min/max of an OHLCV column over the last `size` bars
// (monotonic deque of bar indices, kept in a fixed ring).
// Semantics (TRADE docs/dsl/structures.md and its rolling_window.py): the window is the current bar and the
// size - 1 before it; like TRADE's deque it answers from the first bar on (over the bars seen so far, so the
// first size - 1 values cover a shorter window; warmup = size says when it is full). NaN inputs are skipped.
import { enumParam, intParam } from './params.ts';
import { defineStructure, F } from './series.ts';
import type { StructureContext, StructureOutput, StructureStepper } from './types.ts';

const SOURCES = ['open', 'high', 'low', 'close', 'volume'] as const;

class RollingWindowStepper implements StructureStepper {
  private readonly size: number;
  private readonly isMax: boolean;
  private readonly src: Float64Array;
  private readonly ring: Int32Array; // bar indices, monotonic in value from head
  private head = 0;
  private count = 0;

  constructor(
    ctx: StructureContext,
    private readonly out: StructureOutput,
  ) {
    const p = ctx.params;
    this.size = intParam('rolling_window', p, 'size', undefined, 1);
    this.isMax = enumParam('rolling_window', p, 'mode', ['min', 'max'] as const, undefined) === 'max';
    this.src = ctx.input[enumParam('rolling_window', p, 'source', SOURCES, undefined)];
    this.ring = new Int32Array(this.size);
  }

  step(i: number): void {
    const { ring, size, src } = this;
    // Drop the index that slid out of [i - size + 1, i].
    if (this.count > 0 && ring[this.head] <= i - size) {
      this.head = (this.head + 1) % size;
      this.count--;
    }
    const v = src[i];
    if (!Number.isNaN(v)) {
      // Pop from the tail every value the new one dominates.
      while (this.count > 0) {
        const tail = ring[(this.head + this.count - 1) % size];
        const t = src[tail];
        if (this.isMax ? t <= v : t >= v) this.count--;
        else break;
      }
      ring[(this.head + this.count) % size] = i;
      this.count++;
    }
    this.out.value[i] = this.count > 0 ? src[ring[this.head]] : NaN;
  }
}

export const rollingWindow = defineStructure({
  type: 'rolling_window',
  enums: {},
  dependencies: { required: [], optional: [] },
  outputs: () => ({ value: F }),
  warmup: (p) => (typeof p.size === 'number' ? p.size : 20),
  createStepper: (ctx, out) => new RollingWindowStepper(ctx, out),
});
