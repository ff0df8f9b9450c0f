import { processSingleton } from "./singleton";

/**
 * A process-wide, least-recently-used cache of promises by key (`name` names
 * it among the process' singletons): the work for a key runs once while it
 * is held, callers arriving meanwhile share it, and a failure is forgotten so
 * that the next caller tries again.
 */
export function memoized<T>(name: string, limit: number): (key: string, work: () => Promise<T>) => Promise<T> {
  const cache = processSingleton(name, () => new Map<string, Promise<T>>());
  return (key, work) => {
    const hit = cache.get(key);
    if (hit) {
      cache.delete(key);
      cache.set(key, hit);
      return hit;
    }
    const pending = work();
    pending.catch(() => cache.delete(key));
    cache.set(key, pending);
    if (cache.size > limit) cache.delete(cache.keys().next().value!);
    return pending;
  };
}
