// Benchmark plumbing: every figure is a ratio to a baseline measured in the same run, on the same machine.

export interface Figure {
  name: string;
  value: number;
  unit: string;
  /** What the ratio is against, e.g. "flat binary read" (measured in this run). */
  baseline: string;
  baselineValue: number;
  /** value / baselineValue, or its inverse for rates where higher is better: say which in `note`. */
  ratio: number;
  note?: string;
}

export interface BenchSuite {
  name: string;
  run(): Promise<Figure[]>;
}

/** Median wall time (ms) of `fn` over `repeats` runs after `warmup` runs. */
export async function timeMedian(fn: () => unknown | Promise<unknown>, repeats = 5, warmup = 1): Promise<number> {
  for (let i = 0; i < warmup; i++) await fn();
  const times: number[] = [];
  for (let i = 0; i < repeats; i++) {
    const t0 = performance.now();
    await fn();
    times.push(performance.now() - t0);
  }
  times.sort((a, b) => a - b);
  return times[Math.floor(times.length / 2)];
}

export function formatFigure(f: Figure): string {
  const v = f.value >= 100 ? f.value.toFixed(0) : f.value.toPrecision(4);
  return `${f.name.padEnd(56)} ${v.padStart(12)} ${f.unit.padEnd(10)} ratio ${f.ratio.toFixed(3)} vs ${f.baseline}${f.note ? `  (${f.note})` : ''}`;
}
