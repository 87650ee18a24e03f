// The store's log lines (fallback notices, dropped connections, failing subscribers). The shape is pino's,
// so a caller can pass its own pino logger; the default writes JSON lines to stderr, never to stdout,
// which belongs to `--json` output.
import { pino } from 'pino';

export interface StoreLogger {
  info(fields: Record<string, unknown>, message: string): void;
  warn(fields: Record<string, unknown>, message: string): void;
}

export function defaultStoreLogger(): StoreLogger {
  return pino({ name: 'playforge.store', level: process.env.PLAYFORGE_LOG_LEVEL ?? 'info' }, pino.destination({ dest: 2, sync: true }));
}
