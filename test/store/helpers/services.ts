// Which external services the store tests run against. PGlite and the in-process hot store always; the
// PostgreSQL server and Redis when their URL is set, or when PLAYFORGE_REQUIRE_SERVICES=1 (CI), in which case a
// missing URL or a service that is down fails the test instead of leaving it out.
import { threadId } from 'node:worker_threads';
import type { StoreLogger } from '../../../src/store/index.ts';

export const requireServices = process.env.PLAYFORGE_REQUIRE_SERVICES === '1';
const databaseUrlEnv = process.env.DATABASE_URL || undefined;
const redisUrlEnv = process.env.REDIS_URL || undefined;

export const withPostgres = databaseUrlEnv !== undefined || requireServices;
export const withRedis = redisUrlEnv !== undefined || requireServices;

export function databaseUrl(): string {
  if (!databaseUrlEnv) throw new Error('PLAYFORGE_REQUIRE_SERVICES=1 but DATABASE_URL is not set');
  return databaseUrlEnv;
}

export function redisUrl(): string {
  if (!redisUrlEnv) throw new Error('PLAYFORGE_REQUIRE_SERVICES=1 but REDIS_URL is not set');
  return redisUrlEnv;
}

let counter = 0;
/** Unique across processes, worker threads and calls: pid, thread, clock, counter (no randomness needed). */
export function uniqueName(prefix: string): string {
  counter += 1;
  return `${prefix}_${process.pid}_${threadId}_${Date.now().toString(36)}_${counter}`;
}

export interface LogLine {
  level: 'info' | 'warn';
  fields: Record<string, unknown>;
  message: string;
}

/** A logger that keeps its lines, so a test can check what the store said (and that it kept quiet). */
export function recordingLogger(): { logger: StoreLogger; lines: LogLine[] } {
  const lines: LogLine[] = [];
  return {
    lines,
    logger: {
      info: (fields, message) => lines.push({ level: 'info', fields, message }),
      warn: (fields, message) => lines.push({ level: 'warn', fields, message }),
    },
  };
}
