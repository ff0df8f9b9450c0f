import { clearCount, countHit, currentCount } from "../db/request-limits";
import { env } from "../env";
import { AppError } from "../errors";

/**
 * The portal's one rate limiter, kept in the database so that every server
 * process shares the counts: at most `max` hits per subject (a user id, an
 * account's email) in a window of `windowSeconds` from the first one. Over
 * the limit is a 429 with Retry-After.
 */
export interface Limit {
  /** Names the counter, e.g. "query". */
  name: string;
  max: number;
  windowSeconds: number;
  /** The 429's message. */
  message: string;
}

const keyOf = (limit: Limit, subject: string) => `${limit.name}:${subject}`;

function limited(limit: Limit, windowStart: Date): AppError {
  const retryAfter = Math.max(1, Math.ceil((windowStart.getTime() + limit.windowSeconds * 1000 - Date.now()) / 1000));
  return new AppError("rate_limited", limit.message, undefined, { retryAfter });
}

/** Counts a hit of `subject`; throws the 429 when it is over the limit. */
export async function consume(limit: Limit, subject: string): Promise<void> {
  const { count, windowStart } = await countHit(keyOf(limit, subject), limit.windowSeconds * 1000);
  if (count > limit.max) throw limited(limit, windowStart);
}

/** Throws the 429 if `subject` is already at the limit, without counting a hit (e.g. before a sign-in attempt). */
export async function refuseIfLimited(limit: Limit, subject: string): Promise<void> {
  const { count, windowStart } = await currentCount(keyOf(limit, subject), limit.windowSeconds * 1000);
  if (windowStart && count >= limit.max) throw limited(limit, windowStart);
}

/** Counts a hit without refusing anything (e.g. a failed sign-in). */
export async function record(limit: Limit, subject: string): Promise<void> {
  await countHit(keyOf(limit, subject), limit.windowSeconds * 1000);
}

export async function reset(limit: Limit, subject: string): Promise<void> {
  await clearCount(keyOf(limit, subject));
}

/** Chat questions per user (CHAT_QUESTIONS_PER_MINUTE). */
export function chatLimit(): Limit {
  const max = env().CHAT_QUESTIONS_PER_MINUTE;
  return { name: "chat", max, windowSeconds: 60, message: `You have asked ${max} questions in the last minute; wait a moment and ask again.` };
}

/** Federated queries per user (QUERY_REQUESTS_PER_MINUTE). */
export function queryLimit(): Limit {
  const max = env().QUERY_REQUESTS_PER_MINUTE;
  return { name: "query", max, windowSeconds: 60, message: `You have sent ${max} queries in the last minute; wait a moment and query again.` };
}

/** Failed sign-ins per account, from any address (SIGN_IN_FAILURES_PER_ACCOUNT per SIGN_IN_ACCOUNT_WINDOW_MINUTES). */
export function signInFailureLimit(): Limit {
  const { SIGN_IN_FAILURES_PER_ACCOUNT: max, SIGN_IN_ACCOUNT_WINDOW_MINUTES: minutes } = env();
  return {
    name: "sign-in-failures",
    max,
    windowSeconds: minutes * 60,
    message: `Too many failed sign-ins for this account: try again in a few minutes.`,
  };
}
