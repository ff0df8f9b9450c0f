import { z } from "zod";
import { invalidProxyEntries } from "./security/client-address";

/**
 * The only reader of process.env. Values are validated once, on first use;
 * empty strings count as unset so that `FOO=` in a .env file means "default".
 */

const optional = <T extends z.ZodType>(schema: T) =>
  z.preprocess((value) => (typeof value === "string" && value.trim() === "" ? undefined : value), schema.optional());

const flag = (fallback: boolean) =>
  z.preprocess(
    (value) => (typeof value === "string" && value.trim() !== "" ? value.trim().toLowerCase() : undefined),
    z.enum(["1", "0", "true", "false", "yes", "no", "on", "off"]).optional(),
  ).transform((value) => (value === undefined ? fallback : ["1", "true", "yes", "on"].includes(value)));

const list = (value: string | undefined) =>
  (value ?? "").split(",").map((item) => item.trim()).filter(Boolean);

const envSchema = z.object({
  NODE_ENV: z.enum(["development", "production", "test"]).default("development"),
  /** Any Postgres 15+ with pgvector. Unset: the embedded PGlite database. */
  DATABASE_URL: optional(
    z.url({ protocol: /^postgres(ql)?$/, error: "DATABASE_URL must be a postgres:// or postgresql:// URL" }),
  ),
  /** Connections per server process to DATABASE_URL; the embedded database always gets one (scripts/serve.ts). */
  DATABASE_POOL_MAX: optional(z.coerce.number().int().min(1).max(100)),
  /** Folder of the embedded database (PGlite data and lock file). */
  DATA_DIR: optional(z.string()).transform((value) => value ?? ".data"),
  /** Port of the embedded database's Postgres wire-protocol server; 0 picks a free one. */
  EMBEDDED_DB_PORT: optional(z.coerce.number().int().min(0).max(65535)).transform((value) => value ?? 0),
  /** Seed demo products when the embedded database is created. */
  DEMO_DATA: flag(true),
  /** Hosted models: OpenAI. */
  OPENAI_API_KEY: optional(z.string()),
  /** Chat model used with OPENAI_API_KEY (default gpt-4o-mini). */
  OPENAI_CHAT_MODEL: optional(z.string()),
  /** Hosted models: any OpenAI-compatible API (Ollama, vLLM, ...), e.g. http://localhost:11434/v1. */
  OPENAI_COMPATIBLE_BASE_URL: optional(z.url({ protocol: /^https?$/, error: "OPENAI_COMPATIBLE_BASE_URL must be an http(s) URL" })),
  OPENAI_COMPATIBLE_API_KEY: optional(z.string()),
  /** Embedding model served there, e.g. nomic-embed-text, and its vector size. */
  OPENAI_COMPATIBLE_EMBEDDING_MODEL: optional(z.string()),
  OPENAI_COMPATIBLE_EMBEDDING_DIMENSIONS: optional(z.coerce.number().int().min(1).max(16_000)),
  /** Chat model served there, e.g. llama3.1; answers chat questions instead of the offline composer. */
  OPENAI_COMPATIBLE_CHAT_MODEL: optional(z.string()),
  /** Whether that chat model calls tools (a search tool per product); off unless it is known to. */
  OPENAI_COMPATIBLE_CHAT_TOOLS: flag(false),
  /** Supabase project: lets similarity search run through supabase-js rpc(). */
  SUPABASE_URL: optional(z.url()),
  SUPABASE_SERVICE_ROLE_KEY: optional(z.string()),
  /** Worker threads that compute local embeddings; default: one per CPU core. */
  EMBEDDING_WORKERS: optional(z.coerce.number().int().min(0).max(64)),
  /** API key that `npm run load` sends as a Bearer token. */
  MESH_API_KEY: optional(z.string().trim()),
  /** AI inference: hosts (names or addresses) exempt from the SSRF address rules, e.g. "localhost,ollama.internal". */
  INFERENCE_ALLOWED_HOSTS: optional(z.string()).transform((value) => list(value)),
  /** AI inference: names of the environment variables that may hold endpoint API keys; "PREFIX_*" allows a prefix. */
  INFERENCE_API_KEY_ENVS: optional(z.string()).transform((value) => list(value)),
  /** AI inference: most records one "Apply to all records" run transforms (per product). */
  INFERENCE_MAX_RECORDS_PER_RUN: optional(z.coerce.number().int().min(1).max(10_000_000)).transform((value) => value ?? 10_000),
  /** AI inference: most concurrent model calls per product. */
  INFERENCE_MAX_CONCURRENCY: optional(z.coerce.number().int().min(1).max(64)).transform((value) => value ?? 4),
  /** AI inference: timeout of one call to a hosted model endpoint, in seconds. */
  INFERENCE_TIMEOUT_SECONDS: optional(z.coerce.number().int().min(1).max(600)).transform((value) => value ?? 60),
  /** Webhooks: hosts (names or addresses) exempt from the SSRF address rules, e.g. "localhost" for a local receiver. */
  WEBHOOK_ALLOWED_HOSTS: optional(z.string()).transform((value) => list(value)),
  /** Minutes between scheduled health checks of each product; 0 turns the schedule off (checks still run after loads and on demand). */
  HEALTH_CHECK_INTERVAL_MINUTES: optional(z.coerce.number().int().min(0).max(24 * 60)).transform((value) => value ?? 15),
  /**
   * Seconds a server's claim on a background job (indexing, an inference run) lasts unless renewed (every third of it):
   * after a server dies, another one sharing the database takes its jobs over within about this long.
   */
  JOB_LEASE_SECONDS: optional(z.coerce.number().int().min(1).max(3600)).transform((value) => value ?? 30),
  /** Records uploads: the most one record may hold, in bytes of its text (a larger one is rejected as a row). */
  RECORD_MAX_BYTES: optional(z.coerce.number().int().min(1024).max(64 * 1024 * 1024)).transform((value) => value ?? 1024 * 1024),
  /** Records uploads: an upload that sends nothing for this long is ended with 408, nothing stored. */
  UPLOAD_IDLE_SECONDS: optional(z.coerce.number().int().min(1).max(3600)).transform((value) => value ?? 30),
  /** Records uploads: the longest an upload may take to send, in seconds. */
  UPLOAD_TIMEOUT_SECONDS: optional(z.coerce.number().int().min(1).max(24 * 3600)).transform((value) => value ?? 1800),
  PORT: optional(z.coerce.number().int().min(1).max(65535)).transform((value) => value ?? 3000),
  HOSTNAME: optional(z.string()),

  /** Signs sessions and cookies. The launcher generates one into DATA_DIR/auth-secret when unset. */
  BETTER_AUTH_SECRET: optional(z.string().min(32, "BETTER_AUTH_SECRET must be at least 32 characters")),
  /** Public URL of the portal, e.g. https://mesh.example.com. Unset: localhost and 127.0.0.1 on PORT. */
  BETTER_AUTH_URL: optional(z.url({ protocol: /^https?$/, error: "BETTER_AUTH_URL must be an http(s) URL" })),
  /** Hours a session lasts without use; each day of use extends it. */
  SESSION_TTL_HOURS: optional(z.coerce.number().int().min(1).max(24 * 90)).transform((value) => value ?? 24 * 7),
  /** Failed sign-ins per account (whatever the address) within SIGN_IN_ACCOUNT_WINDOW_MINUTES before it is locked for the rest of the window. */
  SIGN_IN_FAILURES_PER_ACCOUNT: optional(z.coerce.number().int().min(1).max(1000)).transform((value) => value ?? 10),
  SIGN_IN_ACCOUNT_WINDOW_MINUTES: optional(z.coerce.number().int().min(1).max(24 * 60)).transform((value) => value ?? 15),
  /** Chat questions per user and minute. */
  CHAT_QUESTIONS_PER_MINUTE: optional(z.coerce.number().int().min(1).max(100_000)).transform((value) => value ?? 20),
  /** Federated queries (POST /api/query) per user and minute. */
  QUERY_REQUESTS_PER_MINUTE: optional(z.coerce.number().int().min(1).max(100_000)).transform((value) => value ?? 60),
  /**
   * Costly reads (discovery, federated queries, chat answers, searches by meaning) that one server
   * runs at once; more wait in turn, up to SEARCH_QUEUE, and beyond that are refused (503, Retry-After),
   * so that the catalog and product pages never wait behind a crowd of questions.
   */
  SEARCH_CONCURRENCY: optional(z.coerce.number().int().min(1).max(256)).transform((value) => value ?? 2),
  SEARCH_QUEUE: optional(z.coerce.number().int().min(0).max(10_000)).transform((value) => value ?? 64),
  /** Sign-in attempts per client address and minute (on in every mode). */
  SIGN_IN_ATTEMPTS_PER_MINUTE: optional(z.coerce.number().int().min(1).max(1000)).transform((value) => value ?? 10),
  /**
   * Proxies (addresses or CIDR ranges) whose X-Forwarded-For is believed, e.g. "10.0.0.0/8";
   * from anyone else the header is replaced by the connection's address.
   */
  TRUSTED_PROXY: optional(z.string())
    .transform((value) => list(value))
    .refine((entries) => invalidProxyEntries(entries).length === 0, { error: "TRUSTED_PROXY must list IP addresses or CIDR ranges" }),
  /** Creates the first admin when no user exists yet. */
  ADMIN_EMAIL: optional(z.email({ error: "ADMIN_EMAIL must be an email address" })),
  ADMIN_PASSWORD: optional(z.string().min(8, "ADMIN_PASSWORD must be at least 8 characters").max(128)),
  /** Lets visitors who are not signed in read the catalog, products and records (never write). */
  PUBLIC_READ: flag(false),
  /** OpenID Connect single sign-on: the issuer (its /.well-known/openid-configuration is read). */
  OIDC_ISSUER: optional(z.url({ protocol: /^https?$/, error: "OIDC_ISSUER must be an http(s) URL" })),
  OIDC_CLIENT_ID: optional(z.string()),
  OIDC_CLIENT_SECRET: optional(z.string()),
  /** Label of the single sign-on button, e.g. "Okta". */
  OIDC_PROVIDER_NAME: optional(z.string().max(40)).transform((value) => value ?? "SSO"),
}).superRefine((value, ctx) => {
  const oidc = [value.OIDC_ISSUER, value.OIDC_CLIENT_ID, value.OIDC_CLIENT_SECRET];
  if (oidc.some(Boolean) && !oidc.every(Boolean)) {
    ctx.addIssue({ code: "custom", path: ["OIDC_ISSUER"], message: "Set OIDC_ISSUER, OIDC_CLIENT_ID and OIDC_CLIENT_SECRET together" });
  }
  if (Boolean(value.ADMIN_EMAIL) !== Boolean(value.ADMIN_PASSWORD)) {
    ctx.addIssue({ code: "custom", path: ["ADMIN_EMAIL"], message: "Set ADMIN_EMAIL and ADMIN_PASSWORD together" });
  }
});

