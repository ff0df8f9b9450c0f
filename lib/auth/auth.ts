import { apiKey } from "@better-auth/api-key";
import { betterAuth } from "better-auth";
import { prismaAdapter } from "better-auth/adapters/prisma";
import { nextCookies } from "better-auth/next-js";
import { genericOAuth } from "better-auth/plugins/generic-oauth";
import { db, type Db } from "../db/client";
import { env } from "../env";
import { takeRateLimit } from "../runtime/rate-limit";
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
    advanced: { disableOriginCheck: false },
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
