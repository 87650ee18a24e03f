// Shared by the cluster tests and the cluster benchmark: Redis settings, real market data, a ranged play,
// worker processes started through the real CLI, and cleanup of every key a test made.
import { spawn, type ChildProcess } from 'node:child_process';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { threadId } from 'node:worker_threads';
import { Redis } from 'ioredis';
import { candlesFromArrays, type Candles } from '../../../src/data/index.ts';
import type { MarketData } from '../../../src/engine/index.ts';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../..');

/** CI sets PLAYFORGE_REQUIRE_SERVICES=1: then a missing REDIS_URL or an unreachable server fails the tests. */
export const requireServices = process.env.PLAYFORGE_REQUIRE_SERVICES === '1';
const redisUrlEnv = process.env.REDIS_URL || undefined;
export const withRedis = redisUrlEnv !== undefined || requireServices;

export function redisUrl(): string {
  if (!redisUrlEnv) throw new Error('PLAYFORGE_REQUIRE_SERVICES=1 but REDIS_URL is not set');
  return redisUrlEnv;
}

let counter = 0;
/** A key prefix no other test, thread or process uses (no randomness needed). */
export function uniquePrefix(): string {
  counter += 1;
  return `pf_test_${process.pid}_${threadId}_${Date.now().toString(36)}_${counter}`;
}

/** Deletes every key under `prefix:`. */
export async function deleteByPrefix(url: string, prefix: string): Promise<number> {
  const admin = new Redis(url, { lazyConnect: true, maxRetriesPerRequest: 1 });
  admin.on('error', () => undefined); // the failing connect() reports it
  await admin.connect();
  let deleted = 0;
  try {
    let cursor = '0';
    do {
      const [next, keys] = await admin.scan(cursor, 'MATCH', `${prefix}:*`, 'COUNT', 500);
      if (keys.length > 0) deleted += await admin.del(...keys);
      cursor = next;
    } while (cursor !== '0');
  } finally {
    await admin.quit();
  }
  return deleted;
}

/** `bars` real BTCUSDT 1h bars (test/fixtures/candles) with a funding settlement every 8th bar. */
export function fixtureMarketData(bars = 1500): MarketData {
  const text = readFileSync(path.join(root, 'test/fixtures/candles/BYBIT_BTCUSDT_1h_3000.csv'), 'utf8');
  const rows = text.trim().split('\n').slice(1, bars + 1).map((line) => line.split(',').map(Number));
  const col = (i: number) => rows.map((r) => r[i]);
  const exec: Candles = candlesFromArrays({ ts: col(0), open: col(1), high: col(2), low: col(3), close: col(4), volume: col(5) });
  const funding = new Float64Array(exec.length).map((_, i) => (i % 8 === 0 ? 0.0001 * Math.sin(i / 50) : NaN));
  return { exec, execInterval: '1h', funding, dataset: { exchange: 'bybit', symbol: 'BTCUSDT', interval: '1h' } };
}

/** A ranged play over 1h bars: 4 x 6 x 4 = 96 genomes, trading often enough to score. */
export const CLUSTER_PLAY = `
name: cluster_ema_cross
symbol: BTCUSDT
timeframes: { low_tf: "1h", med_tf: "4h", high_tf: "D", exec: low_tf }
features:
  ema_fast: { indicator: ema, params: { length: [5, 8, 12, 15] } }
  ema_slow: { indicator: ema, params: { length: { min: 20, max: 45, step: 5 } } }
  atr_14: { indicator: atr, params: { length: 14 } }
actions:
  entry_long:
    - [ema_fast, cross_above, ema_slow]
  entry_short:
    - [ema_fast, cross_below, ema_slow]
  exit_long:
    - [ema_fast, cross_below, ema_slow]
  exit_short:
    - [ema_fast, cross_above, ema_slow]
position_policy: { mode: long_short, exit_mode: first_hit }
risk_model:
  stop_loss: { type: atr_multiple, value: [1.5, 2.0, 2.5, 3.0], atr_feature_id: atr_14 }
  take_profit: { type: rr_ratio, value: 2.0 }
  sizing: { model: risk_based, value: 1.0, max_leverage: 3.0 }
`;

export interface LogLine {
  msg: string;
  [field: string]: unknown;
}

export interface WorkerProcess {
  child: ChildProcess;
  lines: LogLine[];
  /** Everything the process wrote on stderr that was not a JSON log line. */
  other: string[];
  /** Resolves with the first log line that satisfies `match` (already seen or future). */
  waitFor(match: (l: LogLine) => boolean, what: string, limitMs?: number): Promise<LogLine>;
  exited: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
}

/** `node bin/playforge.js worker --redis URL --prefix P ...`, resolved once it logged that it is ready. */
export async function startWorkerProcess(url: string, prefix: string, extra: string[] = []): Promise<WorkerProcess> {
  const child = spawn(process.execPath, [path.join(root, 'bin/playforge.js'), 'worker', '--redis', url, '--prefix', prefix, ...extra], {
    cwd: root,
    env: { ...process.env, PLAYFORGE_LOG_LEVEL: 'debug' },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const lines: LogLine[] = [];
  const other: string[] = [];
  const waiters = new Set<{ match: (l: LogLine) => boolean; resolve: (l: LogLine) => void }>();
  let rest = '';
  child.stderr?.setEncoding('utf8');
  child.stderr?.on('data', (chunk: string) => {
    rest += chunk;
    const parts = rest.split('\n');
    rest = parts.pop() ?? '';
    for (const part of parts) {
      if (!part.trim()) continue;
      let line: LogLine;
      try {
        line = JSON.parse(part) as LogLine;
      } catch {
        other.push(part);
        continue;
      }
      lines.push(line);
      for (const w of [...waiters]) {
        if (w.match(line)) {
          waiters.delete(w);
          w.resolve(line);
        }
      }
    }
  });
  child.stdout?.on('data', (chunk: Buffer) => other.push(`stdout: ${chunk.toString()}`));
  const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve) => child.once('exit', (code, signal) => resolve({ code, signal })));
  const waitFor = (match: (l: LogLine) => boolean, what: string, limitMs = 30_000): Promise<LogLine> => {
    const seen = lines.find(match);
    if (seen) return Promise.resolve(seen);
    return new Promise<LogLine>((resolve, reject) => {
      const w = { match, resolve: (l: LogLine) => (clearTimeout(timer), resolve(l)) };
      const timer = setTimeout(() => {
        waiters.delete(w);
        reject(new Error(`worker ${child.pid}: timed out waiting for ${what}; stderr: ${[...other, ...lines.map((l) => JSON.stringify(l))].slice(-20).join('\n')}`));
      }, limitMs);
      waiters.add(w);
      void exited.then(({ code, signal }) => {
        if (!waiters.delete(w)) return;
        clearTimeout(timer);
        reject(new Error(`worker ${child.pid} exited (${code ?? signal}) while waiting for ${what}: ${other.join('\n')}`));
      });
    });
  };
  const worker: WorkerProcess = { child, lines, other, waitFor, exited };
  await waitFor((l) => l.msg === 'cluster worker ready', 'the worker to be ready');
  return worker;
}

/** Kills a worker process if it still runs, and waits until it has gone. */
export async function stopWorkerProcess(w: WorkerProcess, signal: NodeJS.Signals = 'SIGKILL'): Promise<void> {
  if (w.child.exitCode === null && w.child.signalCode === null) w.child.kill(signal);
  await w.exited;
}
