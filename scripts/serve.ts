/**
 * `npm run dev` / `npm start`: runs Next.js on the configured database.
 *
 * Without DATABASE_URL this process owns the embedded PGlite database in
 * DATA_DIR and serves it over the Postgres wire protocol to the Next.js server
 * (and to any script or test), applies migrations and, on first start, seeds
 * the demo products and accounts. With DATABASE_URL it only applies migrations.
 *
 * Either way it passes the Next.js server a signing secret for sessions:
 * BETTER_AUTH_SECRET, or one generated once into DATA_DIR/auth-secret, and
 * creates the first admin from ADMIN_EMAIL / ADMIN_PASSWORD if no user exists.
 */
import { spawn } from "node:child_process";
import { mkdirSync } from "node:fs";
import path from "node:path";
import { createRequire } from "node:module";
import nextEnv from "@next/env";
import { ensureAuthSecret, ensureFirstAdmin, SECRET_FILE } from "../lib/auth/bootstrap";
import { env, resetEnvCache } from "../lib/env";
import { countUsers } from "../lib/db/accounts";
import { createDb, db, setDb } from "../lib/db/client";
import { startEmbeddedDatabase, type EmbeddedDatabase } from "../lib/db/embedded";
import { migrateUrl } from "../lib/db/migrate";
import { seedDemoData } from "../lib/services/demo-data";

const mode = process.argv[2];
if (mode !== "dev" && mode !== "start") {
  console.error("Usage: serve.ts dev|start");
  process.exit(2);
}

nextEnv.loadEnvConfig(process.cwd(), mode === "dev");
const log = (message: string) => console.log(`[mesh-portal] ${message}`);
if (!env().BETTER_AUTH_SECRET) {
  mkdirSync(env().DATA_DIR, { recursive: true });
  process.env.BETTER_AUTH_SECRET = ensureAuthSecret(env().DATA_DIR);
  resetEnvCache();
  log(`sessions are signed with the secret in ${path.join(env().DATA_DIR, SECRET_FILE)}`);
}
const config = env();

let embedded: EmbeddedDatabase | undefined;
let databaseUrl = config.DATABASE_URL;
try {
  if (!databaseUrl) {
    embedded = await startEmbeddedDatabase({ dataDir: config.DATA_DIR, port: config.EMBEDDED_DB_PORT });
    databaseUrl = embedded.url;
    log(`embedded database (PGlite + pgvector) in ${embedded.dataDir}, serving ${embedded.url}`);
  }
  const applied = await migrateUrl(databaseUrl);
  log(applied.length ? `applied migrations: ${applied.join(", ")}` : "database schema is up to date");
  setDb(createDb(databaseUrl, 1));
  const admin = await ensureFirstAdmin();
  if (admin) log(`created the first admin, ${admin}`);
  if (embedded?.created && config.DEMO_DATA) {
    log(`seeded ${await seedDemoData()} demo data products, their domains and the demo accounts (see README)`);
  }
  if ((await countUsers()) === 0) log("no user exists yet: set ADMIN_EMAIL and ADMIN_PASSWORD and restart to create the first admin");
  await db().$disconnect();
  setDb(undefined);
} catch (error) {
  console.error(`[mesh-portal] ${(error as Error).message}`);
  await embedded?.stop();
  process.exit(1);
}

const require = createRequire(import.meta.url);
const args = [require.resolve("next/dist/bin/next"), mode, "--port", String(config.PORT)];
if (config.HOSTNAME) args.push("--hostname", config.HOSTNAME);

const child = spawn(process.execPath, args, {
  stdio: "inherit",
  env: {
    ...process.env,
    DATABASE_URL: databaseUrl,
    BETTER_AUTH_SECRET: config.BETTER_AUTH_SECRET,
    // The embedded database runs one query at a time; one connection per
    // server process keeps each request's statements together.
    ...(embedded && !config.DATABASE_POOL_MAX ? { DATABASE_POOL_MAX: "1" } : {}),
    NEXT_TELEMETRY_DISABLED: "1",
  },
});

let stopping = false;
async function shutdown(code: number) {
  if (stopping) return;
  stopping = true;
  await embedded?.stop();
  process.exit(code);
}

for (const signal of ["SIGINT", "SIGTERM"] as const) {
  process.on(signal, () => {
    child.kill(signal);
  });
}
child.on("exit", (code, signal) => void shutdown(code ?? (signal ? 0 : 1)));
