// JSON values over the string-valued hot store (positions, structure state).
import { PlayforgeError } from '../../common/errors.ts';
import { STORE_INVALID } from '../errors.ts';
import type { HotStore, SetOptions } from './hot-store.ts';

export async function setJson(store: HotStore, key: string, value: unknown, options?: SetOptions): Promise<void> {
  const text = JSON.stringify(value);
  if (text === undefined) throw new PlayforgeError(STORE_INVALID, `value for "${key}" cannot be written as JSON`, { path: key });
  await store.set(key, text, options);
}

export async function getJson<T>(store: HotStore, key: string): Promise<T | null> {
  const text = await store.get(key);
  if (text === null) return null;
  try {
    return JSON.parse(text) as T;
  } catch (e) {
    throw new PlayforgeError(STORE_INVALID, `value of "${key}" is not JSON`, { path: key }, { cause: e });
  }
}
