import { processSingleton } from "./singleton";

/**
 * Whether the development server has served its first page. `npm run dev`
 * compiles a page on its first request; background work started before it
 * (indexing, discovery, health checks) would share the two cores with that
 * compile and slow the first page, so instrumentation.ts waits for this.
 */

interface FirstPage {
  promise: Promise<void>;
  served: () => void;
  done: boolean;
}

const firstPage = () =>
  processSingleton<FirstPage>("first-page", () => {
    let served!: () => void;
    const promise = new Promise<void>((resolve) => (served = resolve));
    return { promise, served, done: false };
  });

/** Called for each response the server ends: the first successful HTML page counts. */
export function notePageServed(status: number, contentType: unknown): void {
  const state = firstPage();
  if (state.done || status !== 200 || typeof contentType !== "string" || !contentType.startsWith("text/html")) return;
  state.done = true;
  state.served();
}

/** Resolves true once the first page is served, or false after `atMostMs`. */
export async function firstPageServed(atMostMs: number): Promise<boolean> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<boolean>((resolve) => (timer = setTimeout(() => resolve(false), atMostMs)));
  try {
    return await Promise.race([firstPage().promise.then(() => true), timeout]);
  } finally {
    clearTimeout(timer);
  }
}
