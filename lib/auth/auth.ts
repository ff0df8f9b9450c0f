import { apiKey } from "@better-auth/api-key";
import { betterAuth } from "better-auth";
import { APIError, createAuthMiddleware, isAPIError } from "better-auth/api";
import { prismaAdapter } from "better-auth/adapters/prisma";
import { nextCookies } from "better-auth/next-js";
import { genericOAuth } from "better-auth/plugins/generic-oauth";
import { db, type Db } from "../db/client";
import { env } from "../env";
import { clearRateLimit, peekRateLimit, takeRateLimit, type RateLimitRule } from "../runtime/rate-limit";
import { processSlot } from "../runtime/singleton";

/**
 * better-auth: email + password, optional OpenID Connect single sign-on, API
 * keys for scripts, database sessions, and the portal's database-backed rate
 * limiter (lib/runtime/rate-limit.ts) as its rate-limit storage.
 * Mounted at /api/auth (app/api/auth/[...all]/route.ts).
 */

/** The id of the OIDC provider: its callback is /api/auth/oauth2/callback/oidc. */
export const OIDC_PROVIDER_ID = "oidc";
export const API_KEY_PREFIX = "mp_";

function hostsFor(port: number, hostname: string | undefined): string[] {
  const hosts = ["localhost", "127.0.0.1", "[::1]"];
  if (hostname && !["0.0.0.0", "::"].includes(hostname) && !hosts.includes(hostname)) hosts.push(hostname);
  return hosts.map((host) => `${host}:${port}`);
}

const SIGN_IN_PATH = "/sign-in/email";
const accountKey = (body: unknown) => {
  const email = (body as { email?: unknown } | undefined)?.email;
  return typeof email === "string" && email.trim() ? `sign-in-failures:${email.trim().toLowerCase()}` : undefined;
};
const failureRule = (): RateLimitRule => ({ window: env().SIGN_IN_ACCOUNT_WINDOW_MINUTES * 60, max: env().SIGN_IN_FAILURES_PER_ACCOUNT });

/**
 * The per-account sign-in limit, beside the per-address one: after
 * SIGN_IN_FAILURES_PER_ACCOUNT failures in the window, the account refuses
 * every attempt (the right password too) from any address until the window
 * ends; a successful sign-in clears the count.
 */
const signInHooks = {
  before: createAuthMiddleware(async (ctx) => {
    const key = ctx.path === SIGN_IN_PATH ? accountKey(ctx.body) : undefined;
    if (!key) return;
    const { allowed, retryAfter } = await peekRateLimit(key, failureRule());
    if (!allowed) {
      throw new APIError(
        "TOO_MANY_REQUESTS",
        { message: "Too many failed sign-ins for this account: try again in a few minutes.", code: "rate_limited" },
        { "Retry-After": String(retryAfter) },
      );
    }
  }),
  after: createAuthMiddleware(async (ctx) => {
    const key = ctx.path === SIGN_IN_PATH ? accountKey(ctx.body) : undefined;
    if (!key) return;
    const returned = ctx.context.returned;
    if (!isAPIError(returned)) await clearRateLimit(key);
    // Every failure counts (the rule's max applies before the next attempt): no cap but the counter's (int4).
    else if (returned.statusCode === 401) await takeRateLimit(key, { ...failureRule(), max: 2 ** 31 - 1 });
  }),
};

function createAuth(client: Db) {
  const config = env();
  if (!config.BETTER_AUTH_SECRET) {
    throw new Error(
      "BETTER_AUTH_SECRET is not set. Start the app with `npm run dev` or `npm start`, which generate one in DATA_DIR, or set it (32+ random characters).",
    );
  }
  const { OIDC_ISSUER: issuer, OIDC_CLIENT_ID: clientId, OIDC_CLIENT_SECRET: clientSecret } = config;
  return betterAuth({
    appName: "Mesh Portal",
    secret: config.BETTER_AUTH_SECRET,
    // Without a public URL, the portal answers on this machine's loopback names.
    baseURL: config.BETTER_AUTH_URL ?? {
      allowedHosts: hostsFor(config.PORT, config.HOSTNAME),
      protocol: "http",
      fallback: `http://localhost:${config.PORT}`,
    },
    database: prismaAdapter(client, { provider: "postgresql" }),
    telemetry: { enabled: false },
    emailAndPassword: {
      enabled: true,
      // Accounts come from an admin (admin page) or from single sign-on, never from a public form.
      disableSignUp: true,
      minPasswordLength: 8,
      maxPasswordLength: 128,
    },
    user: {
      additionalFields: {
        role: { type: ["admin", "member"], required: false, defaultValue: "member", input: false },
      },
    },
    session: {
      expiresIn: config.SESSION_TTL_HOURS * 3600,
      updateAge: Math.min(24, config.SESSION_TTL_HOURS) * 3600,
    },
    hooks: signInHooks,
    rateLimit: {
      enabled: true,
      customStorage: { consume: (key, rule) => takeRateLimit(`auth:${key}`, rule) },
      window: 60,
      max: 300,
      customRules: {
        "/sign-in/*": { window: 60, max: config.SIGN_IN_ATTEMPTS_PER_MINUTE },
      },
    },
    // CSRF: state-changing auth requests must come from the portal's own origin (better-auth skips this under test by default).
    advanced: {
      disableOriginCheck: false,
      // The launcher's server (scripts/next-server.ts) sets X-Forwarded-For from the socket, extended only by a
      // trusted proxy's chain; the limiter takes the client from the right, past the trusted hops.
      ipAddress: { ipAddressHeaders: ["x-forwarded-for"], trustedProxies: config.TRUSTED_PROXY },
    },
    plugins: [
      apiKey({
        defaultPrefix: API_KEY_PREFIX,
        requireName: true,
        maximumNameLength: 64,
        // Scripts make many calls: the portal's own guards limit what a key can do.
        rateLimit: { enabled: false },
        schema: { apikey: { modelName: "apiKey" } },
      }),
      ...(issuer && clientId && clientSecret
        ? [
            genericOAuth({
              config: [
                {
                  providerId: OIDC_PROVIDER_ID,
                  discoveryUrl: `${issuer.replace(/\/$/, "")}/.well-known/openid-configuration`,
                  clientId,
                  clientSecret,
                  scopes: ["openid", "email", "profile"],
                  pkce: true,
                },
              ],
            }),
          ]
        : []),
      // Lets server actions set cookies; keep it last.
      nextCookies(),
    ],
  });
}

export type Auth = ReturnType<typeof createAuth>;

/** One instance per database client (tests swap the client with setDb). */
const current = processSlot<{ client: Db; auth: Auth }>("auth");

export function auth(): Auth {
  const client = db();
  let held = current.get();
  if (held?.client !== client) current.set((held = { client, auth: createAuth(client) }));
  return held.auth;
}

/** Whether single sign-on is configured (the sign-in page shows its button). */
export function ssoProvider(): { id: string; name: string } | null {
  const config = env();
  return config.OIDC_ISSUER ? { id: OIDC_PROVIDER_ID, name: config.OIDC_PROVIDER_NAME } : null;
}
