/**
 * `npm run dev` / `npm start`: runs Next.js on the configured database.
 *
 * Without DATABASE_URL this process owns the embedded PGlite database in
 * DATA_DIR and serves it over the Postgres wire protocol to the Next.js server
 * (and to any script or test), applies migrations and, on first start, seeds
 * the demo products and accounts. In development the Next.js server starts at
 * once, beside that work (its database connections wait until the database is
 * ready); `start` runs it afterwards. With DATABASE_URL it applies
 * migrations, then starts the Next.js server.
 *
 * Either way it passes the Next.js server a signing secret for sessions:
 * BETTER_AUTH_SECRET, or one generated once into DATA_DIR/auth-secret, and
 * creates the first admin from ADMIN_EMAIL / ADMIN_PASSWORD if no user exists.
 */
import "./check-node.mjs";
import { spawn, type ChildProcess } from "node:child_process";
import { mkdirSync } from "node:fs";
import path from "node:path";
import nextEnv from "@next/env";
import { build } from "esbuild";
import { ensureAuthSecret, SECRET_FILE } from "../lib/auth/secret";
import { env, resetEnvCache } from "../lib/env";
import { launchEmbeddedDatabase, PASSWORD_FILE, type LaunchedDatabase } from "../lib/db/embedded";

const mode = process.argv[2];
if (mode !== "dev" && mode !== "start") {
  console.error("Usage: serve.ts dev|start");
  process.exit(2);
}

const startedAt = performance.now();
nextEnv.loadEnvConfig(process.cwd(), mode === "dev");
const log = (message: string) => console.log(`[mesh-portal] ${message} (${((performance.now() - startedAt) / 1000).toFixed(1)} s)`);
if (!env().BETTER_AUTH_SECRET) {
  mkdirSync(env().DATA_DIR, { recursive: true });
  process.env.BETTER_AUTH_SECRET = ensureAuthSecret(env().DATA_DIR);
  resetEnvCache();
  log(`sessions are signed with the secret in ${path.join(env().DATA_DIR, SECRET_FILE)}`);
  if (env().DATABASE_URL) log("servers sharing this database must sign with one secret: set the same BETTER_AUTH_SECRET on each");
}
const config = env();

/** Migrations, the first admin and, on a new embedded database, the demo data, through `url`. */
async function prepare(url: string, created: boolean): Promise<void> {
  const [{ migrateUrl }, { createDb, db, setDb }, { ensureFirstAdmin }, { countUsers }, { seedDemoData }] = await Promise.all([
    import("../lib/db/migrate"),
    import("../lib/db/client"),
    import("../lib/auth/bootstrap"),
    import("../lib/db/accounts"),
    import("../lib/services/demo-data"),
  ]);
  const applied = await migrateUrl(url);
  log(applied.length ? `applied migrations: ${applied.join(", ")}` : "database schema is up to date");
  setDb(createDb(url, 1));
  try {
    const admin = await ensureFirstAdmin();
    if (admin) log(`created the first admin, ${admin}`);
    if (created && config.DEMO_DATA) {
      log("seeding the demo data: domains, accounts, products and their records…");
      const seeded = await seedDemoData();
      log(`seeded ${seeded.products} demo data products with ${seeded.records} records, their domains and the demo accounts (see README)`);
    }
    if ((await countUsers()) === 0) log("no user exists yet: set ADMIN_EMAIL and ADMIN_PASSWORD and restart to create the first admin");
  } finally {
    await db().$disconnect();
    setDb(undefined);
  }
}

/**
 * next-server.ts as one plain JavaScript module (its packages imported from
 * node_modules as they are), so that Node.js runs Next.js without tsx's module
 * hooks: through them, the first start of the development server took
 * about 2.3 CPU-seconds more.
 */
async function compileNextServer(): Promise<string> {
  const outfile = path.resolve(".next", "cache", "mesh-portal", "next-server.mjs");
  await build({
    entryPoints: [path.join(import.meta.dirname, "next-server.ts")],
    outfile,
    bundle: true,
    packages: "external",
    platform: "node",
    format: "esm",
    logLevel: "warning",
  });
  return outfile;
}

function startNext(server: string, databaseUrl: string, singleConnection: boolean): ChildProcess {
  if (singleConnection && (config.DATABASE_POOL_MAX ?? 1) > 1) log(`DATABASE_POOL_MAX=${config.DATABASE_POOL_MAX} applies to DATABASE_URL only: the embedded database takes one connection per server`);
  log(mode === "dev" ? "starting Next.js (development: each page compiles on its first visit)" : "starting Next.js");
  // Next.js behind the portal's own HTTP server, which takes the client address from the socket (next-server.ts).
  const next = spawn(process.execPath, [server, mode!], {
    stdio: "inherit",
    env: {
      ...process.env,
      DATABASE_URL: databaseUrl,
      BETTER_AUTH_SECRET: config.BETTER_AUTH_SECRET,
      // The embedded database runs one query at a time, and its socket server
      // (pglite-socket) interleaves the extended-protocol messages of
      // concurrent connections (a Bind meets another connection's Parse):
      // one connection per server process, whatever DATABASE_POOL_MAX says.
      ...(singleConnection ? { DATABASE_POOL_MAX: "1" } : {}),
      NODE_ENV: mode === "dev" ? "development" : "production",
      NEXT_TELEMETRY_DISABLED: "1",
    },
  });
  next.on("exit", (code, signal) => void shutdown(code ?? (signal ? 0 : 1)));
  return next;
}

let embedded: LaunchedDatabase | undefined;
let child: ChildProcess | undefined;
let stopping = false;
async function shutdown(code: number) {
  if (stopping) return;
  stopping = true;
  child?.kill("SIGTERM");
  await embedded?.stop();
  process.exit(code);
}
// Ctrl-C reaches the Next.js server too; this process stops the database once it has exited.
for (const signal of ["SIGINT", "SIGTERM"] as const) {
  process.on(signal, () => (child ? child.kill(signal) : void shutdown(1)));
}

try {
  const server = await compileNextServer();
  if (config.DATABASE_URL) {
    await prepare(config.DATABASE_URL, false);
    child = startNext(server, config.DATABASE_URL, false);
  } else {
    embedded = await launchEmbeddedDatabase({ dataDir: config.DATA_DIR, port: config.EMBEDDED_DB_PORT });
    // In development the Next.js server starts at once and compiles pages meanwhile; a built one starts when the database is ready.
    if (mode === "dev") child = startNext(server, embedded.url, true);
    log(`opening the embedded database (PGlite + pgvector) in ${embedded.dataDir}…`);
    const { url, created } = await embedded.started;
    if (created) log("created a new embedded database");
    await prepare(url, created);
    await embedded.open();
    log(`database ready, serving ${embedded.address} (its password is in ${path.join(embedded.dataDir, PASSWORD_FILE)})`);
    child ??= startNext(server, embedded.url, true);
  }
} catch (error) {
  console.error(`[mesh-portal] ${(error as Error).message}`);
  await shutdown(1);
}
