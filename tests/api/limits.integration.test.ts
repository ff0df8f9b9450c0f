import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { POST as authPost } from "@/app/api/auth/[...all]/route";
import { POST as queryRoute } from "@/app/api/query/route";
import { resetEnvCache } from "@/lib/env";
import { createTestUser, startTestDatabase, type TestUser } from "@/tests/helpers/users";

/**
 * The portal's rate limits through the real routes, on the database-backed
 * limiter: the federated query per user, and failed sign-ins per account,
 * whatever address they come from.
 */

const BASE = "http://localhost:3000";
const ENV = { QUERY_REQUESTS_PER_MINUTE: "3", SIGN_IN_FAILURES_PER_ACCOUNT: "3", SIGN_IN_ATTEMPTS_PER_MINUTE: "1000" };

async function query(user: TestUser) {
  const response = await queryRoute(
    new Request(`${BASE}/api/query`, {
      method: "POST",
      headers: { "content-type": "application/json", ...user.auth },
      body: JSON.stringify({ question: "anything at all" }),
    }),
    undefined,
  );
  return { status: response.status, retryAfter: response.headers.get("retry-after"), body: (await response.json()) as { code?: string } };
}

async function signIn(email: string, password: string, address: string) {
  const response = await authPost(
    new Request(`${BASE}/api/auth/sign-in/email`, {
      method: "POST",
      headers: { "content-type": "application/json", origin: BASE, "x-forwarded-for": address },
      body: JSON.stringify({ email, password }),
    }),
  );
  return { status: response.status, retryAfter: response.headers.get("retry-after") };
}

describe("rate limits", () => {
  let stop: () => Promise<void>;
  const saved: Record<string, string | undefined> = {};

  beforeAll(async () => {
    for (const [key, value] of Object.entries(ENV)) {
      saved[key] = process.env[key];
      process.env[key] = value;
    }
    resetEnvCache();
    stop = await startTestDatabase();
  });

  afterAll(async () => {
    await stop();
    for (const [key, value] of Object.entries(saved)) {
      if (value === undefined) delete process.env[key];
      else process.env[key] = value;
    }
    resetEnvCache();
  });

  it("POST /api/query answers QUERY_REQUESTS_PER_MINUTE queries a minute per user, then 429 with Retry-After", async () => {
    const alice = await createTestUser();
    for (let turn = 1; turn <= 3; turn++) expect((await query(alice)).status, `query ${turn}`).toBe(200);
    const refused = await query(alice);
    expect(refused.status).toBe(429);
    expect(refused.body.code).toBe("rate_limited");
    expect(Number(refused.retryAfter)).toBeGreaterThan(0);
    expect(Number(refused.retryAfter)).toBeLessThanOrEqual(60);
    // Another user is not limited by alice's queries.
    expect((await query(await createTestUser())).status).toBe(200);
  });

  it("locks an account after SIGN_IN_FAILURES_PER_ACCOUNT failures from any addresses, the right password included", async () => {
    const target = await createTestUser();
    for (let attempt = 1; attempt <= 3; attempt++) {
      expect((await signIn(target.actor.email, `guess-${attempt}`, `203.0.113.${attempt}`)).status).toBe(401);
    }
    const locked = await signIn(target.actor.email, target.password, "198.51.100.200");
    expect(locked.status).toBe(429);
    expect(Number(locked.retryAfter)).toBeGreaterThan(0);
    // The same email in other letter case is the same account.
    expect((await signIn(target.actor.email.toUpperCase(), target.password, "198.51.100.201")).status).toBe(429);
    // Other accounts sign in as usual.
    const other = await createTestUser();
    expect((await signIn(other.actor.email, other.password, "203.0.113.1")).status).toBe(200);
  });

  it("a successful sign-in clears the account's failures", async () => {
    const user = await createTestUser();
    for (let round = 0; round < 2; round++) {
      for (let attempt = 1; attempt <= 2; attempt++) expect((await signIn(user.actor.email, "wrong-pass", "203.0.113.50")).status).toBe(401);
      expect((await signIn(user.actor.email, user.password, "203.0.113.50")).status, `round ${round}`).toBe(200);
    }
  });
});
