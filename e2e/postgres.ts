/**
 * The database of an end-to-end run on Postgres (E2E_DATABASE=postgres):
 * `<database>_e2e` on the server of TEST_DATABASE_URL, so that the
 * integration tests' own database is left alone.
 *
 *   tsx e2e/postgres.ts check   # fails at once, saying why, when there is no usable server
 *   tsx e2e/postgres.ts reset   # drops and creates it, with pgvector, migrated and seeded with the demo data
 *
 * The role in TEST_DATABASE_URL must be allowed to create databases.
 */
import { randomBytes } from "node:crypto";
import pg from "pg";
import { withConnection } from "../lib/db/connection";

export function e2eDatabaseUrl(): string {
  const base = process.env.TEST_DATABASE_URL?.trim();
  if (!base) {
    throw new Error(
      "TEST_DATABASE_URL is not set: the Postgres test runs need a PostgreSQL 15+ server with the pgvector extension " +
        "(see README, Tests), e.g. TEST_DATABASE_URL=postgresql://postgres@127.0.0.1:5432/mesh",
    );
  }
  const url = new URL(base);
  url.pathname = `/${decodeURIComponent(url.pathname.slice(1)) || "postgres"}_e2e`;
  return url.toString();
}


async function check(): Promise<void> {
  const base = process.env.TEST_DATABASE_URL!;
  e2eDatabaseUrl();
  const version = await withConnection(base, async (client) => {
    const { rows } = await client.query<{ server: string; vector: string | null }>(
      "SELECT current_setting('server_version') AS server, (SELECT default_version FROM pg_available_extensions WHERE name = 'vector') AS vector",
    );
    return rows[0]!;
  });
  if (!version.vector) throw new Error(`The server of TEST_DATABASE_URL (PostgreSQL ${version.server}) has no pgvector extension available`);
  console.log(`Postgres tests on PostgreSQL ${version.server} with pgvector ${version.vector}`);
}

async function reset(): Promise<void> {
  const url = e2eDatabaseUrl();
  const name = decodeURIComponent(new URL(url).pathname.slice(1));
  await withConnection(process.env.TEST_DATABASE_URL!, async (client) => {
    await client.query(`DROP DATABASE IF EXISTS ${pg.escapeIdentifier(name)} WITH (FORCE)`);
    await client.query(`CREATE DATABASE ${pg.escapeIdentifier(name)}`);
  });
  await withConnection(url, (client) => client.query("CREATE EXTENSION IF NOT EXISTS vector"));
  // Imported here: `check` and the Playwright config need none of the app.
  const [{ migrateUrl }, { createDb, setDb }, { seedDemoData }] = await Promise.all([
    import("../lib/db/migrate"),
    import("../lib/db/client"),
    import("../lib/services/demo-data"),
  ]);
  await migrateUrl(url);
  // The auth library wants a secret even to hash the demo passwords (which use none); the server signs with its own.
  process.env.BETTER_AUTH_SECRET ??= randomBytes(32).toString("base64url");
  const client = createDb(url, 2);
  setDb(client);
  try {
    const seeded = await seedDemoData();
    console.log(`e2e database ${name}: migrated, ${seeded.products} demo products with ${seeded.records} records seeded`);
  } finally {
    await client.$disconnect();
  }
}

const command = process.argv[2];
if (command === "check" || command === "reset") {
  (command === "check" ? check() : reset()).catch((error: Error) => {
    console.error(`e2e/postgres.ts ${command}: ${error.message}`);
    process.exit(1);
  });
}
