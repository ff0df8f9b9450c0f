import { createHmac, timingSafeEqual } from "node:crypto";

/**
 * Webhook rules: the body a receiver gets, its signature, and when a failed
 * delivery is tried again. Pure (no network); lib/services/webhooks.ts sends.
 */

/** Header carrying `sha256=<hex HMAC-SHA256 of the raw body, keyed with the webhook's secret>`. */
export const SIGNATURE_HEADER = "X-Mesh-Signature";
export const EVENT_HEADER = "X-Mesh-Event";
export const DELIVERY_HEADER = "X-Mesh-Delivery";

/** Attempts of one delivery before it is marked failed. */
export const MAX_ATTEMPTS = 6;
/** The first retry waits this long; each further one twice as long as the one before. */
export const FIRST_RETRY_MS = 30_000;
const MAX_RETRY_MS = 60 * 60_000;

/** The JSON body of a delivery. */
export interface WebhookPayload {
  /** The event's id (the delivery's for a test): the same on every retry, for receivers to deduplicate. */
  id: string;
  type: string;
  product: { domain: string; name: string } | null;
  time: string;
  summary: string;
  details: Record<string, unknown>;
}

export function signature(secret: string, body: string): string {
  return `sha256=${createHmac("sha256", secret).update(body).digest("hex")}`;
}

/** What a receiver does: recompute the signature over the raw body and compare in constant time. */
export function verifySignature(secret: string, body: string, header: string | null): boolean {
  if (!header) return false;
  const expected = Buffer.from(signature(secret, body));
  const given = Buffer.from(header);
  return expected.length === given.length && timingSafeEqual(expected, given);
}

/** When to try again after `attempts` failed attempts; null when there are no attempts left. */
export function nextAttemptAt(attempts: number, now: Date): Date | null {
  if (attempts >= MAX_ATTEMPTS) return null;
  return new Date(now.getTime() + Math.min(FIRST_RETRY_MS * 2 ** (attempts - 1), MAX_RETRY_MS));
}

/** A 2xx answer is delivered; anything else, or no answer, is tried again. */
export const deliveredStatus = (status: number) => status >= 200 && status < 300;
