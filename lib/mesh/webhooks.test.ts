import { createHmac } from "node:crypto";
import { describe, expect, it } from "vitest";
import { deliveredStatus, FIRST_RETRY_MS, MAX_ATTEMPTS, nextAttemptAt, signature, verifySignature } from "./webhooks";

describe("webhook signatures", () => {
  const body = '{"type":"sla.breached"}';

  it("is the hex HMAC-SHA256 of the raw body keyed with the secret", () => {
    expect(signature("s3cret", body)).toBe(`sha256=${createHmac("sha256", "s3cret").update(body).digest("hex")}`);
    expect(signature("s3cret", body)).not.toBe(signature("other", body));
  });

  it("verifies only the same body with the same secret", () => {
    expect(verifySignature("s3cret", body, signature("s3cret", body))).toBe(true);
    expect(verifySignature("s3cret", `${body} `, signature("s3cret", body))).toBe(false);
    expect(verifySignature("other", body, signature("s3cret", body))).toBe(false);
    expect(verifySignature("s3cret", body, null)).toBe(false);
    expect(verifySignature("s3cret", body, "sha256=00")).toBe(false);
  });
});

describe("retries", () => {
  const now = new Date("2026-12-01T12:00:00.000Z");

  it("waits 30 s after the first failed attempt, twice as long after each further one, and stops after MAX_ATTEMPTS", () => {
    const waits = [1, 2, 3, 4, 5].map((attempts) => (nextAttemptAt(attempts, now)!.getTime() - now.getTime()) / 1000);
    expect(waits).toEqual([30, 60, 120, 240, 480]);
    expect(FIRST_RETRY_MS).toBe(30_000);
    expect(nextAttemptAt(MAX_ATTEMPTS, now)).toBeNull();
  });

  it("counts only a 2xx answer as delivered", () => {
    expect([200, 204, 299].map(deliveredStatus)).toEqual([true, true, true]);
    expect([199, 301, 404, 500].map(deliveredStatus)).toEqual([false, false, false, false]);
  });
});
