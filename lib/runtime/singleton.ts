// lib/runtime: process-level machinery: singletons, background jobs, the rate limiter, concurrency.
/**
 * Process-wide values in one place on globalThis. Next.js evaluates a module
 * once per bundle (route handlers, pages, instrumentation) and again on every
 * hot reload; without this each copy would open its own database pool, load
 * its own model or keep its own list of running jobs.
 */

const registry = ((globalThis as { meshPortal?: Map<string, unknown> }).meshPortal ??= new Map<string, unknown>());

/** The process's value named `name`, made by `create` on first use. */
export function processSingleton<T>(name: string, create: () => T): T {
  if (!registry.has(name)) registry.set(name, create());
  return registry.get(name) as T;
}

/** A process-wide value that can be replaced or cleared (clients tests swap, cached promises). */
export interface ProcessSlot<T> {
  get(): T | undefined;
  /** `undefined` clears it. */
  set(value: T | undefined): void;
}

export function processSlot<T>(name: string): ProcessSlot<T> {
  return {
    get: () => registry.get(name) as T | undefined,
    set: (value) => void (value === undefined ? registry.delete(name) : registry.set(name, value)),
  };
}
