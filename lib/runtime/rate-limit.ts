import { clearHits, countHit, currentHits } from "../db/rate-limits";
import { AppError } from "../errors";

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

/** Counts a hit; a refused one is a 429 with `message` and Retry-After. */
export async function enforceRateLimit(key: string, rule: RateLimitRule, message: string): Promise<void> {
  const { allowed, retryAfter } = await takeRateLimit(key, rule);
  if (!allowed) throw new AppError("rate_limited", message, undefined, { retryAfter: retryAfter ?? rule.window });
}

/** Whether `key` is at its limit, without counting a hit (e.g. before a sign-in attempt). */
export async function peekRateLimit(key: string, { window, max }: RateLimitRule, now = Date.now()): Promise<RateLimitDecision> {
  const windowMs = window * 1000;
  const { count, windowStart } = await currentHits(key, windowMs, now);
  return count < max ? { allowed: true, retryAfter: null } : { allowed: false, retryAfter: Math.max(1, Math.ceil((windowStart + windowMs - now) / 1000)) };
}

export function clearRateLimit(key: string): Promise<void> {
  return clearHits(key);
}
