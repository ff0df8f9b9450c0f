import { countHit } from "../db/rate-limits";

/**
 * The one rate limiter: at most `max` hits per key in a window of `window`
 * seconds that starts with the first hit, kept in the database so that every
 * server process counts together and a restart forgets nothing. Used for
 * sign-in (as better-auth's rate-limit storage), the chat and the query API.
 * Refused hits are not counted.
 */

export interface RateLimitRule {
  /** Seconds. */
  window: number;
  max: number;
}

export interface RateLimitDecision {
  allowed: boolean;
  /** Seconds until the window frees up, when refused. */
  retryAfter: number | null;
}

export async function takeRateLimit(key: string, { window, max }: RateLimitRule, now = Date.now()): Promise<RateLimitDecision> {
  const windowMs = window * 1000;
  const { counted, windowStart } = await countHit(key, windowMs, max, now);
  return counted ? { allowed: true, retryAfter: null } : { allowed: false, retryAfter: Math.max(1, Math.ceil((windowStart + windowMs - now) / 1000)) };
}
