import "server-only";
import { db } from "./client";

/**
 * The rate_limits table: one row per key with the start of its current window
 * (`last_request`, in ms) and the hits counted in it. The check and the count
 * are one statement, so concurrent requests cannot all slip through.
 */

/** Rows idle longer than this are deleted when a window starts again (no limit has a longer window). */
const IDLE_MS = 60 * 60_000;

/**
 * Counts a hit for `key` unless `max` were already counted in the window; returns the window's start when counted.
 * `max` is compared as a bigint: a caller may pass Number.MAX_SAFE_INTEGER to count without limiting.
 */
export async function countHit(key: string, windowMs: number, max: number, now: number): Promise<{ counted: boolean; windowStart: number }> {
  const [row] = await db().$queryRaw<{ count: number; last_request: bigint }[]>`
    INSERT INTO rate_limits (id, key, count, last_request) VALUES (gen_random_uuid()::text, ${key}, 1, ${now})
    ON CONFLICT (key) DO UPDATE SET
      count = CASE WHEN ${now} - rate_limits.last_request >= ${windowMs} THEN 1 ELSE rate_limits.count + 1 END,
      last_request = CASE WHEN ${now} - rate_limits.last_request >= ${windowMs} THEN ${now} ELSE rate_limits.last_request END
    WHERE ${now} - rate_limits.last_request >= ${windowMs} OR rate_limits.count < ${max}::bigint
    RETURNING count, last_request`;
  if (row) {
    if (row.count === 1) await db().$executeRaw`DELETE FROM rate_limits WHERE last_request < ${now - IDLE_MS}`;
    return { counted: true, windowStart: Number(row.last_request) };
  }
  const [current] = await db().$queryRaw<{ last_request: bigint }[]>`SELECT last_request FROM rate_limits WHERE key = ${key}`;
  return { counted: false, windowStart: Number(current?.last_request ?? now) };
}

/** The hits counted for `key` in its current window, without counting one; 0 when the window is over. */
export async function currentHits(key: string, windowMs: number, now: number): Promise<{ count: number; windowStart: number }> {
  const [row] = await db().$queryRaw<{ count: number; last_request: bigint }[]>`
    SELECT count, last_request FROM rate_limits WHERE key = ${key} AND ${now} - last_request < ${windowMs}`;
  return row ? { count: row.count, windowStart: Number(row.last_request) } : { count: 0, windowStart: now };
}

export async function clearHits(key: string): Promise<void> {
  await db().$executeRaw`DELETE FROM rate_limits WHERE key = ${key}`;
}
