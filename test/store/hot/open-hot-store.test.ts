// openHotStore picks its implementation from the options and REDIS_URL, and never shows a password.
import { describe, expect, it } from 'vitest';
import { PlayforgeError } from '../../../src/common/errors.ts';
import { openHotStore } from '../../../src/store/index.ts';
import { recordingLogger, redisUrl, uniqueName, withRedis } from '../helpers/services.ts';

describe('openHotStore', () => {
  it('is in-process without a Redis URL', async () => {
    const store = await openHotStore({ env: {}, logger: recordingLogger().logger });
    expect(store.backend).toBe('memory');
    await store.close();
  });

  it('fails with STORE_CONNECT when Redis is unreachable, without the password', async () => {
    const url = 'redis://:t0p-s3cret@127.0.0.1:1/0';
    const e = await openHotStore({ env: { REDIS_URL: url }, logger: recordingLogger().logger }).then(() => undefined, (err: unknown) => err);
    expect(e).toBeInstanceOf(PlayforgeError);
    const err = e as PlayforgeError;
    expect(err.code).toBe('STORE_CONNECT');
    expect(err.message).toContain('redis://:***@127.0.0.1:1/0');
    expect(err.message).toContain('ECONNREFUSED');
    for (const text of [err.message, err.stack ?? '', JSON.stringify(err)]) expect(text).not.toContain('t0p-s3cret');
  });

  if (withRedis) {
    it('uses REDIS_URL from the environment', async () => {
      const prefix = `${uniqueName('pf_test')}:`;
      const store = await openHotStore({ env: { REDIS_URL: redisUrl() }, keyPrefix: prefix, logger: recordingLogger().logger });
      try {
        expect(store.backend).toBe('redis');
        expect(await store.incr('opened')).toBe(1);
      } finally {
        await store.delete('opened');
        await store.close();
      }
    });
  }
});
