import { request as httpRequest } from "node:http";
import { expect, test } from "./fixtures";

/**
 * The sign-in limit counts the connection's address: a client that makes up
 * a new X-Forwarded-For for every attempt is still one client. The attempts
 * come from their own loopback address, so the other specs' sign-ins from
 * 127.0.0.1 are not limited by them.
 */
const LIMIT = 100; // SIGN_IN_ATTEMPTS_PER_MINUTE of the e2e server (playwright.config.ts)

/** A wrong password for `email` (each attempt another account, so that the per-account limit is not what refuses). */
function signInFrom(localAddress: string, baseURL: string, forwardedFor: string, email: string): Promise<number> {
  const url = new URL("/api/auth/sign-in/email", baseURL);
  const body = JSON.stringify({ email, password: "wrong-password" });
  return new Promise((resolve, reject) => {
    const request = httpRequest(
      url,
      {
        method: "POST",
        localAddress,
        headers: { "content-type": "application/json", origin: url.origin, "x-forwarded-for": forwardedFor, "content-length": Buffer.byteLength(body) },
      },
      (response) => {
        response.resume();
        response.on("end", () => resolve(response.statusCode ?? 0));
      },
    );
    request.on("error", reject);
    request.end(body);
  });
}

test("a made-up X-Forwarded-For does not escape the sign-in limit", async ({ baseURL }) => {
  const statuses: number[] = [];
  for (let attempt = 0; attempt <= LIMIT; attempt++) {
    statuses.push(await signInFrom("127.0.0.9", baseURL!, `198.51.100.${attempt % 250}, 203.0.113.${attempt % 200}`, `nobody-${attempt}@demo.local`));
  }
  expect(statuses.slice(0, LIMIT).every((status) => status === 401)).toBe(true);
  expect(statuses[LIMIT]).toBe(429);
});
