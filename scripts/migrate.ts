/**
 * `npm run db:migrate`: applies the SQL migrations in prisma/migrations to
 * DATABASE_URL, or else to the embedded database in DATA_DIR (through its
 * running server if one owns it, otherwise by opening it briefly).
 */
import nextEnv from "@next/env";
import { env } from "../lib/env";
import { readOwner, startEmbeddedDatabase } from "../lib/db/embedded";
import { migrateUrl } from "../lib/db/migrate";

nextEnv.loadEnvConfig(process.cwd());
const config = env();

async function main() {
  if (config.DATABASE_URL) return migrateUrl(config.DATABASE_URL);
  const owner = readOwner(config.DATA_DIR);
  if (owner) return migrateUrl(owner.url);
  const embedded = await startEmbeddedDatabase({ dataDir: config.DATA_DIR });
  try {
    return await migrateUrl(embedded.url);
  } finally {
    await embedded.stop();
  }
}

main().then(
  (applied) => console.log(applied.length ? `Applied: ${applied.join(", ")}` : "Database schema is up to date."),
  (error: Error) => {
    console.error(error.message);
    process.exit(1);
  },
);
