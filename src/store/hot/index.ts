// The hot store's public pieces (re-exported by src/store/index.ts).
export type { HotBackend, HotStore, MessageHandler, SetOptions, Unsubscribe } from './hot-store.ts';
export { MemoryHotStore, type MemoryHotStoreOptions } from './memory-hot-store.ts';
export { RedisHotStore, type RedisHotStoreOptions } from './redis-hot-store.ts';
export { openHotStore, type HotStoreOptions } from './open-hot-store.ts';
export { getJson, setJson } from './json.ts';