export type Env = z.infer<typeof envSchema>;

let cached: Env | undefined;

export function env(): Env {
  if (!cached) {
    const result = envSchema.safeParse(process.env);
    if (!result.success) {
      const problems = result.error.issues.map((issue) => `  ${issue.path.join(".")}: ${issue.message}`).join("\n");
      throw new Error(`Invalid environment configuration:\n${problems}`);
    }
    cached = result.data;
  }
  return cached;
}

/** Re-reads process.env on next use (tests and the launcher change it). */
export function resetEnvCache(): void {
  cached = undefined;
}

/** Whether `name` is on the operator's INFERENCE_API_KEY_ENVS list (exact names, or prefixes written "PREFIX_*"). */
export function isAllowedSecretName(name: string, allowed: readonly string[] = env().INFERENCE_API_KEY_ENVS): boolean {
  if (!/^[A-Z][A-Z0-9_]*$/.test(name)) return false;
  return allowed.some((pattern) => (pattern.endsWith("*") ? name.startsWith(pattern.slice(0, -1)) : name === pattern));
}

/**
 * The value of the environment variable `name`, which must be on the
 * operator's allowlist (never stored or logged by callers); undefined when
 * unset. Throws when the name is not allowed.
 */
export function allowedSecret(name: string): string | undefined {
  if (!isAllowedSecretName(name)) throw new Error(`${name} is not on INFERENCE_API_KEY_ENVS`);
  const value = process.env[name]?.trim();
  return value ? value : undefined;
}
