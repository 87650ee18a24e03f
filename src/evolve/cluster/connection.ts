// Redis connections for the cluster, and the log lines about them: a URL may carry a password, so only its
// redacted form is ever logged or put into an error.
import { Redis } from 'ioredis';
import { pino } from 'pino';
import { PlayforgeError } from '../../common/index.ts';
import { redactConnectionUrl } from '../../store/index.ts';

/** pino's shape, so a caller can pass its own pino logger. */
export interface ClusterLogger {
  debug(fields: Record<string, unknown>, message: string): void;
  info(fields: Record<string, unknown>, message: string): void;
  warn(fields: Record<string, unknown>, message: string): void;
  error(fields: Record<string, unknown>, message: string): void;
}

/** JSON lines on stderr (stdout belongs to `--json` output); level from PLAYFORGE_LOG_LEVEL, default info. */
export function defaultClusterLogger(name: string): ClusterLogger {
  return pino({ name, level: process.env.PLAYFORGE_LOG_LEVEL ?? 'info' }, pino.destination({ dest: 2, sync: true }));
}

/** The message of `e` with the URL's password (if any) replaced by ***. */
export function scrub(e: unknown, url: string): string {
  let message = e instanceof Error ? e.message : String(e);
  try {
    const parsed = new URL(url);
    for (const secret of [decodeURIComponent(parsed.password), parsed.searchParams.get('password') ?? '']) {
      if (secret) message = message.split(secret).join('***');
    }
  } catch {
    // an unparseable URL has no password we could find; the driver rejects it anyway
  }
  return message;
}

export function redactUrl(url: string): string {
  return redactConnectionUrl(url);
}

/**
 * BullMQ's connection options: it makes its own ioredis connections from them (a worker needs a blocking one),
 * and blocking commands need maxRetriesPerRequest null.
 */
export function bullConnection(url: string): { url: string; maxRetriesPerRequest: null; connectTimeout: number } {
  return { url, maxRetriesPerRequest: null, connectTimeout: 5_000 };
}

/** A plain connection for datasets; fails fast with CLUSTER_CONNECT and an actionable message. */
export async function openRedis(url: string, logger: ClusterLogger): Promise<Redis> {
  const client = new Redis(url, { lazyConnect: true, connectTimeout: 5_000, maxRetriesPerRequest: 2 });
  let connected = false;
  let firstError: unknown;
  client.on('error', (e: Error) => {
    if (connected) logger.warn({ server: redactUrl(url), reason: scrub(e, url) }, 'Redis connection error');
    else firstError ??= e;
  });
  try {
    await client.connect();
    await client.ping();
    connected = true;
    return client;
  } catch (e) {
    client.disconnect();
    throw connectError(url, firstError ?? e);
  }
}

export function connectError(url: string, e: unknown): PlayforgeError {
  return new PlayforgeError(
    'CLUSTER_CONNECT',
    `cannot connect to Redis at ${redactUrl(url)}: ${scrub(e, url)} (is it running? try redis-cli ping)`,
  );
}

export async function quitRedis(client: Redis): Promise<void> {
  try {
    await client.quit();
  } catch {
    client.disconnect();
  }
}
