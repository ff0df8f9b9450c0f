import { processSingleton } from "./singleton";

/** Concurrency helpers: a promise pool, and a per-key limit shared by the whole process. */

/** Promise pool: runs `work` over `items` with at most `limit` at once. */
export async function mapLimit<T, R>(items: readonly T[], limit: number, work: (item: T, index: number) => Promise<R>): Promise<R[]> {
  const results = new Array<R>(items.length);
  let next = 0;
  const worker = async () => {
    while (next < items.length) {
      const index = next++;
      results[index] = await work(items[index]!, index);
    }
  };
  await Promise.all(Array.from({ length: Math.min(limit, items.length) }, worker));
  return results;
}

type Slot = { active: number; waiting: (() => void)[] };
const slots = processSingleton("keyed-limits", () => new Map<string, Slot>());

/** Thrown by withKeyedLimit when `queue` works of the key are already waiting. */
export class QueueFull extends Error {
  constructor(readonly key: string) {
    super(`Too many works of ${key} are waiting`);
    this.name = "QueueFull";
  }
}

/**
 * Runs `work` once fewer than `limit` works of the same `key` are running in this process (first
 * come, first served); with `queue` works of the key already waiting, refuses at once (QueueFull).
 */
export async function withKeyedLimit<T>(key: string, limit: number, work: () => Promise<T>, queue = Infinity): Promise<T> {
  let slot = slots.get(key);
  if (!slot) slots.set(key, (slot = { active: 0, waiting: [] }));
  if (slot.active >= limit) {
    if (slot.waiting.length >= queue) throw new QueueFull(key);
    await new Promise<void>((resolve) => slot!.waiting.push(resolve));
  }
  slot.active++;
  try {
    return await work();
  } finally {
    slot.active--;
    const next = slot.waiting.shift();
    if (next) next();
    else if (slot.active === 0) slots.delete(key);
  }
}
