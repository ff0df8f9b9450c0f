import "server-only";
import { db } from "./client";

/** Counters of the portal's rate limits, one row per limit and subject. */

/**
 * Counts one hit of `key` in a fixed window of `windowMs` starting at its
 * first hit, atomically (concurrent servers share the row); the count after
 * this hit and when the window started.
 */
export async function countHit(key: string, windowMs: number): Promise<{ count: number; windowStart: Date }> {
  const [row] = await db().$queryRaw<{ count: number; window_start: Date }[]>`
    INSERT INTO request_limits (key, window_start, count) VALUES (${key}, clock_timestamp(), 1)
    ON CONFLICT (key) DO UPDATE SET
      window_start = CASE WHEN request_limits.window_start <= clock_timestamp() - ${windowMs} * interval '1 millisecond'
        THEN clock_timestamp() ELSE request_limits.window_start END,
      count = CASE WHEN request_limits.window_start <= clock_timestamp() - ${windowMs} * interval '1 millisecond'
        THEN 1 ELSE request_limits.count + 1 END
    RETURNING count, window_start`;
  return { count: row!.count, windowStart: row!.window_start };
}

/** The count of `key` in its current window (0 when the window is over), without counting a hit. */
export async function currentCount(key: string, windowMs: number): Promise<{ count: number; windowStart: Date | null }> {
  const [row] = await db().$queryRaw<{ count: number; window_start: Date }[]>`
    SELECT count, window_start FROM request_limits
    WHERE key = ${key} AND window_start > clock_timestamp() - ${windowMs} * interval '1 millisecond'`;
  return row ? { count: row.count, windowStart: row.window_start } : { count: 0, windowStart: null };
}

export async function clearCount(key: string): Promise<void> {
  await db().$executeRaw`DELETE FROM request_limits WHERE key = ${key}`;
}
