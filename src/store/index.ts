// Public surface of the store stage; other stages import only from here.
// Warm: PostgreSQL (PGlite by default, a server with DATABASE_URL). Hot: key/value, hashes, lists, pub/sub
// (in-process by default, Redis with REDIS_URL).
export * from './warm/index.ts';
export * from './hot/index.ts';
export * from './errors.ts';
export { redactConnectionUrl } from './redact.ts';
export type { StoreLogger } from './logger.ts';
