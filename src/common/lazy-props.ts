// Own enumerable properties computed when read, defined so that every object built this way shares V8's
// hidden classes.
//
// Why not `{ get x() { ... } }` or defineProperty with a fresh closure: an accessor lives in the object's hidden
// class, so a new getter function per object means a new hidden class per object, hung off the previous one by
// a weak transition. A scavenge (V8's young-generation GC) treats weak references as strong, so each of those
// hidden classes kept its getter's closure alive — and with it everything the closure reached (a whole
// backtest's account and trade log, a compilation's columns) — until the next full GC. In the evolution that
// was ~18% of every backtest's allocations promoted to the old generation, and 2-6 ms scavenges instead of
// 0.3 ms. Here the getter of a key is one function for the process, reading a per-object source.
const SOURCE = Symbol('lazy property source');

type Source = (key: string) => unknown;

const getters = new Map<string, () => unknown>();

function getterOf(key: string): () => unknown {
  let get = getters.get(key);
  if (get === undefined) {
    get = function (this: { [SOURCE]: Source }) {
      return this[SOURCE](key);
    };
    getters.set(key, get);
  }
  return get;
}

/**
 * Defines `keys` on `target` as own enumerable read-only properties whose value is `source(key)`, asked on
 * every read (memoise in `source` when it is costly). Returns `target`.
 */
export function defineLazy<T extends object>(target: T, keys: readonly string[], source: Source): T {
  Object.defineProperty(target, SOURCE, { value: source }); // a second call with another source throws
  for (const key of keys) Object.defineProperty(target, key, { get: getterOf(key), enumerable: true, configurable: true });
  return target;
}
