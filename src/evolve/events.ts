// What an evolution publishes while it runs: the CLI's progress bar reads these, and the dashboard will
// subscribe to the same stream (an EventEmitter, or an async iterator that ends with the run).
import { EventEmitter } from 'node:events';
import type { Genome } from '../dsl/index.ts';

export type StopReason = 'converged' | 'max_generations' | 'exhausted';

export interface EvolutionStartEvent {
  type: 'start';
  evolutionId: string | null;
  play: string;
  /** Generation the run starts at (> 0 when resumed). */
  generation: number;
  population: number;
  maxGenerations: number;
  spaceSize: number;
  resumed: boolean;
}

export interface GenerationEvent {
  type: 'generation';
  evolutionId: string | null;
  play: string;
  generation: number;
  best: number;
  median: number;
  mean: number;
  /** Best fitness over every generation so far. */
  bestSoFar: number;
  bestGenome: Genome;
  /** Distinct genomes in the generation; how many needed a backtest (the rest came from the fitness cache). */
  size: number;
  evaluated: number;
  evalsPerSecond: number;
  elapsedMs: number;
  /** NSGA-II: members of the first front. */
  frontSize?: number;
}

export interface EvolutionDoneEvent {
  type: 'done';
  evolutionId: string | null;
  play: string;
  stopReason: StopReason;
  generations: number;
  best: number;
}

export interface RunDoneEvent {
  type: 'run_done';
}

export type EvolutionEvent = EvolutionStartEvent | GenerationEvent | EvolutionDoneEvent | RunDoneEvent;

/** One stream of events for a run (several plays); `for await (const e of events)` ends after `run_done`. */
export class EvolutionEvents extends EventEmitter {
  publish(e: EvolutionEvent): void {
    this.emit('event', e);
  }

  onEvent(listener: (e: EvolutionEvent) => void): () => void {
    this.on('event', listener);
    return () => this.off('event', listener);
  }

  async *[Symbol.asyncIterator](): AsyncGenerator<EvolutionEvent> {
    const queue: EvolutionEvent[] = [];
    let wake: (() => void) | undefined;
    const off = this.onEvent((e) => {
      queue.push(e);
      wake?.();
    });
    try {
      while (true) {
        while (queue.length) {
          const e = queue.shift()!;
          yield e;
          if (e.type === 'run_done') return;
        }
        await new Promise<void>((resolve) => (wake = resolve));
        wake = undefined;
      }
    } finally {
      off();
    }
  }
}
